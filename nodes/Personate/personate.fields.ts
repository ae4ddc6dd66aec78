import type { INodeProperties } from 'n8n-workflow';

import { binaryLinkField } from '../shared/binaryLink';
import { audioUrlField, videoUrlField } from '../shared/adapterKit/coreFields';
import { PERSONATE_FETCHED_AUDIO, PERSONATE_FETCHED_VIDEO } from './personate.assumptions';

const dotted = (extensions: readonly string[]): string => extensions.map((e) => `.${e}`).join(' ');

export const PERSONATE_DISPLAY_NAMES: Record<string, string> = {
	model: 'Model',
	actorSource: 'Face Source',
	videoUrl: 'Video URL',
	videoBinaryProperty: 'Video Input Binary Field',
	avatarType: 'Avatar Type',
	avatarId: 'Avatar',
	scriptSource: 'Speech Source',
	audioUrl: 'Audio URL',
	audioBinaryProperty: 'Audio Input Binary Field',
	scriptText: 'Text',
	voiceType: 'Voice Type',
	voiceId: 'Voice',
};

const typeOptions = (what: string) => [
	{ name: 'Custom', value: 'custom', description: `A ${what} you created in Personate` },
	{ name: 'Public', value: 'public', description: `A ${what} from Personate's library` },
];

function locator(kind: 'avatar' | 'voice', show: Record<string, string[]>): INodeProperties {
	const Kind = kind === 'avatar' ? 'Avatar' : 'Voice';
	return {
		displayName: Kind,
		name: `${kind}Id`,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: `The ${kind} to use`,
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: kind === 'avatar' ? 'Select an avatar…' : 'Select a voice…',
				typeOptions: { searchListMethod: `search${Kind}s`, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: `e.g. ${kind}_123`,
			},
		],
	};
}

export const personateCreateProperties: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: [
			{ name: 'V1', value: 'v1' },
			{ name: 'V2', value: 'v2' },
		],
		default: 'v2',
		description: 'The Personate lip-sync model version',
	},
	{
		displayName: 'Face Source',
		name: 'actorSource',
		type: 'options',
		options: [
			{ name: 'Avatar', value: 'avatar', description: 'A public or custom Personate avatar' },
			{
				name: 'Binary File',
				value: 'binary',
				description: 'Your own video of the speaking person in a binary field of the input item, fetched by Personate from n8n',
			},
			{ name: 'Video URL', value: 'video', description: 'Your own video of the speaking person' },
		],
		default: 'avatar',
		description: 'Where the speaking face comes from',
	},
	videoUrlField({ show: { actorSource: ['video'] } }),
	binaryLinkField({
		displayName: 'Video Input Binary Field',
		name: 'videoBinaryProperty',
		default: 'video',
		holds: `video of the speaking person (${dotted(PERSONATE_FETCHED_VIDEO)})`,
		vendor: 'Personate',
		show: { actorSource: ['binary'] },
	}),
	{
		displayName: 'Avatar Type',
		name: 'avatarType',
		type: 'options',
		options: typeOptions('avatar'),
		default: 'public',
		displayOptions: { show: { actorSource: ['avatar'] } },
	},
	locator('avatar', { actorSource: ['avatar'] }),
	{
		displayName: 'Speech Source',
		name: 'scriptSource',
		type: 'options',
		options: [
			{ name: 'Audio URL', value: 'audio', description: 'A recording of the speech' },
			{
				name: 'Binary File',
				value: 'binary',
				description: 'The speech in a binary field of the input item (e.g. from a text-to-speech node), fetched by Personate from n8n',
			},
			{ name: 'Text', value: 'text', description: 'Text spoken by a Personate voice' },
		],
		default: 'audio',
		description: 'Where the words come from',
	},
	audioUrlField({ show: { scriptSource: ['audio'] } }),
	binaryLinkField({
		displayName: 'Audio Input Binary Field',
		name: 'audioBinaryProperty',
		default: 'data',
		holds: `speech (${dotted(PERSONATE_FETCHED_AUDIO)})`,
		vendor: 'Personate',
		show: { scriptSource: ['binary'] },
	}),
	{
		displayName: 'Text',
		name: 'scriptText',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Hello! Welcome to our product tour.',
		description: 'What the actor should say',
		displayOptions: { show: { scriptSource: ['text'] } },
	},
	{
		displayName: 'Voice Type',
		name: 'voiceType',
		type: 'options',
		options: typeOptions('voice'),
		default: 'public',
		displayOptions: { show: { scriptSource: ['text'] } },
	},
	locator('voice', { scriptSource: ['text'] }),
];
