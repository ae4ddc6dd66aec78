import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { VendorAdapter } from '../shared/adapter';
import { renderItemError } from '../shared/errors';
import { emitItems, type ItemResult } from '../shared/operations/output';
import type { RunOptions } from '../shared/operations/runOptions';
import { getSession } from '../shared/transport';
import { attemptsField, type Attempt } from './lipSync.fallback';

/** One row's final result, with the vendor (and its view of the node) that answered for it. */
export interface RowResult {
	adapter: VendorAdapter;
	view: IExecuteFunctions;
	result: ItemResult;
	options: RunOptions;
	attempts: Attempt[];
}

/**
 * Renders every row as the vendor nodes do (each by its own vendor), in input order, adding the
 * attempts of rows that moved on. A row that is an item error stops the run unless the node
 * continues on fail, naming the jobs the other rows made, so no paid job id is lost.
 */
export function emitRows(ctx: IExecuteFunctions, rows: RowResult[]): INodeExecutionData[][] {
	const sorted = [...rows].sort((a, b) => a.result.itemIndex - b.result.itemIndex);
	const failing = sorted.find(
		({ result, options }) =>
			result.problem !== undefined && !options.toolMode && (result.problemKind === 'error' || options.onJobFailure === 'error'),
	);
	const stopped = sorted.some(({ view }) => getSession(view)?.isCancelled() === true);
	if (failing && !ctx.continueOnFail() && !stopped) {
		const { adapter, view, result } = failing;
		const rendered = renderItemError(ctx.getNode(), adapter, result.problem, getSession(view)?.secrets ?? [], result.itemIndex, result.jobId);
		const others = sorted
			.filter((row) => row !== failing && row.result.jobId)
			.map(({ adapter: a, result: r }) => `item ${r.itemIndex}: ${a.displayName} job ${r.jobId} (${r.job?.status ?? 'submitted'})`);
		if (others.length > 0) {
			rendered.description = [rendered.description, `Other jobs of this run: ${others.join('; ')}`].filter(Boolean).join('\n');
		}
		throw rendered;
	}
	const out: INodeExecutionData[] = [];
	for (const { adapter, view, result, options, attempts } of sorted) {
		const [[item]] = emitItems(view, adapter, [result], options);
		if (attempts.length > 0) {
			const target = (item.json.details as INodeExecutionData['json'] | undefined) ?? item.json;
			target.attempts = attemptsField(attempts, options.simplify);
		}
		out.push(item);
	}
	return [out];
}
