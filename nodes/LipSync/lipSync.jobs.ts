import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { VENDOR_MODULES } from '../registry';
import type { VendorAdapter } from '../shared/adapter';
import { getAndCollect } from '../shared/operations/get.operation';
import { readRunOptions } from '../shared/operations/runOptions';
import { checkRunSize } from '../shared/operations/runSize';
import { vendorView } from '../shared/operations/vendorView';
import { waitAndCollect } from '../shared/operations/wait.operation';
import { emitRows, type RowResult } from './lipSync.output';
import { readCoreInput, rowVendor } from './lipSync.rows';

/**
 * Get and Wait over rows of any vendor: each row names its job's vendor (the `provider` of the
 * Create output) and its job id. Each vendor's rows are read or waited for concurrently, each
 * under its own session and limits, so one Wait node waits for a mixed batch.
 */
export async function lipSyncJobs(ctx: IExecuteFunctions, operation: 'get' | 'wait'): Promise<INodeExecutionData[][]> {
	const anyVendor = VENDOR_MODULES[0].adapter;
	checkRunSize(ctx, readRunOptions(ctx, anyVendor), operation);
	const groups = new Map<VendorAdapter, number[]>();
	const finished: RowResult[] = [];
	const views = new Map<VendorAdapter, IExecuteFunctions>();
	const viewOf = (adapter: VendorAdapter) => {
		if (!views.has(adapter)) views.set(adapter, vendorView(ctx, adapter, (i) => readCoreInput(ctx, i)));
		return views.get(adapter)!;
	};
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		const { adapter, error } = rowVendor(ctx, 'jobVendor', itemIndex);
		if (adapter && !error) groups.set(adapter, [...(groups.get(adapter) ?? []), itemIndex]);
		else {
			const vendor = adapter ?? anyVendor;
			const view = viewOf(vendor);
			finished.push({ adapter: vendor, view, result: { itemIndex, problem: error, problemKind: 'error' }, options: readRunOptions(view, vendor), attempts: [] });
		}
	}
	if (!ctx.continueOnFail() && finished.length > 0) return emitRows(ctx, finished);
	const collect = operation === 'get' ? getAndCollect : waitAndCollect;
	await Promise.all(
		[...groups].map(async ([adapter, itemIndexes]) => {
			const view = viewOf(adapter);
			const { results, options } = await collect(view, adapter, itemIndexes);
			for (const result of results) finished.push({ adapter, view, result, options, attempts: [] });
		}),
	);
	return emitRows(ctx, finished);
}
