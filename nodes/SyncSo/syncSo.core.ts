import type { CoreInputMapping } from '../shared/adapter';
import { speechFields, videoFaceFields } from '../shared/adapterKit';

/** The node sends sync.so a video of the face (photos are sync-3 only, and not offered here). */
export const syncSoCoreInput: CoreInputMapping = {
	parameters: ({ face, speech }) => {
		if (face.source === 'imageUrl') return { refused: 'sync.so lip-syncs a video of the face here, not a photo' };
		return { ...videoFaceFields(face), ...speechFields(speech) };
	},
	settings: ['model', 'syncMode'],
};
