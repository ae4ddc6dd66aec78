import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * The node's run index in this execution: 0 for its first run, 1, 2 … for each further run (each
 * batch of a Loop Over Items, each turn of a loop). n8n re-runs a failed node (Retry On Fail)
 * with the same index. Read from `$runIndex` (n8n's `$thisRunIndex` is its deprecated alias), once
 * per node run: the job ledger and the Retry On Fail memory must agree on it.
 */
const runIndexes = new WeakMap<IExecuteFunctions, number>();

export function nodeRunIndex(ctx: IExecuteFunctions): number {
	let index = runIndexes.get(ctx);
	if (index === undefined) {
		try {
			const value = Number(ctx.getWorkflowDataProxy(0).$runIndex);
			index = Number.isInteger(value) && value > 0 ? value : 0;
		} catch {
			index = 0;
		}
		runIndexes.set(ctx, index);
	}
	return index;
}
