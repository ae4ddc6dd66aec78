import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';

/**
 * What a run reads from the node's Options collection, validated and defaulted; the collection
 * itself, as n8n shows it, is in runOptionsProperty.ts.
 */

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
