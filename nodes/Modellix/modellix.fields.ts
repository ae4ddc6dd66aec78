import type { INodeProperties } from 'n8n-workflow';

/** Lip-sync models that share Modellix's submit/poll pattern. */
export const MODELLIX_MODELS = ['vidu/lip-sync', 'pixverse/lipsync', 'skyreels/sky-lipsync'] as const;
export type ModellixModel = (typeof MODELLIX_MODELS)[number];

export const MODELLIX_DISPLAY_NAMES: Record<string, string> = {
	modelSlug: 'Model',
	videoUrl: 'Video URL',
	audioUrl: 'Audio URL',
	referenceFaceImageUrl: 'Reference Face Image URL',
};

export const modellixCreateProperties: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'modelSlug',
		type: 'options',
		options: [
			{ name: 'PixVerse Lipsync', value: 'pixverse/lipsync' },
			{ name: 'SkyReels Sky Lipsync', value: 'skyreels/sky-lipsync' },
			{ name: 'Vidu Lip Sync', value: 'vidu/lip-sync' },
		],
		default: 'vidu/lip-sync',
		description: 'The lip-sync model Modellix runs the job on',
	},
	{
		displayName: 'Video URL',
		name: 'videoUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/presenter.mp4',
		description: 'Public direct link to the video of the speaking person',
	},
	{
		displayName: 'Audio URL',
		name: 'audioUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/voice.mp3',
		description: 'Public direct link to the speech the person should say',
	},
	{
		displayName: 'Reference Face Image URL',
		name: 'referenceFaceImageUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/face.jpg',
		description:
			'Optional public link to a photo of the face to lip-sync. Helps when the video shows more than one face.',
	},
];
