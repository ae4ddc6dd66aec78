import type { INodeProperties } from 'n8n-workflow';

import { CORE_FIELD_DISPLAY_NAMES, videoUrlField } from '../shared/adapterKit/coreFields';
import { binaryLinkField } from '../shared/binaryLink';
import { MODELLIX_FETCHED_AUDIO, MODELLIX_FETCHED_IMAGE, MODELLIX_FETCHED_VIDEO } from './modellix.assumptions';

/** The documented lip-sync model: its fields are the node's own (docs/vendors.md, Modellix). */
export const MODELLIX_VIDU_MODEL = 'vidu/lip-sync';
/** Any other Modellix model: the user gives its slug and its request body. */
export const MODELLIX_OTHER_MODEL = 'other';
export const MODELLIX_MODEL_CHOICES = [MODELLIX_VIDU_MODEL, MODELLIX_OTHER_MODEL] as const;

export const MODELLIX_DISPLAY_NAMES: Record<string, string> = {
	...CORE_FIELD_DISPLAY_NAMES,
	modelSlug: 'Model',
	otherModelSlug: 'Model Slug',
	requestBody: 'Request Body',
	referenceFaceImageUrl: 'Reference Face Image URL',
	referenceFaceSource: 'Reference Face Source',
	referenceFaceImageBinaryProperty: 'Reference Face Image Input Binary Field',
};

const dotted = (extensions: readonly string[]): string => extensions.map((e) => `.${e}`).join(' ');
const otherModel = { modelSlug: [MODELLIX_OTHER_MODEL] };

/** A URL-or-binary choice, and the binary field it opens (Modellix fetches the file from n8n). */
function sourceChoice(choice: {
	displayName: string;
	name: string;
	what: string;
	urlName: string;
	binaryField: { displayName: string; name: string; default: string; holds: string };
	/** An optional input ("None" is the default). */
	optional?: boolean;
}): INodeProperties[] {
	const options = [
		{ name: choice.urlName, value: 'url', description: `A public direct link to the ${choice.what}` },
		{ name: 'Binary File', value: 'binary', description: `The ${choice.what} in a binary field of the input item, fetched by Modellix from n8n` },
	];
	return [
		{
			displayName: choice.displayName,
			name: choice.name,
			type: 'options',
			options,
			default: 'url',
			description: `Where the ${choice.what} comes from`,
			displayOptions: { hide: otherModel },
		},
		binaryLinkField({ ...choice.binaryField, vendor: 'Modellix', show: { [choice.name]: ['binary'] }, hide: otherModel }),
	];
}

const urlOf = (source: string) => ({ hide: { ...otherModel, [source]: ['binary'] } });
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
	...sourceChoice({
		displayName: 'Face Source',
		name: 'videoSource',
		what: 'video of the speaking person',
		urlName: 'Video URL',
		binaryField: { displayName: 'Video Input Binary Field', name: 'videoBinaryProperty', default: 'video', holds: `video of the speaking person (${dotted(MODELLIX_FETCHED_VIDEO)})` },
	}),
	videoUrlField(urlOf('videoSource')),
	...sourceChoice({
		displayName: 'Speech Source',
		name: 'audioSource',
		what: 'speech',
		urlName: 'Audio URL',
		binaryField: { displayName: 'Audio Input Binary Field', name: 'audioBinaryProperty', default: 'data', holds: `speech (${dotted(MODELLIX_FETCHED_AUDIO)})` },
	}),
	{
		displayName: 'Audio URL',
		name: 'audioUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/voice.mp3',
		description: 'Public direct link to the speech the person should say (Modellix marks it optional)',
		displayOptions: urlOf('audioSource'),
	},
	...sourceChoice({
		displayName: 'Reference Face Source',
		name: 'referenceFaceSource',
		what: 'reference face photo',
		urlName: 'Reference Face Image URL',
		binaryField: {
			displayName: 'Reference Face Image Input Binary Field',
			name: 'referenceFaceImageBinaryProperty',
			default: 'image',
			holds: `photo of the face to lip-sync (${dotted(MODELLIX_FETCHED_IMAGE)})`,
		},
	}),
	{
		displayName: 'Reference Face Image URL',
		name: 'referenceFaceImageUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/face.jpg',
		description:
			'Optional public link to a photo of the face to lip-sync. Helps when the video shows more than one face.',
		displayOptions: urlOf('referenceFaceSource'),
	},
];
