import { randomUUID } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import { factsOf, renderItemError, VendorFailure } from '../errors';
import { openSession, vendorRequest, type VendorSession } from '../transport';
import { waitForJobs, type JobTask, type WaitPlan } from '../wait/waitForJobs';
import { attachVideos } from './attachVideos';
import { recordSubmittedJob } from './jobLedger';
import { emitItems, resolveOutcome, type ItemResult } from './output';
import { readRunOptions, type RunOptions } from './runOptions';
import { SubmissionMemory, submissionKey } from './submissionMemory';
import { createToolkit, fetchJob, readCreated } from './vendorCalls';

/** Status calls in flight at once, across all items. */
export const MAX_CONCURRENT_POLLS = 10;
/** Create requests in flight at once (the vendors' own limits apply on top). */
export const MAX_CONCURRENT_SUBMITS = 5;
const MAX_FAILED_POLL_ROUNDS = 5;

export function buildPlan(
	adapter: VendorAdapter,
	options: RunOptions,
	mode: WaitPlan['mode'],
	now: number,
	stopSubmittingOnFailure: boolean,
): WaitPlan {
	return {
		mode,
		pollIntervalMs: options.pollIntervalMs,
		// A quick first look catches instant failures (bad input URLs) without a full interval.
		firstPollDelayMs: Math.min(options.pollIntervalMs, 5_000),
		deadline: now + options.waitLimitMs,
		maxRunningJobs: adapter.limits.maxRunningJobs,
		maxConcurrentPolls: MAX_CONCURRENT_POLLS,
		maxConcurrentSubmits: MAX_CONCURRENT_SUBMITS,
		concurrencyRetryMs: options.pollIntervalMs,
		maxFailedPolls: MAX_FAILED_POLL_ROUNDS,
		stopSubmittingOnFailure,
	};
}

/** Validates every item before anything is sent: an invalid item stops the run with zero requests. */
async function readAllInputs(ctx: IExecuteFunctions, adapter: VendorAdapter, session: VendorSession) {
	const inputs: Array<{ input?: IDataObject; error?: unknown }> = [];
	const count = ctx.getInputData().length;
	for (let i = 0; i < count; i++) {
		try {
			inputs.push({ input: await adapter.readCreateInput(ctx, i) });
		} catch (error) {
			inputs.push({ error });
		}
	}
	const firstInvalid = inputs.findIndex((entry) => entry.error !== undefined);
	if (firstInvalid >= 0 && !ctx.continueOnFail()) {
		throw renderItemError(ctx.getNode(), adapter, inputs[firstInvalid].error, session.secrets, firstInvalid);
	}
	return inputs;
}

/**
 * Create (mode `untilSubmitted`) and Create and Wait (`untilDone`): validate every item, then
 * submit them all under the vendor's limits and wait for them together.
 */
export async function submitAndWait(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	mode: WaitPlan['mode'],
): Promise<INodeExecutionData[][]> {
	const session = await openSession(ctx, adapter);
	const options = readRunOptions(ctx, adapter);
	const inputs = await readAllInputs(ctx, adapter, session);
	const memory = new SubmissionMemory(ctx);
	const extras = new Map<number, IDataObject>();
	const keys = new Map<number, string>();
	const results: ItemResult[] = [];
	const tasks: JobTask[] = [];

	inputs.forEach(({ input, error }, itemIndex) => {
		if (error !== undefined || !input) {
			results.push({ itemIndex, error });
			return;
		}
		const key = submissionKey(itemIndex, input);
		keys.set(itemIndex, key);
		const earlier = memory.recall(key);
		if (earlier?.jobId) {
			tasks.push({ itemIndex, jobId: earlier.jobId });
			return;
		}
		if (earlier?.uncertain) {
			const facts = {
				kind: 'uncertainCreate' as const,
				message: 'an earlier attempt of this node sent this item and got no answer, so it is not sent again',
			};
			results.push({ itemIndex, error: new VendorFailure(ctx.getNode(), adapter, facts, session.secrets) });
			return;
		}
		tasks.push({
			itemIndex,
			submit: async () => {
				const prepared = adapter.prepareCreateInput
					? await adapter.prepareCreateInput(input, createToolkit(ctx, adapter, itemIndex))
					: input;
				const request = adapter.createRequest(prepared, randomUUID());
				if (request.outputExtras) extras.set(itemIndex, request.outputExtras);
				const { outputExtras: _extras, ...vendorCall } = request;
				try {
					const body = await vendorRequest(ctx, adapter, vendorCall, { retry: false });
					return readCreated(ctx, adapter, body);
				} catch (error) {
					if (factsOf(error).kind === 'uncertainCreate') memory.markUncertain(key);
					throw renderItemError(ctx.getNode(), adapter, error, session.secrets, itemIndex);
				}
			},
		});
	});

	const stopOnFailure = !ctx.continueOnFail() && !options.toolMode;
	const outcomes = await waitForJobs(tasks, buildPlan(adapter, options, mode, session.deps.clock.now(), stopOnFailure), {
		clock: session.deps.clock,
		isCancelled: session.isCancelled,
		poll: async (jobId) => await fetchJob(ctx, adapter, jobId),
		onSubmitted: (itemIndex, jobId) => {
			memory.remember(keys.get(itemIndex)!, jobId);
			recordSubmittedJob(ctx, adapter.provider, itemIndex, jobId);
		},
	});

	for (const outcome of outcomes) {
		results.push(resolveOutcome(ctx, adapter, outcome, options, extras.get(outcome.itemIndex)));
	}
	if (mode === 'untilDone' && options.downloadVideo) await attachVideos(ctx, adapter, results, options);
	return emitItems(ctx, adapter, results, options.toolMode);
}
