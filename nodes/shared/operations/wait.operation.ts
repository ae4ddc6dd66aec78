import type { IExecuteFunctions, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import { waitForJobs, type JobTask } from '../wait/waitForJobs';
import { attachVideos } from './attachVideos';
import { openJobIdRun } from './jobIds';
import { emitItems, resolveOutcome, type ItemResult } from './output';
import type { RunOptions } from './runOptions';
import { buildPlan } from './submitAndWait';
import { fetchJob, fetchJobs } from './vendorCalls';

export const waitOption: INodePropertyOptions = {
	name: 'Wait',
	value: 'wait',
	action: 'Wait for lip-sync jobs',
	description: 'Wait for existing jobs (one job ID per item) to finish, all at once',
};

export async function executeWait(this: IExecuteFunctions, adapter: VendorAdapter): Promise<INodeExecutionData[][]> {
	const { results, options } = await waitAndCollect(this, adapter);
	return emitItems(this, adapter, results, options);
}

/** Waits for the jobs of the items `itemIndexes` (default: all), returning each item's result unrendered. */
export async function waitAndCollect(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	itemIndexes?: number[],
): Promise<{ results: ItemResult[]; options: RunOptions }> {
	const { session, options, entries } = await openJobIdRun(ctx, adapter, 'wait', itemIndexes);
	const results: ItemResult[] = [];
	const tasks: JobTask[] = [];
	for (const { jobId, error, itemIndex } of entries) {
		if (error !== undefined) results.push({ itemIndex, problem: error, problemKind: 'error' });
		else tasks.push({ itemIndex, jobId });
	}
	const plan = buildPlan(adapter, options, 'untilDone', session.deps.clock.now());
	const outcomes = await waitForJobs(tasks, plan, {
		clock: session.deps.clock,
		isCancelled: session.isCancelled,
		poll: async (jobId, deadline, holdMs) => await fetchJob(ctx, adapter, jobId, deadline, holdMs),
		pollMany: adapter.statusOfMany ? async (jobIds, deadline) => await fetchJobs(ctx, adapter, jobIds, deadline) : undefined,
	});
	for (const outcome of outcomes) results.push(resolveOutcome(ctx, adapter, outcome, options));
	if (options.downloadVideo) await attachVideos(ctx, adapter, results, options);
	return { results, options };
}
