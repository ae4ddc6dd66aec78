import type { IExecuteFunctions } from 'n8n-workflow';

import type { CreateToolkit, VendorAdapter } from '../adapter';
import { uploadBinaryStream } from '../binary';
import { vendorFailure } from '../errors';
import type { NormalizedJob } from '../job';
import { vendorUrlProblem } from '../publicUrl';
import { getSession, vendorRequest, type VendorContext } from '../transport';

/**
 * Reads a job's status (retried on transient trouble until `deadline`); an unreadable body counts
 * as transient. `holdMs` (whole seconds) asks a vendor with long-polling to hold the request until
 * the job changes, that long at most; the request's timeout grows by the hold.
 */
export async function fetchJob(ctx: VendorContext, adapter: VendorAdapter, jobId: string, deadline?: number, holdMs = 0): Promise<NormalizedJob> {
	const holdSeconds = adapter.longPoll ? Math.min(adapter.longPoll.maxHoldSeconds, Math.floor(holdMs / 1000)) : 0;
	const request = holdSeconds >= 1 ? adapter.longPoll!.statusRequest(jobId, holdSeconds) : adapter.statusRequest(jobId);
	const body = await vendorRequest(ctx, adapter, request, { retry: true, deadline, holdMs: holdSeconds * 1000 });
	try {
		return adapter.parseStatus(jobId, body);
	} catch (error) {
		throw vendorFailure(
			ctx.getNode(),
			adapter,
			{
				kind: 'malformed',
				message: `the status response could not be read (${error instanceof Error ? error.message : String(error)})`,
				jobId,
			},
			getSession(ctx)?.secrets ?? [],
		);
	}
}

/**
 * Reads the status of several jobs in one request (the adapter's StatusOfMany), retried on
 * transient trouble until `deadline`: the jobs the answer names, others left out. An unreadable
 * answer counts as transient, as for one job.
 */
export async function fetchJobs(ctx: VendorContext, adapter: VendorAdapter, jobIds: string[], deadline?: number): Promise<NormalizedJob[]> {
	const many = adapter.statusOfMany!;
	const body = await vendorRequest(ctx, adapter, many.request(jobIds), { retry: true, deadline });
	try {
		return many.parse(body);
	} catch (error) {
		throw vendorFailure(
			ctx.getNode(),
			adapter,
			{ kind: 'malformed', message: `the status response for ${jobIds.length} jobs could not be read (${error instanceof Error ? error.message : String(error)})` },
			getSession(ctx)?.secrets ?? [],
		);
	}
}

/** Reads the create answer; failing to read it after a successful POST means a job may exist. */
export function readCreated(
	ctx: VendorContext,
	adapter: VendorAdapter,
	body: unknown,
): { jobId: string; job?: NormalizedJob } {
	let created: { jobId: string; job?: NormalizedJob } | undefined;
	let problem = 'no job id in the response';
	try {
		created = adapter.parseCreated(body);
	} catch (error) {
		problem = error instanceof Error ? error.message : String(error);
	}
	if (created?.jobId) return created;
	throw vendorFailure(
		ctx.getNode(),
		adapter,
		{ kind: 'uncertainCreate', message: `the create response could not be read (${problem})` },
		getSession(ctx)?.secrets ?? [],
	);
}

export function createToolkit(ctx: IExecuteFunctions, adapter: VendorAdapter, itemIndex: number): CreateToolkit {
	return {
		send: async (request) => await vendorRequest(ctx, adapter, request, { retry: false }),
		uploadBinary: async (url, binaryPropertyName, headers) => {
			// The upload URL comes from the vendor's answer: private hosts and other schemes are refused unsent.
			const refused = vendorUrlProblem(url, getSession(ctx)?.baseUrl ?? '');
			if (refused) {
				const facts = { kind: 'malformed' as const, message: '', hint: `the signed upload URL in the answer was not used: ${refused} — nothing was uploaded and no job was created` };
				throw vendorFailure(ctx.getNode(), adapter, facts, getSession(ctx)?.secrets ?? [], itemIndex);
			}
			await uploadBinaryStream(ctx, adapter, itemIndex, url, binaryPropertyName, headers);
		},
	};
}
