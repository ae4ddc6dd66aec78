import type { IExecuteFunctions, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import { openSession } from '../transport';
import { waitForJobs, type JobTask } from '../wait/waitForJobs';
import { attachVideos } from './attachVideos';
import { readAllJobIds } from './jobIds';
import { emitItems, resolveOutcome, type ItemResult } from './output';
import { readRunOptions } from './runOptions';
import { checkRunSize } from './runSize';
import { buildPlan } from './submitAndWait';
import { fetchJob } from './vendorCalls';

export const waitOption: INodePropertyOptions = {
	name: 'Wait',
	value: 'wait',
	action: 'Wait for lip-sync jobs',
	description: 'Wait for existing jobs (one job ID per item) to finish, all at once',
};

export async function executeWait(this: IExecuteFunctions, adapter: VendorAdapter): Promise<INodeExecutionData[][]> {
	const session = await openSession(this, adapter);
	const options = readRunOptions(this, adapter);
	checkRunSize(this, options, 'wait');
	const entries = readAllJobIds(this, adapter, session);
	const results: ItemResult[] = [];
	const tasks: JobTask[] = [];
	entries.forEach(({ jobId, error }, itemIndex) => {
		if (error !== undefined) results.push({ itemIndex, problem: error, problemKind: 'error' });
		else tasks.push({ itemIndex, jobId });
	});
	const plan = buildPlan(adapter, options, 'untilDone', session.deps.clock.now());
	const outcomes = await waitForJobs(tasks, plan, {
		clock: session.deps.clock,
		isCancelled: session.isCancelled,
		poll: async (jobId, deadline) => await fetchJob(this, adapter, jobId, deadline),
	});
	for (const outcome of outcomes) results.push(resolveOutcome(this, adapter, outcome, options));
	if (options.downloadVideo) await attachVideos(this, adapter, results, options);
	return emitItems(this, adapter, results, options);
}
