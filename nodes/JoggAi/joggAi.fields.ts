import type { INodeProperties } from 'n8n-workflow';

export const JOGGAI_PLAYBACK_TYPES = ['normal', 'normal_reverse', 'normal_reverse_by_audio'] as const;
export type JoggAiPlaybackType = (typeof JOGGAI_PLAYBACK_TYPES)[number];

export const JOGGAI_DISPLAY_NAMES: Record<string, string> = {
	videoSource: 'Video Source',
	videoUrl: 'Video URL',
	videoBinaryProperty: 'Video Binary Property',
	audioSource: 'Audio Source',
	audioUrl: 'Audio URL',
	audioBinaryProperty: 'Audio Binary Property',
	playbackType: 'Playback Type',
};

function sourceFields(kind: 'video' | 'audio', binaryPropertyDefault: string): INodeProperties[] {
	const Kind = kind === 'video' ? 'Video' : 'Audio';
	const sourceName = `${kind}Source`;
	// JoggAI's file-type and size rules are documented for uploads only; its create endpoint
	// takes any URL (`format: uri`).
	const types = kind === 'video' ? 'MP4, WebM or MOV, up to 100 MB and 5 minutes' : 'MP3, WAV or M4A, up to 20 MB and 10 minutes';
	return [
		{
			displayName: `${Kind} Source`,
			name: sourceName,
			type: 'options',
			options: [
				{
					name: 'Binary Property of the Input Item',
					value: 'binary',
					description: `Upload the ${kind} file of the input item to JoggAI first`,
				},
				{ name: 'URL', value: 'url', description: `A public direct link to the ${kind} file` },
			],
			default: 'url',
		},
		{
			displayName: `${Kind} URL`,
			name: `${kind}Url`,
			type: 'string',
			default: '',
			required: true,
			placeholder: kind === 'video' ? 'https://example.com/presenter.mp4' : 'https://example.com/voice.mp3',
			description: `Public direct link to the ${kind} file`,
			displayOptions: { show: { [sourceName]: ['url'] } },
		},
		{
			displayName: `${Kind} Binary Property`,
			name: `${kind}BinaryProperty`,
			type: 'string',
			default: binaryPropertyDefault,
			required: true,
			placeholder: binaryPropertyDefault,
			description: `Name of the input item's binary property holding the ${kind}: ${types}`,
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
