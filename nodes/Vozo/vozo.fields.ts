import type { INodeProperties } from 'n8n-workflow';

/** File types Vozo documents for each input. */
export const VOZO_VIDEO_EXTENSIONS = ['mp4', 'mov', 'webm', 'avi', 'wmv'] as const;
export const VOZO_IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp'] as const;
export const VOZO_AUDIO_EXTENSIONS = ['wav', 'mp3', 'm4a'] as const;

export const VOZO_DISPLAY_NAMES: Record<string, string> = {
	generationMode: 'Generate From',
	referenceFileType: 'Reference File Type',
	referenceFileUrl: 'Reference File URL',
	model: 'Model',
	modelId: 'Reusable Model ID',
	audioUrl: 'Audio URL',
	callbackUrl: 'Callback URL',
};

const referenceFileOnly = { show: { generationMode: ['referenceFile'] } };

export const vozoCreateProperties: INodeProperties[] = [
	{
		displayName: 'Generate From',
		name: 'generationMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Reference File',
				value: 'referenceFile',
				description: 'Lip-sync a video or photo of a person to new audio',
			},
			{
				name: 'Reusable Model',
				value: 'reusableModel',
				description: 'Use a lip-sync model already trained on a person in Vozo',
			},
		],
		default: 'referenceFile',
	},
	{
		displayName: 'Reference File Type',
		name: 'referenceFileType',
		type: 'options',
		options: [
			{ name: 'Image', value: 'image', description: 'A photo: .jpg, .jpeg, .png or .webp' },
			{ name: 'Video', value: 'video', description: 'A video: .mp4, .mov, .webm, .avi or .wmv' },
		],
		default: 'video',
		displayOptions: referenceFileOnly,
	},
	{
		displayName: 'Reference File URL',
		name: 'referenceFileUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/presenter.mp4',
		description:
			'Public direct link to the video or image of the speaking person. Video: .mp4 .mov .webm .avi .wmv; image: .jpg .jpeg .png .webp.',
		displayOptions: referenceFileOnly,
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: [
			{
				name: 'Precision (V1)',
				value: 'precision_v1',
				description: 'Higher fidelity, about 20 minutes of rendering',
			},
			{
				name: 'Standard (V1)',
				value: 'standard_v1',
				description: 'Faster, about 10 minutes of rendering',
			},
		],
		default: 'standard_v1',
		displayOptions: referenceFileOnly,
	},
	{
		displayName: 'Reusable Model ID',
		name: 'modelId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 8f3c2a1b…',
		description: 'The ID of a reusable lip-sync model from your Vozo account',
		displayOptions: { show: { generationMode: ['reusableModel'] } },
	},
	{
		displayName: 'Audio URL',
		name: 'audioUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/voice.mp3',
		description: 'Public direct link to the speech: .wav, .mp3 or .m4a',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Callback URL',
				name: 'callbackUrl',
				type: 'string',
				default: '',
				placeholder: 'https://n8n.example.com/webhook/…/callback',
				description:
					'Public URL Vozo calls on every status change (for example the Lip Sync Trigger URL). The node appends its own reference (lipsync_ref=…) because Vozo callbacks carry no task ID.',
			},
		],
	},
];
