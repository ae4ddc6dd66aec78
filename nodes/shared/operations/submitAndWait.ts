import { randomUUID } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { CreateRequest, VendorAdapter } from '../adapter';
import { factsOf, renderItemError, VendorFailure } from '../errors';
import { getSession, openSession, type VendorSession } from '../transport';
import type { WaitPlan } from '../wait/scheduler';
import { waitForJobs, type JobTask } from '../wait/waitForJobs';
import { attachVideos } from './attachVideos';
import { closeLedger, recordSubmittedJob, recordUncertainCreate } from './jobLedger';
import { emitItems, resolveOutcome, type ItemResult } from './output';
import { readRunOptions, type RunOptions } from './runOptions';
import { checkRunSize } from './runSize';
import { SubmissionMemory, submissionKey } from './submissionMemory';
import { idempotencyKeyOf, sendPaidCreate } from './paidCreate';
import { createToolkit, fetchJob, fetchJobs } from './vendorCalls';

/** Status calls in flight at once, across all items. */
export const MAX_CONCURRENT_POLLS = 10;
/** Create requests in flight at once (the vendors' own limits apply on top). */
export const MAX_CONCURRENT_SUBMITS = 10;
const MAX_FAILED_POLL_ROUNDS = 5;
/** Extra looks at a job that reports success before its video URL is filled in. */
const MAX_RESULT_PENDING_POLLS = 3;
/** After a rate-limit refusal that names no delay. */
const RATE_LIMIT_RETRY_MS = 10_000;

/** Creates are bound by the requests a minute that status reads count in too (no tighter create limit of their own). */
const readsShareCreateBudget = ({ requestsPerMinute, postsPerMinute }: VendorAdapter['limits']): boolean =>
	requestsPerMinute !== undefined && (postsPerMinute === undefined || postsPerMinute >= requestsPerMinute);

export function buildPlan(adapter: VendorAdapter, options: RunOptions, mode: WaitPlan['mode'], now: number): WaitPlan {
	return {
		mode,
		pollIntervalMs: options.pollIntervalMs,
		// A quick first look catches instant failures (bad input URLs) without a full interval.
		firstPollDelayMs: Math.min(options.pollIntervalMs, 5_000),
		deadline: now + options.waitLimitMs,
		capsRunningJobs: adapter.limits.maxRunningJobs !== undefined,
		readsShareCreateBudget: readsShareCreateBudget(adapter.limits),
		maxConcurrentPolls: MAX_CONCURRENT_POLLS,
		maxConcurrentSubmits: MAX_CONCURRENT_SUBMITS,
		concurrencyRetryMs: options.pollIntervalMs,
		rateLimitRetryMs: RATE_LIMIT_RETRY_MS,
		maxFailedPolls: MAX_FAILED_POLL_ROUNDS,
		maxResultPendingPolls: MAX_RESULT_PENDING_POLLS,
		// Held reads only while waiting for results: Create ends once every job exists, and a read
		// held open then would only delay its end.
		longPollMaxMs: adapter.longPoll && mode === 'untilDone' ? adapter.longPoll.maxHoldSeconds * 1000 : undefined,
		// Looks due together go out as one request where the vendor reads several jobs at once.
		maxIdsPerStatusRead: adapter.statusOfMany?.maxIds,
	};
}

/**
 * The share of a node run's items one vendor handles, when a node spreads its items over several
 * vendors: item indexes stay those of the node's input, and `memoryScope` keeps each vendor's
 * remembered jobs apart (an item may try more than one vendor).
 */
export interface RunPart {
	itemIndexes: number[];
	memoryScope: string;
	/**
	 * When the node run began, if before this part (on the session's clock): the wait limit counts
	 * from it, so a later part (a row's fallback vendor) gets what is left of the limit, not a new one.
	 */
	startedAt?: number;
}

const allItems = (ctx: IExecuteFunctions): number[] => ctx.getInputData().map((_, i) => i);

/** Validates every item before anything is sent: an invalid item stops the run with zero requests. */
async function readAllInputs(ctx: IExecuteFunctions, adapter: VendorAdapter, session: VendorSession, itemIndexes: number[]) {
	const inputs: Array<{ itemIndex: number; input?: IDataObject; error?: unknown }> = [];
	for (const itemIndex of itemIndexes) {
		try {
			inputs.push({ itemIndex, input: await adapter.readCreateInput(ctx, itemIndex) });
		} catch (error) {
			inputs.push({ itemIndex, error });
		}
	}
	const firstInvalid = inputs.find((entry) => entry.error !== undefined);
	if (firstInvalid && !ctx.continueOnFail()) {
		throw renderItemError(ctx.getNode(), adapter, firstInvalid.error, session.secrets, firstInvalid.itemIndex);
	}
	return inputs;
}

/**
 * Create (mode `untilSubmitted`) and Create and Wait (`untilDone`): validate every item, then
 * submit them all under the account's limits and wait for them together.
 */
export async function submitAndWait(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	mode: WaitPlan['mode'],
): Promise<INodeExecutionData[][]> {
	const { results, options } = await createAndCollect(ctx, adapter, mode);
	// After a Stop the ledger stays as it is: it is then the record of what was sent.
	if (!getSession(ctx)?.isCancelled()) closeLedger(ctx);
	return emitItems(ctx, adapter, results, options);
}

/** Submits (and, `untilDone`, waits for) the items of `part` (default: all), returning each item's result unrendered. */
export async function createAndCollect(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	mode: WaitPlan['mode'],
	part: RunPart = { itemIndexes: allItems(ctx), memoryScope: '' },
): Promise<{ results: ItemResult[]; options: RunOptions; startedAt: number }> {
	const session = await openSession(ctx, adapter);
	const startedAt = part.startedAt ?? session.deps.clock.now();
	const options = readRunOptions(ctx, adapter);
	checkRunSize(ctx, options, mode === 'untilDone' ? 'createAndWait' : 'create');
	const inputs = await readAllInputs(ctx, adapter, session, part.itemIndexes);
	const memory = new SubmissionMemory(ctx, part.memoryScope);
	const extras = new Map<number, IDataObject>();
	const keys = new Map<number, string>();
	const results: ItemResult[] = [];
	const tasks: JobTask[] = [];

	inputs.forEach(({ input, error, itemIndex }) => {
		if (error !== undefined || !input) {
			results.push({ itemIndex, problem: error, problemKind: 'error' });
			return;
		}
		const key = submissionKey(itemIndex);
		keys.set(itemIndex, key);
		const earlier = memory.recall(key);
		if (earlier?.jobId) {
			tasks.push({ itemIndex, jobId: earlier.jobId });
			return;
		}
		// Without an idempotency key an uncertain create is never sent again; with one, exactly as it was sent.
		const resend = adapter.idempotentCreates ? earlier?.request : undefined;
		if (earlier?.uncertain && !resend) {
			const facts = {
				kind: 'uncertainCreate' as const,
				message: 'an earlier try of this node sent this item without a clear answer, so it is not sent again',
			};
			const problem = new VendorFailure(ctx.getNode(), adapter, facts, session.secrets);
			results.push({ itemIndex, problem, problemKind: 'row', maybeCreated: true });
			return;
		}
		const idempotencyKey = idempotencyKeyOf(ctx, part.memoryScope, itemIndex);
		// Kept across submits: a create re-queued after "try later" reuses its uploads.
		let request: CreateRequest | undefined = resend;
		tasks.push({
			itemIndex,
			submit: async (deadline) => {
				if (!request) {
					const prepared = adapter.prepareCreateInput
						? await adapter.prepareCreateInput(input, createToolkit(ctx, adapter, itemIndex))
						: input;
					request = adapter.createRequest(prepared, randomUUID(), session.credentials);
				}
				if (request.outputExtras) extras.set(itemIndex, request.outputExtras);
				const { outputExtras: _extras, ...vendorCall } = request;
				try {
					return await sendPaidCreate(ctx, adapter, vendorCall, itemIndex, { deadline, idempotencyKey });
				} catch (failure) {
					const facts = factsOf(failure);
					if (facts.kind === 'uncertainCreate') {
						memory.markUncertain(key, adapter.idempotentCreates ? request : undefined);
						recordUncertainCreate(ctx, adapter.provider, itemIndex, facts.message);
					}
					throw renderItemError(ctx.getNode(), adapter, failure, session.secrets, itemIndex);
				}
			},
		});
	});

	const outcomes = await waitForJobs(tasks, buildPlan(adapter, options, mode, startedAt), {
		clock: session.deps.clock,
		isCancelled: session.isCancelled,
		poll: async (jobId, deadline, holdMs) => await fetchJob(ctx, adapter, jobId, deadline, holdMs),
		pollMany: adapter.statusOfMany ? async (jobIds, deadline) => await fetchJobs(ctx, adapter, jobIds, deadline) : undefined,
		onSubmitted: (itemIndex, jobId) => {
			memory.remember(keys.get(itemIndex)!, jobId);
			recordSubmittedJob(ctx, adapter.provider, itemIndex, jobId);
			adapter.callback?.correlate?.(jobId, extras.get(itemIndex));
		},
		runningJobs: session.account.runningJobs,
	});

	for (const outcome of outcomes) {
		results.push(resolveOutcome(ctx, adapter, outcome, options, extras.get(outcome.itemIndex)));
	}
	if (mode === 'untilDone' && options.downloadVideo) await attachVideos(ctx, adapter, results, options);
	return { results, options, startedAt };
}
