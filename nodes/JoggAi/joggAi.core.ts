import type { CoreInputMapping } from '../shared/adapter';
import { speechFields, videoFaceFields } from '../shared/adapterKit';

/** JoggAI lip-syncs a video of the face: a photo is not taken. */
export const joggAiCoreInput: CoreInputMapping = {
	parameters: ({ face, speech }) => {
		if (face.source === 'imageUrl') return { refused: 'JoggAI lip-syncs a video of the face, not a photo' };
		return {
			...videoFaceFields(face),
			...speechFields(speech),
		};
	},
	settings: ['playbackType'],
};
