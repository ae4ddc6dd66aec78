import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { Operation, RunOptions } from './runOptions';

/**
 * The run-size guard ("Max Jobs per Execution"): a run with more items than allowed fails before
 * anything is sent. Every operation has it: a create pays per item, and Get and Wait send status
 * requests (and maybe downloads) per item against the account's rate limits, so a wrong input of
 * 10,000 rows costs hours of quota too.
 */
export function checkRunSize(ctx: IExecuteFunctions, options: RunOptions, operation: Operation): void {
	const count = ctx.getInputData().length;
	const max = options.maxJobsPerExecution;
	if (max === 0 || count <= max) return;
	const creates = operation === 'create' || operation === 'createAndWait';
	throw new NodeOperationError(ctx.getNode(), `This run has ${count} items, more than Max Jobs per Execution (${max}) allows — nothing was sent`, {
		description: creates
			? `Each item is a paid job. If ${count} jobs are intended, raise "Max Jobs per Execution" in the node's options (0 means no limit); otherwise check the node's input.`
			: `Each item is a job to look up, with its own status requests (and download). If ${count} jobs are intended, raise "Max Jobs per Execution" in the node's options (0 means no limit); otherwise check the node's input.`,
	});
}
