import type { IDataObject } from 'n8n-workflow';

import type { CoreCreateInput, CoreInputMapping } from '../adapter';

/**
 * The core input in the field names the vendor nodes share (Video/Audio Source with a
 * URL or an Input Binary Field), for adapters whose create fields use them.
 */
export const videoFaceFields = (face: CoreCreateInput['face']): IDataObject =>
	face.source === 'binary'
		? { videoSource: 'binary', videoBinaryProperty: face.binaryPropertyName }
		: { videoSource: 'url', videoUrl: face.url };

export const speechFields = (speech: CoreCreateInput['speech']): IDataObject =>
	speech.source === 'binary'
		? { audioSource: 'binary', audioBinaryProperty: speech.binaryPropertyName }
		: { audioSource: 'url', audioUrl: speech.url };

/**
 * The core input of a vendor that takes the shared Video/Audio Source fields and lip-syncs a
 * video of the face only: a photo is refused, naming the vendor.
 */
export const videoFaceCoreInput = (displayName: string, settings: string[]): CoreInputMapping => ({
	parameters: ({ face, speech }) => {
		if (face.source === 'imageUrl') return { refused: `${displayName} lip-syncs a video of the face, not a photo` };
		return { ...videoFaceFields(face), ...speechFields(speech) };
	},
	settings,
});
