import type { INodeProperties } from 'n8n-workflow';

import { audioUrlField, CORE_FIELD_DISPLAY_NAMES, videoUrlField } from '../shared/adapterKit/coreFields';
import { SYNCSO_DEFAULT_SYNC_MODE } from './syncSo.assumptions';

/** sync.so's current public model ids (docs/vendors.md, sync.so: "Models"). */
export const SYNCSO_MODELS = ['lipsync-2', 'lipsync-2-pro', 'sync-3', 'lipsync-1.9.0-beta', 'react-1'] as const;
export const SYNCSO_SYNC_MODES = ['bounce', 'loop', 'cut_off', 'silence', 'remap'] as const;
export const SYNCSO_MODEL_MODES = ['lips', 'face', 'head'] as const;
export const SYNCSO_EMOTIONS = ['happy', 'sad', 'angry', 'disgusted', 'surprised', 'neutral'] as const;

export const SYNCSO_DISPLAY_NAMES: Record<string, string> = {
	...CORE_FIELD_DISPLAY_NAMES,
	model: 'Model',
	voiceId: 'Voice ID',
	script: 'Script',
	syncMode: 'Sync Mode',
	outputFileName: 'Output File Name',
	temperature: 'Temperature',
	occlusionDetection: 'Occlusion Detection',
	modelMode: 'Model Mode',
	emotion: 'Emotion',
	webhookUrl: 'Webhook URL',
};

const binaryFile = (kind: string) => ({
	name: 'Binary File',
	value: 'binary',
	description: `The ${kind} file in a binary field of the input item, uploaded to sync.so as an asset first`,
});

const title = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

export const syncSoCreateProperties: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: [
			{ name: 'Lipsync 1.9 (Beta)', value: 'lipsync-1.9.0-beta', description: 'The earlier, fastest model' },
			{ name: 'Lipsync 2', value: 'lipsync-2', description: 'Lip sync that keeps the speaker\'s own style' },
			{ name: 'Lipsync 2 Pro', value: 'lipsync-2-pro', description: 'Higher detail for close-ups; slower and dearer' },
			{ name: 'React 1', value: 'react-1', description: 'Lip sync with facial expression and head movement' },
			{ name: 'Sync 3', value: 'sync-3', description: 'The newest lip-sync model' },
		],
		default: 'lipsync-2',
		description: 'The sync.so model that renders the video',
	},
	{
		displayName: 'Face Source',
		name: 'videoSource',
		type: 'options',
		options: [{ name: 'Video URL', value: 'url', description: 'A public direct link to the video file' }, binaryFile('video')],
		default: 'url',
		description: 'Where the video of the speaking person comes from',
	},
	{ ...videoUrlField({ show: { videoSource: ['url'] } }), description: 'Public direct link to the video (MP4, MOV, WebM or AVI)' },
	{
		displayName: 'Video Input Binary Field',
		name: 'videoBinaryProperty',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data',
		description: 'The name of the input binary field containing the video: MP4, MOV, WebM or AVI',
		displayOptions: { show: { videoSource: ['binary'] } },
	},
	{
		displayName: 'Speech Source',
		name: 'audioSource',
		type: 'options',
		options: [
			{ name: 'Audio URL', value: 'url', description: 'A public direct link to the audio file' },
			binaryFile('audio'),
			{ name: 'Text to Speech', value: 'text', description: 'A script spoken by an ElevenLabs voice, through sync.so' },
		],
		default: 'url',
		description: 'Where the speech comes from',
	},
	{
		...audioUrlField({ show: { audioSource: ['url'] } }),
		placeholder: 'e.g. https://example.com/voice.wav',
		description: 'Public direct link to the audio (WAV, MP3, OGG, FLAC or M4A)',
	},
	{
		displayName: 'Audio Input Binary Field',
		name: 'audioBinaryProperty',
		type: 'string',
		default: 'audio',
		required: true,
		placeholder: 'e.g. audio',
		description: 'The name of the input binary field containing the audio: WAV, MP3, OGG, FLAC or M4A',
		displayOptions: { show: { audioSource: ['binary'] } },
	},
	{
		displayName: 'Voice ID',
		name: 'voiceId',
		type: 'string',
		default: '',
		required: true,
		description: 'A sync.so voice ID (cloned in sync.so Studio) or an ElevenLabs voice ID',
		displayOptions: { show: { audioSource: ['text'] } },
	},
	{
		displayName: 'Script',
		name: 'script',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'The text the voice speaks',
		displayOptions: { show: { audioSource: ['text'] } },
	},
	{
		displayName: 'Sync Mode',
		name: 'syncMode',
		type: 'options',
		options: [
			{ name: 'Bounce', value: 'bounce', description: 'A short video plays forwards then backwards; a long one is cut to the audio' },
			{ name: 'Cut Off', value: 'cut_off', description: 'Cut the longer of audio and video to the other' },
			{ name: 'Default (Picked by sync.so)', value: '', description: 'Send no sync mode' },
			{ name: 'Loop', value: 'loop', description: 'A short video loops; a long one is cut to the audio' },
			{ name: 'Remap', value: 'remap', description: 'Speed the video up or down to the audio\'s length' },
			{ name: 'Silence', value: 'silence', description: 'A long video gets silence after the audio; a long audio is cut' },
		],
		default: SYNCSO_DEFAULT_SYNC_MODE,
		description: 'What happens when the video and the audio differ in length',
	},
	{
		displayName: 'Generation Options',
		name: 'generationOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Emotion',
				name: 'emotion',
				type: 'options',
				options: SYNCSO_EMOTIONS.map((value) => ({ name: title(value), value })),
				default: 'neutral',
				description: 'The emotion of the face (React 1 only)',
			},
			{
				displayName: 'Model Mode',
				name: 'modelMode',
				type: 'options',
				options: SYNCSO_MODEL_MODES.map((value) => ({ name: title(value), value })),
				default: 'face',
				description: 'How much of the face React 1 animates (React 1 only)',
			},
			{
				displayName: 'Occlusion Detection',
				name: 'occlusionDetection',
				type: 'boolean',
				default: false,
				description: 'Whether sync.so detects hands or objects in front of the face (slower)',
			},
			{
				displayName: 'Output File Name',
				name: 'outputFileName',
				type: 'string',
				default: '',
				description: 'Name of the result file without extension (.mp4 is added): letters, digits, _ and -, up to 255',
			},
			{
				displayName: 'Temperature',
				name: 'temperature',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				default: 0.5,
				description: 'How expressive the result is, from 0 to 1',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Webhook URL',
				name: 'webhookUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://n8n.example.com/webhook/…/callback',
				description:
					"Public https URL sync.so POSTs the generation to when it completes or fails, signed with your organization's webhook signing secret, e.g. the Lip Sync Trigger's Production URL (n8n's WEBHOOK_URL must be its public https address)",
			},
		],
	},
];
