import type { CoreInputMapping } from '../shared/adapter';
import { speechFields } from '../shared/adapterKit';

/** Vozo takes a video or a photo of the face, by URL or as n8n's link to a binary field. */
export const vozoCoreInput: CoreInputMapping = {
	parameters: ({ face, speech }) => ({
		...(face.source === 'binary'
			? { generationMode: 'binary', referenceFileBinaryProperty: face.binaryPropertyName }
			: { generationMode: 'referenceFile', referenceFileUrl: face.url, referenceFileType: face.source === 'imageUrl' ? 'image' : 'video' }),
		...speechFields(speech),
	}),
	settings: ['model'],
};
