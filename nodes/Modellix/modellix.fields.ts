import type { INodeProperties } from 'n8n-workflow';

/** The documented lip-sync model: its fields are the node's own (docs/vendors.md, Modellix). */
export const MODELLIX_VIDU_MODEL = 'vidu/lip-sync';
/** Any other Modellix model: the user gives its slug and its request body. */
export const MODELLIX_OTHER_MODEL = 'other';
export const MODELLIX_MODEL_CHOICES = [MODELLIX_VIDU_MODEL, MODELLIX_OTHER_MODEL] as const;

export const MODELLIX_DISPLAY_NAMES: Record<string, string> = {
	modelSlug: 'Model',
	otherModelSlug: 'Model Slug',
	requestBody: 'Request Body',
	videoUrl: 'Video URL',
	audioUrl: 'Audio URL',
	referenceFaceImageUrl: 'Reference Face Image URL',
};

const viduFieldsOnly = { hide: { modelSlug: [MODELLIX_OTHER_MODEL] } };
const otherModelOnly = { show: { modelSlug: [MODELLIX_OTHER_MODEL] } };

const modelOptions = [
	{
		name: 'Other Model',
		value: MODELLIX_OTHER_MODEL,
		description: 'Another Modellix model (e.g. PixVerse or SkyReels lip sync): enter its slug and request body',
	},
	{ name: 'Vidu Lip Sync', value: MODELLIX_VIDU_MODEL, description: 'Lip-sync a video to a new audio track' },
];

/**
 * Version 1 nodes were offered these two models directly (they are sent Vidu's fields, see
 * MODELLIX_LEGACY_MODEL_SLUGS): their list keeps them, so a saved choice still shows as chosen.
 */
const legacyModelOptions = [
	{ name: 'PixVerse Lipsync (Vidu Fields)', value: 'pixverse/lipsync', description: 'Kept for saved workflows: new nodes use Other Model' },
	{ name: 'SkyReels Sky Lipsync (Vidu Fields)', value: 'skyreels/sky-lipsync', description: 'Kept for saved workflows: new nodes use Other Model' },
];

const modelProperty = (options: typeof modelOptions, versions: NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>['@version']): INodeProperties => ({
	displayName: 'Model',
	name: 'modelSlug',
	type: 'options',
	options,
	default: MODELLIX_VIDU_MODEL,
	description: 'The lip-sync model Modellix runs the job on',
	displayOptions: { show: { '@version': versions } },
});

export const modellixCreateProperties: INodeProperties[] = [
	modelProperty([...modelOptions, ...legacyModelOptions].sort((a, b) => a.name.localeCompare(b.name)), [1]),
	modelProperty(modelOptions, [{ _cnd: { gte: 1.1 } }]),
	{
		displayName: 'Model Slug',
		name: 'otherModelSlug',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. pixverse/lipsync',
		description: 'The model as provider/model, as its page in the Modellix documentation names it',
		displayOptions: otherModelOnly,
	},
	{
		displayName: 'Request Body',
		name: 'requestBody',
		type: 'json',
		default: '{\n  "video_url": "",\n  "audio_url": ""\n}',
		required: true,
		description:
			"The model's parameters as a JSON object, named as its page in the Modellix documentation names them. Sent as it is.",
		displayOptions: otherModelOnly,
	},
	{
		displayName: 'Video URL',
		name: 'videoUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/presenter.mp4',
		description: 'Public direct link to the video of the speaking person',
		displayOptions: viduFieldsOnly,
	},
	{
		displayName: 'Audio URL',
		name: 'audioUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/voice.mp3',
		description: 'Public direct link to the speech the person should say (Modellix marks it optional)',
		displayOptions: viduFieldsOnly,
	},
	{
		displayName: 'Reference Face Image URL',
		name: 'referenceFaceImageUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/face.jpg',
		description:
			'Optional public link to a photo of the face to lip-sync. Helps when the video shows more than one face.',
		displayOptions: viduFieldsOnly,
	},
];
