import type { IExecuteFunctions } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import { downloadToBinary, isExpiredLinkStatus, type DownloadResult } from '../binary';
import { factsOf, VendorFailure, type FailureFacts } from '../errors';
import { vendorUrlProblem } from '../publicUrl';
import { getSession } from '../transport';
import { mapWithConcurrency } from './concurrency';
import type { ItemResult } from './output';
import type { RunOptions } from './runOptions';
import { fetchJob } from './vendorCalls';

/** Each download streams to the binary store; a few at a time keeps sockets and disk sane. */
const PARALLEL_DOWNLOADS = 3;
/** Result links may pass through a CDN's redirect or two; each target is checked before it is asked. */
const MAX_REDIRECTS = 5;

function mimeTypeOf(url: string): { mimeType: string; extension: string } {
	const path = url.split('?')[0].toLowerCase();
	if (path.endsWith('.webm')) return { mimeType: 'video/webm', extension: 'webm' };
	if (path.endsWith('.mov')) return { mimeType: 'video/quicktime', extension: 'mov' };
	return { mimeType: 'video/mp4', extension: 'mp4' };
}

const SUCCEEDED_NOTE = 'the job succeeded; its URL is in the output';

function downloadFailure(ctx: IExecuteFunctions, adapter: VendorAdapter, jobId: string, download: Exclude<DownloadResult, { ok: true }>): VendorFailure {
	const facts: FailureFacts =
		'problem' in download
			? { kind: 'malformed', hint: `the video could not be downloaded: ${download.problem} — ${SUCCEEDED_NOTE}`, message: '', jobId }
			: {
					kind: download.statusCode >= 500 ? 'server' : 'invalidInput',
					hint: `the video could not be downloaded (HTTP ${download.statusCode}) — ${SUCCEEDED_NOTE}`,
					message: '',
					httpStatus: download.statusCode,
					jobId,
				};
	return new VendorFailure(ctx.getNode(), adapter, facts, getSession(ctx)?.secrets ?? []);
}

/**
 * Streams each succeeded job's video into binary data. An expired link (403/410) gets one fresh
 * URL from the status endpoint and one more try; a download that still fails is that item's
 * problem only (a row keeping the job and its URL).
 */
export async function attachVideos(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	results: ItemResult[],
	options: Pick<RunOptions, 'binaryPropertyName' | 'maxDownloadBytes' | 'downloadTimeoutMs'>,
): Promise<void> {
	const wanted = results.filter((r) => r.problem === undefined && r.job?.status === 'succeeded' && r.job.videoUrl);
	const limits = { timeoutMs: options.downloadTimeoutMs, maxBytes: options.maxDownloadBytes };
	await mapWithConcurrency(wanted, PARALLEL_DOWNLOADS, async (result) => {
		const job = result.job!;
		const { mimeType, extension } = mimeTypeOf(String(job.videoUrl));
		const fileName = `${adapter.provider}-${job.jobId}.${extension}`;
		// A link on a private host or with another scheme is refused before any request
		// (publicUrl.ts), and so is every redirect target: redirects are followed here, checked.
		const downloadOnce = async (first: string): Promise<DownloadResult> => {
			let url = first;
			for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
				const refused = vendorUrlProblem(url, getSession(ctx)?.baseUrl ?? '');
				if (refused) return { ok: false, statusCode: 0, problem: `${hop ? 'it redirected to a URL that' : 'its URL'} was not requested: ${refused}` };
				const download = await downloadToBinary(ctx, url, fileName, mimeType, limits);
				if (download.ok || !('redirectTo' in download)) return download;
				url = new URL(download.redirectTo, url).href;
			}
			return { ok: false, statusCode: 0, problem: `the link redirected more than ${MAX_REDIRECTS} times` };
		};
		try {
			let download = await downloadOnce(String(job.videoUrl));
			if (!download.ok && !('problem' in download) && isExpiredLinkStatus(download.statusCode)) {
				const fresh = await fetchJob(ctx, adapter, job.jobId);
				if (fresh.videoUrl) {
					result.job = fresh;
					download = await downloadOnce(String(fresh.videoUrl));
				}
			}
			if (download.ok) {
				result.binary = download.binary;
				result.binaryPropertyName = options.binaryPropertyName;
				return;
			}
			result.problem = downloadFailure(ctx, adapter, job.jobId, download);
		} catch (error) {
			result.problem =
				error instanceof VendorFailure
					? error
					: new VendorFailure(
							ctx.getNode(),
							adapter,
							{ kind: 'network', hint: `the video could not be downloaded — ${SUCCEEDED_NOTE}`, message: factsOf(error).message, jobId: job.jobId },
							getSession(ctx)?.secrets ?? [],
						);
		}
		result.problemKind = 'row';
	});
}
