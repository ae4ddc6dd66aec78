import type { CoreInputMapping } from '../shared/adapter';
import { speechFields, videoFaceFields } from '../shared/adapterKit';

/** Modellix's default model lip-syncs a video of the face: a photo is not taken. */
export const modellixCoreInput: CoreInputMapping = {
	parameters: ({ face, speech }) => {
		if (face.source === 'imageUrl') return { refused: 'Modellix lip-syncs a video of the face, not a photo' };
		return {
			...videoFaceFields(face),
			...speechFields(speech),
		};
	},
	settings: [],
};
