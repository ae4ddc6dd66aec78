import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import { factsOf, isTransient, renderItemError, VendorFailure, type FailureFacts } from '../errors';
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
	/** Set: the item failed (thrown unless the node continues on fail). */
	error?: unknown;
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

const stillRunningNote = (jobId: string) =>
	`Still running — check job ${jobId} later with the Get operation.`;

/** Turns a scheduler outcome into an item result, applying the user's timeout/failure choices. */
export function resolveOutcome(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	outcome: JobOutcome,
	options: RunOptions,
	extras?: IDataObject,
): ItemResult {
	const base: ItemResult = { itemIndex: outcome.itemIndex, jobId: outcome.jobId, job: outcome.job, extras };
	const jobId = outcome.jobId;
	switch (outcome.state) {
		case 'finished': {
			const job = outcome.job!;
			if (job.status === 'failed' && options.onJobFailure === 'error') {
				const facts: FailureFacts = { kind: 'jobFailed', message: job.error?.message ?? '', code: job.error?.code, jobId };
				return { ...base, error: failure(ctx, adapter, facts) };
			}
			return base;
		}
		case 'submitted':
			return { ...base, job: outcome.job ?? placeholderJob(adapter, jobId!, 'queued') };
		case 'timedOut':
		case 'pollFailed': {
			const facts = outcome.error === undefined ? undefined : factsOf(outcome.error);
			if (outcome.state === 'pollFailed' && facts && !isTransient(facts.kind)) {
				return { ...base, error: outcome.error };
			}
			const job: NormalizedJob = { ...(outcome.job ?? placeholderJob(adapter, jobId!, 'processing')) };
			if (facts) job.statusCheckError = { message: facts.message, ...(facts.code !== undefined ? { code: facts.code } : {}) };
			if (options.onTimeout === 'error' && !options.toolMode) {
				return { ...base, job, error: failure(ctx, adapter, { kind: 'stillRunning', message: facts?.message ?? '', jobId }) };
			}
			return { ...base, job, note: stillRunningNote(jobId!) };
		}
		case 'cancelled':
			if (!jobId) return { ...base, error: outcome.error ?? failure(ctx, adapter, { kind: 'cancelled', message: '' }) };
			return {
				...base,
				job: outcome.job ?? placeholderJob(adapter, jobId, 'processing'),
				note: `The execution was stopped; job ${jobId} keeps running at the vendor — check it later with the Get operation.`,
			};
		case 'notSubmitted': {
			const facts = outcome.error === undefined ? undefined : factsOf(outcome.error);
			const error = facts
				? failure(ctx, adapter, { ...facts, kind: 'notSubmitted' })
				: failure(ctx, adapter, {
						kind: 'notSubmitted',
						message: '',
						hint: 'not submitted, because another item failed first — fix that item and run again',
					});
			return { ...base, error };
		}
		default:
			return { ...base, error: outcome.error ?? failure(ctx, adapter, { kind: 'unknown', message: 'no result' }) };
	}
}

function jobJson(result: ItemResult, toolMode: boolean): IDataObject {
	const json: IDataObject = { ...(result.job ?? {}), ...(result.extras ?? {}) };
	if (result.jobId && !json.jobId) json.jobId = result.jobId;
	// An agent reads every byte we return: keep the normalized fields, not the vendor's raw body.
	if (toolMode) delete json.raw;
	if (result.note) json.message = result.note;
	return json;
}

/**
 * The node's output: one item per input item, in input order, each paired with its input.
 * Item errors become `{ error, ...job }` rows when the node continues on fail; otherwise the
 * first one is thrown, naming the other jobs of the run so no paid job id is lost.
 */
export function emitItems(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	results: ItemResult[],
	toolMode: boolean,
): INodeExecutionData[][] {
	const secrets = getSession(ctx)?.secrets ?? [];
	const sorted = [...results].sort((a, b) => a.itemIndex - b.itemIndex);
	// After the user pressed Stop, report what exists instead of failing: n8n then marks the
	// execution as cancelled and keeps these rows, job ids included.
	const stopped = getSession(ctx)?.isCancelled() === true;
	const continueOnFail = ctx.continueOnFail() || stopped;
	const out: INodeExecutionData[] = [];
	for (const result of sorted) {
		if (result.error !== undefined) {
			const rendered = renderItemError(ctx.getNode(), adapter, result.error, secrets, result.itemIndex, result.jobId);
			if (!continueOnFail && !toolMode) {
				const others = sorted
					.filter((r) => r !== result && r.jobId)
					.map((r) => `item ${r.itemIndex}: job ${r.jobId} (${r.job?.status ?? 'submitted'})`);
				if (others.length > 0) {
					rendered.description = [rendered.description, `Other jobs of this run: ${others.join('; ')}`]
						.filter(Boolean)
						.join('\n');
				}
				throw rendered;
			}
			out.push({
				json: { ...jobJson(result, toolMode), error: rendered.message },
				pairedItem: { item: result.itemIndex },
			});
			continue;
		}
		const item: INodeExecutionData = { json: jobJson(result, toolMode), pairedItem: { item: result.itemIndex } };
		if (result.binary) item.binary = { [result.binaryPropertyName ?? 'data']: result.binary };
		out.push(item);
	}
	return [out];
}
