import type { IDataObject, IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { CoreCreateInput, CoreInputMapping } from '../adapter';

/**
 * The core input in the field names the vendor nodes share (Video/Audio Source with a
 * URL or an Input Binary Field), for adapters whose create fields use them.
 */

/** The display names of those shared fields, for errors that name the field. */
export const CORE_FIELD_DISPLAY_NAMES: Record<string, string> = {
	videoSource: 'Face Source',
	videoUrl: 'Video URL',
	videoBinaryProperty: 'Video Input Binary Field',
	audioSource: 'Speech Source',
	audioUrl: 'Audio URL',
	audioBinaryProperty: 'Audio Input Binary Field',
};

/** The Video URL field the vendor nodes share: the face video by a public link. */
export const videoUrlField = (displayOptions: IDisplayOptions): INodeProperties => ({
	displayName: 'Video URL',
	name: 'videoUrl',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. https://example.com/presenter.mp4',
	description: 'Public direct link to the video of the speaking person',
	displayOptions,
});

/** The Audio URL field the vendor nodes (and the Lip Sync node) share: the speech by a public link. */
export const audioUrlField = (displayOptions: IDisplayOptions): INodeProperties => ({
	displayName: 'Audio URL',
	name: 'audioUrl',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. https://example.com/voice.mp3',
	description: 'Public direct link to the speech',
	displayOptions,
});

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
