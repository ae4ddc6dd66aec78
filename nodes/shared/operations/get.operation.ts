import type { IExecuteFunctions, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import { openSession } from '../transport';
import { attachVideos } from './attachVideos';
import { mapWithConcurrency } from './concurrency';
import { jobIdProperty, readAllJobIds } from './jobIds';
import { emitItems, type ItemResult } from './output';
import { readRunOptions, type RunOptions } from './runOptions';
import { checkRunSize } from './runSize';
import { MAX_CONCURRENT_POLLS } from './submitAndWait';
import { fetchJob } from './vendorCalls';

export const getOption: INodePropertyOptions = {
	name: 'Get',
	value: 'get',
	action: 'Get lip-sync job status',
	description: 'Get the current status (and video URL) of one job per item',
};

export const getProperties = [jobIdProperty];

export async function executeGet(this: IExecuteFunctions, adapter: VendorAdapter): Promise<INodeExecutionData[][]> {
	const { results, options } = await getAndCollect(this, adapter);
	return emitItems(this, adapter, results, options);
}

/** Reads the jobs of the items `itemIndexes` (default: all), returning each item's result unrendered. */
export async function getAndCollect(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	itemIndexes?: number[],
): Promise<{ results: ItemResult[]; options: RunOptions }> {
	const session = await openSession(ctx, adapter);
	const options = readRunOptions(ctx, adapter);
	checkRunSize(ctx, options, 'get');
	const entries = readAllJobIds(ctx, adapter, session, itemIndexes);
	const results = await mapWithConcurrency(entries, MAX_CONCURRENT_POLLS, async ({ jobId, error, itemIndex }) => {
		const result: ItemResult = { itemIndex, jobId };
		if (error !== undefined) return { ...result, problem: error, problemKind: 'error' as const };
		try {
			return { ...result, job: await fetchJob(ctx, adapter, jobId!) };
		} catch (failure) {
			return { ...result, problem: failure, problemKind: 'row' as const };
		}
	});
	if (options.downloadVideo) await attachVideos(ctx, adapter, results, options);
	return { results, options };
}
