import type { CoreInputMapping } from '../shared/adapter';

/** Personate lip-syncs a video of the face (or one of its avatars): a photo is not taken. */
export const personateCoreInput: CoreInputMapping = {
	parameters: ({ face, speech }) => {
		if (face.source === 'imageUrl') return { refused: 'Personate takes a video of the face, not a photo' };
		return {
			...(face.source === 'binary'
				? { actorSource: 'binary', videoBinaryProperty: face.binaryPropertyName }
				: { actorSource: 'video', videoUrl: face.url }),
			...(speech.source === 'binary'
				? { scriptSource: 'binary', audioBinaryProperty: speech.binaryPropertyName }
				: { scriptSource: 'audio', audioUrl: speech.url }),
		};
	},
	settings: ['model'],
};
