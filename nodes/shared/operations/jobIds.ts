import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import { renderItemError } from '../errors';
import { openSession, type VendorSession } from '../transport';
import { readRunOptions, type RunOptions } from './runOptions';
import { checkRunSize } from './runSize';

export const jobIdProperty: INodeProperties = {
	displayName: 'Job ID',
	name: 'jobId',
	type: 'string',
	required: true,
	default: '={{ $json.jobId }}',
	placeholder: 'e.g. 6f0c2a1b-93d4-4e8a-b1c7-2f5e8d9a0c3b',
	description: 'The ID of the job, as returned by the Create operation (the jobId field)',
	displayOptions: { show: { operation: ['get', 'wait'] } },
};

/** Reads every item's job id before any request; an empty one stops the run (unless continuing on fail). */
export function readAllJobIds(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	session: VendorSession,
	itemIndexes: number[] = ctx.getInputData().map((_, i) => i),
): Array<{ itemIndex: number; jobId?: string; error?: unknown }> {
	const entries: Array<{ itemIndex: number; jobId?: string; error?: unknown }> = [];
	for (const itemIndex of itemIndexes) {
		const raw = ctx.getNodeParameter('jobId', itemIndex, '') as unknown;
		const jobId = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
		if (jobId) entries.push({ itemIndex, jobId });
		else
			entries.push({
				itemIndex,
				error: new NodeOperationError(ctx.getNode(), 'The Job ID is empty — map the jobId field of the Create output', {
					itemIndex,
				}),
			});
	}
	const firstInvalid = entries.find((entry) => entry.error !== undefined);
	if (firstInvalid && !ctx.continueOnFail()) {
		throw renderItemError(ctx.getNode(), adapter, firstInvalid.error, session.secrets, firstInvalid.itemIndex);
	}
	return entries;
}

/**
 * What Get and Wait start with: the run's session and options, the run-size guard, then every
 * item's job id (of the items `itemIndexes`, default all) before any request.
 */
export async function openJobIdRun(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	operation: 'get' | 'wait',
	itemIndexes?: number[],
): Promise<{ session: VendorSession; options: RunOptions; entries: ReturnType<typeof readAllJobIds> }> {
	const session = await openSession(ctx, adapter);
	const options = readRunOptions(ctx, adapter);
	checkRunSize(ctx, options, operation);
	return { session, options, entries: readAllJobIds(ctx, adapter, session, itemIndexes) };
}
