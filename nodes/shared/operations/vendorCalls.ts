import type { IExecuteFunctions } from 'n8n-workflow';

import type { CreateToolkit, VendorAdapter } from '../adapter';
import { uploadBinaryStream } from '../binary';
import { VendorFailure, vendorFailure } from '../errors';
import type { NormalizedJob } from '../job';
import { getSession, vendorRequest } from '../transport';

/** Reads a job's status (retried on transient trouble); an unreadable body counts as transient. */
export async function fetchJob(ctx: IExecuteFunctions, adapter: VendorAdapter, jobId: string): Promise<NormalizedJob> {
	const body = await vendorRequest(ctx, adapter, adapter.statusRequest(jobId), { retry: true });
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

/** Reads the create answer; failing to read it after a successful POST means a job may exist. */
export function readCreated(
	ctx: IExecuteFunctions,
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
		uploadBinary: async (url, binaryPropertyName, headers) =>
			await uploadBinaryStream(ctx, adapter, itemIndex, url, binaryPropertyName, headers),
	};
}

export const isVendorFailure = (error: unknown): error is VendorFailure => error instanceof VendorFailure;
