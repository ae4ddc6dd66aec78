import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import { renderItemError } from '../errors';
import type { VendorSession } from '../transport';

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
): Array<{ jobId?: string; error?: unknown }> {
	const entries: Array<{ jobId?: string; error?: unknown }> = [];
	const count = ctx.getInputData().length;
	for (let i = 0; i < count; i++) {
		const raw = ctx.getNodeParameter('jobId', i, '') as unknown;
		const jobId = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
		if (jobId) entries.push({ jobId });
		else
			entries.push({
				error: new NodeOperationError(ctx.getNode(), 'The Job ID is empty — map the jobId field of the Create output', {
					itemIndex: i,
				}),
			});
	}
	const firstInvalid = entries.findIndex((entry) => entry.error !== undefined);
	if (firstInvalid >= 0 && !ctx.continueOnFail()) {
		throw renderItemError(ctx.getNode(), adapter, entries[firstInvalid].error, session.secrets, firstInvalid);
	}
	return entries;
}
