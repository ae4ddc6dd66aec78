import type { IExecuteFunctions, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import { attachVideos } from './attachVideos';
import { mapWithConcurrency } from './concurrency';
import { jobIdProperty, openJobIdRun } from './jobIds';
import { emitItems, type ItemResult } from './output';
import type { RunOptions } from './runOptions';
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
	const { options, entries } = await openJobIdRun(ctx, adapter, 'get', itemIndexes);
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
