import type { IExecuteFunctions } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import { downloadToBinary, isExpiredLinkStatus } from '../binary';
import { factsOf, VendorFailure } from '../errors';
import { getSession } from '../transport';
import { mapWithConcurrency } from './concurrency';
import type { ItemResult } from './output';
import type { RunOptions } from './runOptions';
import { fetchJob } from './vendorCalls';

const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;
/** Each download streams to the binary store; a few at a time keeps sockets and disk sane. */
const PARALLEL_DOWNLOADS = 3;

function mimeTypeOf(url: string): { mimeType: string; extension: string } {
	const path = url.split('?')[0].toLowerCase();
	if (path.endsWith('.webm')) return { mimeType: 'video/webm', extension: 'webm' };
	if (path.endsWith('.mov')) return { mimeType: 'video/quicktime', extension: 'mov' };
	return { mimeType: 'video/mp4', extension: 'mp4' };
}

/**
 * Streams each succeeded job's video into binary data. An expired link (403/410) gets one fresh
 * URL from the status endpoint and one more try; a download that still fails fails that item
 * only, with the job (and its URL) kept in the row.
 */
export async function attachVideos(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	results: ItemResult[],
	options: RunOptions,
): Promise<void> {
	const wanted = results.filter((r) => r.error === undefined && r.job?.status === 'succeeded' && r.job.videoUrl);
	await mapWithConcurrency(wanted, PARALLEL_DOWNLOADS, async (result) => {
		const job = result.job!;
		const { mimeType, extension } = mimeTypeOf(String(job.videoUrl));
		const fileName = `${adapter.provider}-${job.jobId}.${extension}`;
		try {
			let download = await downloadToBinary(ctx, String(job.videoUrl), fileName, mimeType, DOWNLOAD_TIMEOUT_MS);
			if (!download.ok && isExpiredLinkStatus(download.statusCode)) {
				const fresh = await fetchJob(ctx, adapter, job.jobId);
				if (fresh.videoUrl) {
					result.job = fresh;
					download = await downloadToBinary(ctx, String(fresh.videoUrl), fileName, mimeType, DOWNLOAD_TIMEOUT_MS);
				}
			}
			if (download.ok) {
				result.binary = download.binary;
				result.binaryPropertyName = options.binaryPropertyName;
				return;
			}
			result.error = new VendorFailure(
				ctx.getNode(),
				adapter,
				{
					kind: download.statusCode >= 500 ? 'server' : 'invalidInput',
					hint: `the video could not be downloaded (HTTP ${download.statusCode}) — the job succeeded; its URL is in the output`,
					message: '',
					httpStatus: download.statusCode,
					jobId: job.jobId,
				},
				getSession(ctx)?.secrets ?? [],
			);
		} catch (error) {
			const facts = factsOf(error);
			result.error =
				error instanceof VendorFailure
					? error
					: new VendorFailure(
							ctx.getNode(),
							adapter,
							{
								kind: 'network',
								hint: 'the video could not be downloaded — the job succeeded; its URL is in the output',
								message: facts.message,
								jobId: job.jobId,
							},
							getSession(ctx)?.secrets ?? [],
						);
		}
	});
}
