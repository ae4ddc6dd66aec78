import type { CoreInputMapping } from '../shared/adapter';

/** JoggAI lip-syncs a video of the face: a photo is not taken. */
export const joggAiCoreInput: CoreInputMapping = {
	parameters: ({ face, speech }) => {
		if (face.source === 'imageUrl') return { refused: 'JoggAI lip-syncs a video of the face, not a photo' };
		return {
			...(face.source === 'binary'
				? { videoSource: 'binary', videoBinaryProperty: face.binaryPropertyName }
				: { videoSource: 'url', videoUrl: face.url }),
			...(speech.source === 'binary'
				? { audioSource: 'binary', audioBinaryProperty: speech.binaryPropertyName }
				: { audioSource: 'url', audioUrl: speech.url }),
		};
	},
	settings: ['playbackType'],
};
