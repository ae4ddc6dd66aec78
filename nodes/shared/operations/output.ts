import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import { adviceFor, factsOf, renderItemError, VendorFailure, type FailureFacts } from '../errors';
import type { NormalizedJob } from '../job';
import { getSession } from '../transport';
import type { JobOutcome } from '../wait/waitForJobs';
import type { RunOptions } from './runOptions';

/** One item's result before it becomes an output item (or an error). */
export interface ItemResult {
	itemIndex: number;
	jobId?: string;
	job?: NormalizedJob;
	extras?: IDataObject;
	/** What went wrong with this item, if anything. */
	problem?: unknown;
	/**
	 * `row`: a job outcome (failed job, refused or uncertain create, failed download): a `failed`
	 * row unless On Job Failure says "fail the item". `error`: always an item error.
	 */
	problemKind?: 'row' | 'error';
	/** The create got no clear answer: a paid job may exist. */
	maybeCreated?: boolean;
	/** Shown to an AI agent or user next to the job, e.g. "still running". */
	note?: string;
	binary?: IBinaryData;
	binaryPropertyName?: string;
}

export function placeholderJob(adapter: VendorAdapter, jobId: string, status: 'queued' | 'processing'): NormalizedJob {
	return { provider: adapter.provider, jobId, status, providerStatus: '', raw: {} };
}

function failure(ctx: IExecuteFunctions, adapter: VendorAdapter, facts: FailureFacts): VendorFailure {
	return new VendorFailure(ctx.getNode(), adapter, facts, getSession(ctx)?.secrets ?? []);
}

const stillRunningNote = (jobId: string) => `Still running — check job ${jobId} later with the Get operation.`;

const ACCOUNT_KINDS: ReadonlySet<FailureFacts['kind']> = new Set(['auth', 'credit', 'permission', 'config']);

/** What a row says about a job we lost track of (its status checks kept failing, or its result could not be read). */
function lostTrackNote(adapter: VendorAdapter, jobId: string, facts: FailureFacts, job?: NormalizedJob): string {
	const name = adapter.displayName;
	if (job?.resultPending) {
		const said = job.providerStatus ? ` ("${job.providerStatus}")` : '';
		return `${name} reports job ${jobId} finished${said}, but its answer has no video URL the node can read — the job is not failed: check it at ${adapter.dashboardUrl} or with the Get operation (Simplify off shows ${name}'s raw answer).`;
	}
	if (ACCOUNT_KINDS.has(facts.kind)) {
		return `${name} refused the status checks of job ${jobId} (${adviceFor(facts, adapter)}), but the job exists and may still be running: fix the credential, then check it with the Get operation.`;
	}
	// The vendor's own advice (e.g. which credential field holds a guessed path) says what to fix.
	const advice = facts.hint ? ` About the last error: ${facts.hint}` : '';
	return `Lost track of job ${jobId}: its status checks kept failing, but the job exists and may still be running — check it later with the Get operation.${advice}`;
}

/** Turns a scheduler outcome into an item result, applying the user's timeout choice. */
export function resolveOutcome(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	outcome: JobOutcome,
	options: RunOptions,
	extras?: IDataObject,
): ItemResult {
	const { jobId } = outcome;
	const base: ItemResult = { itemIndex: outcome.itemIndex, jobId, job: outcome.job, extras };
	const facts = outcome.error === undefined ? undefined : factsOf(outcome.error);
	switch (outcome.state) {
		case 'finished': {
			const job = outcome.job!;
			if (job.status !== 'failed') return base;
			const jobFacts: FailureFacts = { kind: 'jobFailed', message: job.error?.message ?? '', code: job.error?.code, jobId };
			return { ...base, problem: failure(ctx, adapter, jobFacts), problemKind: 'row' };
		}
		case 'submitted':
			return { ...base, job: outcome.job ?? placeholderJob(adapter, jobId!, 'queued') };
		case 'timedOut':
		case 'pollFailed': {
			// A job we lost track of (its status checks kept failing, whatever the error) still
			// exists: its row keeps the id and the last known status, never `failed`.
			const lost = outcome.state === 'pollFailed' && facts !== undefined;
			const job: NormalizedJob = { ...(outcome.job ?? placeholderJob(adapter, jobId!, 'processing')) };
			if (facts) job.statusCheckError = { message: facts.message, ...(facts.code !== undefined ? { code: facts.code } : {}) };
			const note = lost ? lostTrackNote(adapter, jobId!, facts, outcome.job) : stillRunningNote(jobId!);
			if (options.onTimeout === 'error' && !options.toolMode) {
				const error = failure(ctx, adapter, { ...(facts ?? {}), kind: 'stillRunning', message: facts?.message ?? '', jobId, ...(lost ? { hint: note } : {}) });
				return { ...base, job, problem: error, problemKind: 'error' };
			}
			return { ...base, job, note };
		}
		case 'cancelled':
			if (!jobId) {
				const hint = 'the execution was stopped before this item was submitted (nothing was created)';
				return { ...base, problem: failure(ctx, adapter, { kind: 'cancelled', message: '', hint }), problemKind: 'row' };
			}
			return {
				...base,
				job: outcome.job ?? placeholderJob(adapter, jobId, 'processing'),
				note: `The execution was stopped; job ${jobId} keeps running at the vendor — check it later with the Get operation.`,
			};
		case 'maybeCreated':
			return { ...base, problem: outcome.error, problemKind: 'row', maybeCreated: true };
		case 'submitFailed':
			return { ...base, problem: outcome.error, problemKind: 'row' };
		case 'notSubmitted': {
			const error = facts
				? failure(ctx, adapter, { ...facts, kind: 'notSubmitted', hint: notSubmittedHint(adapter, facts) })
				: failure(ctx, adapter, { kind: 'notSubmitted', message: '' });
			return { ...base, problem: error, problemKind: 'row' };
		}
		default:
			return { ...base, problem: failure(ctx, adapter, { kind: 'unknown', message: 'no result' }), problemKind: 'row' };
	}
}

function notSubmittedHint(adapter: VendorAdapter, facts: FailureFacts): string | undefined {
	if (facts.kind === 'auth' || facts.kind === 'credit' || facts.kind === 'permission') {
		return `not submitted, because ${adapter.displayName} refused the account for another item: ${adviceFor(facts, adapter)}`;
	}
	return undefined;
}

function inputFields(ctx: IExecuteFunctions, itemIndex: number, options: RunOptions): IDataObject {
	if (options.includeInputFields === 'none') return {};
	const json = ctx.getInputData()[itemIndex]?.json ?? {};
	if (options.includeInputFields === 'all') return { ...json };
	const picked: IDataObject = {};
	for (const field of options.inputFieldsToInclude) if (field in json) picked[field] = json[field];
	return picked;
}

function rowJson(ctx: IExecuteFunctions, result: ItemResult, options: RunOptions): IDataObject {
	const json: IDataObject = { ...inputFields(ctx, result.itemIndex, options), ...(result.job ?? {}), ...(result.extras ?? {}) };
	if (result.jobId && !json.jobId) json.jobId = result.jobId;
	if (options.simplify) delete json.raw;
	if (result.note) json.message = result.note;
	return json;
}

/**
 * A simplified row stays flat for a sheet or Data Table, like n8n's own continue-on-fail rows:
 * `error` as text (an object reads "[object Object]" in a column) and `errorCode` beside it; the
 * same for a lost job's `statusCheckError` (`statusCheckErrorCode`).
 */
export function flattenError(json: IDataObject): void {
	flattenField(json, 'error', 'errorCode');
	flattenField(json, 'statusCheckError', 'statusCheckErrorCode');
}

function flattenField(json: IDataObject, field: string, codeField: string): void {
	const value = json[field];
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
	const { message, code } = value as IDataObject;
	json[field] = String(message ?? '');
	if (code !== undefined && code !== null) json[codeField] = code as string | number;
}

/** The `error` field of a failed row: the vendor's own job error, else the rendered problem. */
function rowError(result: ItemResult, rendered: Error): IDataObject {
	if (result.job?.status === 'failed' && result.job.error) return { ...result.job.error };
	const facts = factsOf(result.problem);
	const code = facts.code ?? facts.httpStatus;
	return code === undefined ? { message: rendered.message } : { code, message: rendered.message };
}

/**
 * The node's output: one item per input item, in input order, each paired with its input.
 * A failed job, a refused create or a failed download is a `failed` row, a create without a clear
 * answer an `unknown` row with `maybeCreated: true` (On Job Failure:
 * output, the default), so one bad row never costs the others their results; with n8n's
 * "Continue (using error output)" such rows go to the error output (the row under `details`).
 * Item errors are thrown
 * unless the node continues on fail, naming the other jobs of the run so no paid job id is lost.
 */
export function emitItems(ctx: IExecuteFunctions, adapter: VendorAdapter, results: ItemResult[], options: RunOptions): INodeExecutionData[][] {
	const secrets = getSession(ctx)?.secrets ?? [];
	const sorted = [...results].sort((a, b) => a.itemIndex - b.itemIndex);
	// After the user pressed Stop, report what exists instead of failing.
	const stopped = getSession(ctx)?.isCancelled() === true;
	const continueOnFail = ctx.continueOnFail() || stopped || options.toolMode;
	const toErrorOutput = ctx.getNode().onError === 'continueErrorOutput';
	const out: INodeExecutionData[] = [];
	for (const result of sorted) {
		const json = rowJson(ctx, result, options);
		const item: INodeExecutionData = { json, pairedItem: { item: result.itemIndex } };
		if (result.problem !== undefined) {
			const rendered = renderItemError(ctx.getNode(), adapter, result.problem, secrets, result.itemIndex, result.jobId);
			const isError = result.problemKind === 'error' || options.onJobFailure === 'error';
			if (isError && !continueOnFail) throw withOtherJobs(rendered, result, sorted);
			if (!result.job) {
				// No job is known: the row still has the normalized shape. Only a create the vendor
				// refused (or never sent) is `failed`; one without a clear answer may have made a
				// paid job, and a job id whose status could not be read (Get) is a job we cannot
				// see: both are `unknown`, never `failed` (a workflow re-running failed rows would
				// pay twice).
				const status = result.maybeCreated || result.jobId ? 'unknown' : 'failed';
				Object.assign(json, { provider: adapter.provider, status, providerStatus: '' }, options.simplify ? {} : { raw: {} });
			}
			json.error = rowError(result, rendered);
			if (result.maybeCreated) json.maybeCreated = true;
			// n8n sends an item to the error output when its json holds only error/message/details
			// (an item with .error would be cut down to its message, losing the job id); n8n then
			// adds the input row's fields itself.
			if (options.simplify) flattenError(json);
			if (toErrorOutput) item.json = { error: json.error, message: rendered.message, details: json };
		} else {
			if (options.simplify) flattenError(json);
			if (result.binary) item.binary = { [result.binaryPropertyName ?? 'data']: result.binary };
		}
		out.push(item);
	}
	return [out];
}

function withOtherJobs<E extends Error & { description?: string | null }>(rendered: E, result: ItemResult, all: ItemResult[]): E {
	const others = all
		.filter((r) => r !== result && r.jobId)
		.map((r) => `item ${r.itemIndex}: job ${r.jobId} (${r.job?.status ?? 'submitted'})`);
	if (others.length > 0) {
		rendered.description = [rendered.description, `Other jobs of this run: ${others.join('; ')}`].filter(Boolean).join('\n');
	}
	return rendered;
}
