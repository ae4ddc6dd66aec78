import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { VENDOR_MODULES } from '../registry';
import type { VendorAdapter } from '../shared/adapter';
import { closeLedger } from '../shared/operations/jobLedger';
import type { ItemResult } from '../shared/operations/output';
import { readRunOptions } from '../shared/operations/runOptions';
import { checkRunSize } from '../shared/operations/runSize';
import { createAndCollect } from '../shared/operations/submitAndWait';
import { vendorView } from '../shared/operations/vendorView';
import { getSession } from '../shared/transport';
import type { WaitPlan } from '../shared/wait/scheduler';
import { movesOn, refusedBeforeSending, type Attempt } from './lipSync.fallback';
import { emitRows, type RowResult } from './lipSync.output';
import { fallbackVendors, readCoreInput, rowVendor } from './lipSync.rows';

/**
 * Create and Create and Wait over several vendors. Every row is checked first (its vendor
 * usable, its input one the vendor can take, else the next vendor that can): an unusable row
 * stops the run before anything is sent. Then each vendor's rows run concurrently through the
 * engine, each vendor under its own account limits; a row whose vendor definitely made nothing
 * moves on to the next fallback vendor in a later round.
 */

interface Row {
	itemIndex: number;
	/** The vendors the row may still try, in order; the first is the current one. */
	chain: VendorAdapter[];
	attempts: Attempt[];
}

type Views = Map<VendorAdapter, IExecuteFunctions>;

function viewOf(ctx: IExecuteFunctions, views: Views, adapter: VendorAdapter): IExecuteFunctions {
	let view = views.get(adapter);
	if (!view) {
		view = vendorView(ctx, adapter, (itemIndex) => readCoreInput(ctx, itemIndex));
		views.set(adapter, view);
	}
	return view;
}

/** Drops the vendors at the head of the row's chain that cannot take its input, recording why. */
async function firstVendorTakingInput(ctx: IExecuteFunctions, views: Views, row: Row): Promise<unknown> {
	let lastProblem: unknown;
	while (row.chain.length > 0) {
		const adapter = row.chain[0];
		const mapped = adapter.coreInput.parameters(readCoreInput(ctx, row.itemIndex));
		try {
			if ('refused' in mapped) throw new Error(String(mapped.refused));
			await adapter.readCreateInput(viewOf(ctx, views, adapter), row.itemIndex);
			return undefined;
		} catch (problem) {
			lastProblem = problem;
			row.attempts.push(refusedBeforeSending(adapter, problem instanceof Error ? problem.message : String(problem)));
			row.chain.shift();
		}
	}
	return lastProblem;
}

export async function lipSyncCreate(ctx: IExecuteFunctions, mode: WaitPlan['mode']): Promise<INodeExecutionData[][]> {
	const anyVendor = VENDOR_MODULES[0].adapter;
	const nodeOptions = readRunOptions(ctx, anyVendor);
	checkRunSize(ctx, nodeOptions, mode === 'untilDone' ? 'createAndWait' : 'create');
	const fallbacks = fallbackVendors(ctx);
	const fallBackOnJobFailure = mode === 'untilDone' && (ctx.getNodeParameter('options', 0, {}) as IDataObject).fallBackOnJobFailure === true;
	const views: Views = new Map();
	const finished: RowResult[] = [];
	let pending: Row[] = [];

	// Every row is checked before anything is sent.
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		const { adapter, error } = rowVendor(ctx, 'vendor', itemIndex);
		const fallback = adapter ?? anyVendor;
		const row: Row = { itemIndex, chain: adapter && !error ? [adapter, ...fallbacks.filter((f) => f !== adapter)] : [], attempts: [] };
		const problem = error ?? (await firstVendorTakingInput(ctx, views, row));
		if (row.chain.length > 0) pending.push(row);
		else {
			const view = viewOf(ctx, views, fallback);
			const result: ItemResult = { itemIndex, problem, problemKind: 'error' };
			finished.push({ adapter: fallback, view, result, options: readRunOptions(view, fallback), attempts: error ? [] : row.attempts });
		}
	}
	if (!ctx.continueOnFail() && finished.length > 0) return emitRows(ctx, finished);

	// One wait limit for the node run: a row's fallback vendor gets what is left of it.
	let startedAt: number | undefined;
	while (pending.length > 0) {
		const groups = new Map<VendorAdapter, Row[]>();
		for (const row of pending) groups.set(row.chain[0], [...(groups.get(row.chain[0]) ?? []), row]);
		pending = [];
		await Promise.all(
			[...groups].map(async ([adapter, rows]) => {
				const view = viewOf(ctx, views, adapter);
				const part = { itemIndexes: rows.map((row) => row.itemIndex), memoryScope: adapter.provider, startedAt };
				const { results, options, startedAt: partStartedAt } = await createAndCollect(view, adapter, mode, part);
				startedAt = Math.min(startedAt ?? partStartedAt, partStartedAt);
				for (const result of results) {
					const row = rows.find((r) => r.itemIndex === result.itemIndex)!;
					const attempt = row.chain.length > 1 && getSession(view)?.isCancelled() !== true ? movesOn(adapter, result, fallBackOnJobFailure) : undefined;
					if (attempt) {
						row.attempts.push(attempt);
						row.chain.shift();
						pending.push(row);
					} else finished.push({ adapter, view, result, options, attempts: row.attempts });
				}
			}),
		);
		// The next vendor of a moved row may not take its input either.
		for (const row of [...pending]) {
			const problem = await firstVendorTakingInput(ctx, views, row);
			if (row.chain.length === 0) {
				pending.splice(pending.indexOf(row), 1);
				const last = VENDOR_MODULES.map((m) => m.adapter).find((a) => a.provider === row.attempts.at(-1)?.vendor) ?? anyVendor;
				const view = viewOf(ctx, views, last);
				finished.push({ adapter: last, view, result: { itemIndex: row.itemIndex, problem, problemKind: 'row' }, options: readRunOptions(view, last), attempts: row.attempts });
			}
		}
	}
	const cancelled = [...views.values()].some((view) => getSession(view)?.isCancelled() === true);
	// After a Stop the ledger stays as it is: it is then the record of what was sent.
	if (!cancelled) closeLedger(ctx);
	return emitRows(ctx, finished);
}
