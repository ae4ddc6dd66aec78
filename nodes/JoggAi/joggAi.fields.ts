import type { INodeProperties } from 'n8n-workflow';

import { CORE_FIELD_DISPLAY_NAMES } from '../shared/adapterKit/coreFields';

export const JOGGAI_PLAYBACK_TYPES = ['normal', 'normal_reverse', 'normal_reverse_by_audio'] as const;
export type JoggAiPlaybackType = (typeof JOGGAI_PLAYBACK_TYPES)[number];

export const JOGGAI_DISPLAY_NAMES: Record<string, string> = {
	...CORE_FIELD_DISPLAY_NAMES,
	playbackType: 'Playback Type',
};

const binaryFile = (kind: string) => ({
	name: 'Binary File',
	value: 'binary',
	description: `The ${kind} file in a binary field of the input item (e.g. from HTTP Request or Read/Write Files from Disk), uploaded to JoggAI first`,
});

const SOURCE_OPTIONS = {
	video: [binaryFile('video'), { name: 'Video URL', value: 'url', description: 'A public direct link to the video file' }],
	audio: [{ name: 'Audio URL', value: 'url', description: 'A public direct link to the audio file' }, binaryFile('audio')],
};

function sourceFields(kind: 'video' | 'audio', binaryPropertyDefault: string): INodeProperties[] {
	const Kind = kind === 'video' ? 'Video' : 'Audio';
	const sourceName = `${kind}Source`;
	// JoggAI's file-type and size rules are documented for uploads only; its create endpoint
	// takes any URL (`format: uri`).
	const types = kind === 'video' ? 'MP4, WebM or MOV, up to 100 MB and 5 minutes' : 'MP3, WAV or M4A, up to 20 MB and 10 minutes';
	return [
		{
			displayName: kind === 'video' ? 'Face Source' : 'Speech Source',
			name: sourceName,
			type: 'options',
			options: SOURCE_OPTIONS[kind],
			default: 'url',
			description: kind === 'video' ? 'Where the video of the speaking person comes from' : 'Where the speech comes from',
		},
		{
			displayName: `${Kind} URL`,
			name: `${kind}Url`,
			type: 'string',
			default: '',
			required: true,
			placeholder: kind === 'video' ? 'e.g. https://example.com/presenter.mp4' : 'e.g. https://example.com/voice.mp3',
			description: `Public direct link to the ${kind} file`,
			displayOptions: { show: { [sourceName]: ['url'] } },
		},
		{
			displayName: `${Kind} Input Binary Field`,
			name: `${kind}BinaryProperty`,
			type: 'string',
			default: binaryPropertyDefault,
			required: true,
			placeholder: `e.g. ${binaryPropertyDefault}`,
			description: `The name of the input binary field containing the ${kind} file: ${types}`,
			displayOptions: { show: { [sourceName]: ['binary'] } },
		},
	];
}

export const joggAiCreateProperties: INodeProperties[] = [
	...sourceFields('video', 'data'),
	...sourceFields('audio', 'audio'),
	{
		displayName: 'Playback Type',
		name: 'playbackType',
		type: 'options',
		options: [
			{ name: 'Normal', value: 'normal', description: 'Play the video once' },
			{
				name: 'Normal Then Reverse',
				value: 'normal_reverse',
				description: 'Play the video forwards, then backwards, and repeat',
			},
			{
				name: 'Normal Then Reverse, Cut to Audio',
				value: 'normal_reverse_by_audio',
				description: 'Forwards and backwards until the audio ends',
			},
		],
		default: 'normal',
		description: 'How the video is extended when it is shorter than the audio',
	},
];
