import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';

export type Operation = 'create' | 'createAndWait' | 'get' | 'wait';

export interface RunOptions {
	pollIntervalMs: number;
	waitLimitMs: number;
	onTimeout: 'output' | 'error';
	onJobFailure: 'output' | 'error';
	downloadVideo: boolean;
	binaryPropertyName: string;
	/** Bytes a downloaded video may have (0 = no cap). */
	maxDownloadBytes: number;
	/** How long one video download may take, first byte to last. */
	downloadTimeoutMs: number;
	/** Which of the input item's fields each output row carries. */
	includeInputFields: 'none' | 'all' | 'selected';
	inputFieldsToInclude: string[];
	/** Leave the vendor's raw response body out of the output. */
	simplify: boolean;
	/** More items than this in one run fail before anything is sent (0 = no limit). */
	maxJobsPerExecution: number;
	/** Run by an AI agent: short waits, URLs instead of binaries, "still running" instead of errors. */
	toolMode: boolean;
}

/** Long enough for a large video on a slow link; a server that trickles forever ends here. */
export const DEFAULT_DOWNLOAD_TIME_LIMIT_MINUTES = 30;

/** A run-size guard against an accidental 10,000-row run of paid jobs. */
export const DEFAULT_MAX_JOBS_PER_EXECUTION = 500;

/** An agent should not sit on a tool call for an hour; it can call Get later. */
export const TOOL_WAIT_LIMIT_MINUTES = 2;

/**
 * n8n 2.x runs a `usableAsTool` node either through a supply-data context (isToolExecution())
 * or, for agents that issue engine requests, as a node whose type name gets a `Tool` suffix.
 * Either means "tool". The data never does: a `toolCallId` field in an ordinary input row (a
 * sheet column, an upstream node's output) must not switch off downloads, error outputs and
 * callback waiting for the whole run.
 */
export function isToolRun(ctx: IExecuteFunctions): boolean {
	const viaContext = typeof ctx.isToolExecution === 'function' && ctx.isToolExecution();
	if (viaContext) return true;
	return String(ctx.getNode().type ?? '').endsWith('Tool');
}

/** The download options, as both the node run and a resumed callback wait read them. */
export type DownloadOptions = Pick<RunOptions, 'downloadVideo' | 'binaryPropertyName' | 'maxDownloadBytes' | 'downloadTimeoutMs'>;

export function readDownloadOptions(options: IDataObject, toolMode: boolean): DownloadOptions {
	return {
		downloadVideo: !toolMode && options.downloadVideo === true,
		binaryPropertyName: String(options.binaryPropertyName || 'data'),
		maxDownloadBytes: Math.max(0, Number(options.maxDownloadSizeMb) || 0) * 1024 * 1024,
		downloadTimeoutMs: (Number(options.downloadTimeLimitMinutes) > 0 ? Number(options.downloadTimeLimitMinutes) : DEFAULT_DOWNLOAD_TIME_LIMIT_MINUTES) * 60_000,
	};
}

export function readRunOptions(ctx: IExecuteFunctions, adapter: VendorAdapter): RunOptions {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const toolMode = isToolRun(ctx);
	const interval = Number(options.pollIntervalSeconds ?? adapter.waitDefaults.pollIntervalSeconds);
	const explicitLimit = options.waitLimitMinutes !== undefined && options.waitLimitMinutes !== '';
	const limitMinutes = explicitLimit
		? Number(options.waitLimitMinutes)
		: toolMode
			? Math.min(TOOL_WAIT_LIMIT_MINUTES, adapter.waitDefaults.waitLimitMinutes)
			: adapter.waitDefaults.waitLimitMinutes;
	return {
		pollIntervalMs: Math.max(100, (Number.isFinite(interval) ? interval : adapter.waitDefaults.pollIntervalSeconds) * 1000),
		waitLimitMs: Math.max(0, (Number.isFinite(limitMinutes) ? limitMinutes : adapter.waitDefaults.waitLimitMinutes) * 60_000),
		onTimeout: toolMode ? 'output' : options.onTimeout === 'error' ? 'error' : 'output',
		onJobFailure: options.onJobFailure === 'error' ? 'error' : 'output',
		...readDownloadOptions(options, toolMode),
		includeInputFields: includeInputFieldsOf(options.includeInputFields),
		inputFieldsToInclude: String(options.inputFieldsToInclude ?? '')
			.split(',')
			.map((field) => field.trim())
			.filter(Boolean),
		simplify: toolMode || ctx.getNodeParameter('simplify', 0, false) === true,
		maxJobsPerExecution: nonNegative(options.maxJobsPerExecution, DEFAULT_MAX_JOBS_PER_EXECUTION),
		toolMode,
	};
}

const includeInputFieldsOf = (value: unknown): RunOptions['includeInputFields'] =>
	value === 'all' || value === 'selected' ? value : 'none';

function nonNegative(value: unknown, fallback: number): number {
	if (value === undefined || value === null || value === '') return fallback;
	const number = Number(value);
	return Number.isFinite(number) && number >= 0 ? Math.floor(number) : fallback;
}

const WAITING_OPERATIONS: Operation[] = ['create', 'createAndWait', 'wait'];
const RESULT_OPERATIONS: Operation[] = ['createAndWait', 'get', 'wait'];

/** The Options collection shared by all operations of every vendor node. */
export function optionsProperty(adapter: VendorAdapter): INodeProperties {
	const property = sharedOptions();
	// The literal defaults above are placeholders (the linter wants literals); the vendor's own apply.
	for (const option of property.options as INodeProperties[]) {
		if (option.name === 'pollIntervalSeconds') option.default = adapter.waitDefaults.pollIntervalSeconds;
		if (option.name === 'waitLimitMinutes') option.default = adapter.waitDefaults.waitLimitMinutes;
	}
	return property;
}

function sharedOptions(): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Download Time Limit (Minutes)',
				name: 'downloadTimeLimitMinutes',
				type: 'number',
				typeOptions: { minValue: 0.05, numberPrecision: 2 },
				default: 30,
				description: 'How long one video download may take from its first byte to its last; a slower download is an error (the URL stays in the output)',
				displayOptions: { show: { '/operation': RESULT_OPERATIONS } },
			},
			{
				displayName: 'Download Video',
				name: 'downloadVideo',
				type: 'boolean',
				default: false,
				description:
					'Whether to stream finished videos into binary data (the URL is always in the output). Ignored when the node runs as an AI tool.',
				displayOptions: { show: { '/operation': RESULT_OPERATIONS } },
			},
			{
				displayName: 'Include Input Fields',
				name: 'includeInputFields',
				type: 'options',
				default: 'none',
				options: [
					{ name: 'All', value: 'all', description: 'Each result row keeps every field of its input row (e.g. a sheet row number)' },
					{ name: 'None', value: 'none', description: 'Only the job fields' },
					{ name: 'Selected', value: 'selected', description: 'Only the input fields named below' },
				],
				description: 'Whether each result row also carries fields of the input row it came from, so results can be written back to that row. Job fields win when names clash.',
			},
			{
				displayName: 'Input Fields to Include',
				name: 'inputFieldsToInclude',
				type: 'string',
				default: '',
				placeholder: 'e.g. row_number, email',
				description: 'Comma-separated names of input fields to keep',
				displayOptions: { show: { includeInputFields: ['selected'] } },
			},
			{
				displayName: 'Max Download Size (MB)',
				name: 'maxDownloadSizeMb',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'A video larger than this is not downloaded (its URL stays in the output). 0 means no limit.',
				displayOptions: { show: { '/operation': RESULT_OPERATIONS } },
			},
			{
				displayName: 'Max Jobs per Execution',
				name: 'maxJobsPerExecution',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 500,
				description: 'Safety limit: a run with more input items than this fails before anything is sent (no credits spent, no status requests). 0 means no limit.',
			},
			{
				displayName: 'On Job Failure',
				name: 'onJobFailure',
				type: 'options',
				default: 'output',
				options: [
					{ name: 'Output the Failed Job', value: 'output', description: 'Output it with status "failed" and the vendor\'s error' },
					{ name: 'Fail the Item', value: 'error', description: 'Treat it as an error (continues if the node is set to continue on fail)' },
				],
				displayOptions: { show: { '/operation': RESULT_OPERATIONS } },
			},
			{
				displayName: 'On Timeout',
				name: 'onTimeout',
				type: 'options',
				default: 'output',
				options: [
					{ name: 'Output Still-Running Jobs', value: 'output', description: 'Output them with their job ID and status "queued" or "processing"; check later with Get' },
					{ name: 'Fail the Item', value: 'error', description: 'Treat a job that is still running at the wait limit as an error' },
				],
				displayOptions: { show: { '/operation': ['createAndWait', 'wait'] } },
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollIntervalSeconds',
				type: 'number',
				typeOptions: { minValue: 0.5, numberPrecision: 1 },
				default: 10,
				description:
					'The longest a job goes without a status check, so the latest a finished job is noticed. Once jobs of this run have finished, the others are also checked around when their durations say they will finish, usually noticing them sooner.',
				displayOptions: { show: { '/operation': WAITING_OPERATIONS } },
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				placeholder: 'e.g. data',
				description: 'The name of the output binary field to put the video in when Download Video is on',
				displayOptions: { show: { '/operation': RESULT_OPERATIONS } },
			},
			{
				displayName: 'Wait Limit (Minutes)',
				name: 'waitLimitMinutes',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 1 },
				default: 60,
				description:
					'How long to wait for all jobs together. For Create, how long items may wait for a free slot when the vendor limits running jobs.',
				displayOptions: { show: { '/operation': WAITING_OPERATIONS } },
			},
		],
	};
}
