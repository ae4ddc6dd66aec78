import type { INodeProperties } from 'n8n-workflow';

import { binaryLinkField } from '../shared/binaryLink';
import { audioUrlField } from '../shared/adapterKit/coreFields';

/** File types Vozo documents for each input. */
export const VOZO_VIDEO_EXTENSIONS = ['mp4', 'mov', 'webm', 'avi', 'wmv'] as const;
export const VOZO_IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp'] as const;
export const VOZO_AUDIO_EXTENSIONS = ['wav', 'mp3', 'm4a'] as const;

export const VOZO_DISPLAY_NAMES: Record<string, string> = {
	generationMode: 'Face Source',
	referenceFileType: 'Reference File Type',
	referenceFileUrl: 'Reference File URL',
	referenceFileBinaryProperty: 'Reference File Input Binary Field',
	audioSource: 'Speech Source',
	audioBinaryProperty: 'Audio Input Binary Field',
	model: 'Model',
	modelId: 'Reusable Model ID',
	audioUrl: 'Audio URL',
	callbackUrl: 'Callback URL',
};

const referenceFileOnly = { show: { generationMode: ['referenceFile'] } };
const faceFileOnly = { show: { generationMode: ['referenceFile', 'binary'] } };

const referenceFileTypes = [
	{ name: 'Image', value: 'image', description: 'A photo: .jpg, .jpeg, .png or .webp' },
	{ name: 'Video', value: 'video', description: 'A video: .mp4, .mov, .webm, .avi or .wmv' },
];

const referenceFileTypeDescription = 'Whether the reference file is a video or a photo';

/**
 * Version 1 nodes were saved while Video was the default, and n8n does not save a parameter
 * that equals its default: they keep Video. From 1.1 the type is read from the URL (Auto).
 * `@version` comes first: a Face Source expression shows every field, and n8n stops checking
 * a field's conditions at the first expression it meets.
 */
const referenceFileTypeV1: INodeProperties = {
	displayName: 'Reference File Type',
	name: 'referenceFileType',
	type: 'options',
	options: referenceFileTypes,
	default: 'video',
	description: referenceFileTypeDescription,
	displayOptions: { show: { '@version': [1], ...referenceFileOnly.show } },
};

const referenceFileType: INodeProperties = {
	displayName: 'Reference File Type',
	name: 'referenceFileType',
	type: 'options',
	options: [
		{
			name: "Auto (From the URL's Extension)",
			value: 'auto',
			description: 'Image for .jpg .jpeg .png .webp, video for .mp4 .mov .webm .avi .wmv',
		},
		...referenceFileTypes,
	],
	default: 'auto',
	description: referenceFileTypeDescription,
	displayOptions: { show: { '@version': [{ _cnd: { gte: 1.1 } }], ...referenceFileOnly.show } },
};

export const vozoCreateProperties: INodeProperties[] = [
	{
		displayName: 'Face Source',
		name: 'generationMode',
		type: 'options',
		options: [
			{
				name: 'Reference File',
				value: 'referenceFile',
				description: 'A video or photo of the speaking person, by URL',
			},
			{
				name: 'Binary File',
				value: 'binary',
				description: 'A video or photo of the speaking person in a binary field of the input item (e.g. from HTTP Request), fetched by Vozo from n8n',
			},
			{
				name: 'Reusable Model',
				value: 'reusableModel',
				description: 'A lip-sync model already trained on a person in Vozo',
			},
		],
		default: 'referenceFile',
		description:
			'Where the speaking face comes from. As an expression ("referenceFile", "binary" or "reusableModel") each row picks its own; then fill in the fields of every source used (e.g. Reference File URL and Reusable Model ID from two columns).',
	},
	referenceFileTypeV1,
	referenceFileType,
	{
		displayName: 'Reference File URL',
		name: 'referenceFileUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/presenter.mp4',
		description:
			'Public direct link to the video or image of the speaking person. Video: .mp4 .mov .webm .avi .wmv; image: .jpg .jpeg .png .webp.',
		displayOptions: referenceFileOnly,
	},
	binaryLinkField({
		displayName: 'Reference File Input Binary Field',
		name: 'referenceFileBinaryProperty',
		default: 'face',
		holds: 'video (.mp4 .mov .webm .avi .wmv) or photo (.jpg .jpeg .png .webp) of the speaking person',
		vendor: 'Vozo',
		show: { generationMode: ['binary'] },
	}),
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
		displayOptions: faceFileOnly,
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
		displayName: 'Speech Source',
		name: 'audioSource',
		type: 'options',
		options: [
			{ name: 'Audio URL', value: 'url', description: 'A public direct link to the speech' },
			{
				name: 'Binary File',
				value: 'binary',
				description: 'The speech in a binary field of the input item (e.g. from a text-to-speech node), fetched by Vozo from n8n',
			},
		],
		default: 'url',
		description: 'Where the speech comes from',
	},
	{ ...audioUrlField({ show: { audioSource: ['url'] } }), description: 'Public direct link to the speech: .wav, .mp3 or .m4a' },
	binaryLinkField({
		displayName: 'Audio Input Binary Field',
		name: 'audioBinaryProperty',
		default: 'data',
		holds: 'speech (.wav .mp3 .m4a)',
		vendor: 'Vozo',
		show: { audioSource: ['binary'] },
	}),
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
				placeholder: 'e.g. https://n8n.example.com/webhook/…/callback',
				description:
					"Public URL Vozo calls on every status change, e.g. the Lip Sync Trigger's Production URL. It must be reachable from the internet (n8n's WEBHOOK_URL). The node appends its own reference (lipsync_ref=…) because Vozo callbacks carry no task ID, signed with the credential's Callback Secret when it has one (lipsync_sig=…).",
			},
		],
	},
];
