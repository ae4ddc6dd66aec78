/**
 * The fake vendors fetch their input files, as the real ones do: each vendor module hands the
 * files of a new job here with one line. A file is fetched (after `inputFetchDelayMs`, the
 * vendor's queue), hashed (sha256) while it streams, its first bytes tell whether it really is
 * audio, video or an image, and the job records what was fetched (`job.inputFiles`). A file that
 * cannot be fetched, or is not what the field needs, fails the job with the vendor's
 * "could not download" error — and the job does not end before its files are fetched.
 *
 * Every request a test sends stays on loopback: only URLs that point at loopback (after
 * `webhookHostRewrite`, which maps a public-looking n8n host to its local port) are fetched;
 * any other URL (https://example.com/x.mp4) is recorded as not fetched.
 */
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { request } from 'undici';

import { rewriteHost } from './deliveries';
import type { Ctx } from './http';
import type { JobFailure, SandboxJob } from './jobs';

export type FileKind = 'audio' | 'video' | 'image';

export interface InputFileRecord {
	/** The request field, e.g. `audio_url` or `actor.video_url`. */
	field: string;
	url: string;
	/** Where it was fetched from (after webhookHostRewrite). */
	targetUrl: string;
	/** The kinds the field takes. */
	expected: FileKind[];
	fetched: boolean;
	/** Why it was not fetched (a non-loopback URL), or why the vendor could not use it. */
	note?: string;
	statusCode?: number;
	contentType?: string;
	bytes?: number;
	sha256?: string;
	/** What the first bytes say the file is. */
	format?: string;
	kind?: FileKind;
	/** Fetched and of an expected kind. */
	usable?: boolean;
	/** When the last byte arrived (epoch ms). */
	fetchedAt?: number;
}

const FETCH_TIMEOUT_MS = 30_000;

/** Magic numbers of the media files the vendors take. */
function sniff(head: Buffer): { format: string; kind: FileKind } | undefined {
	const ascii = (from: number, to: number) => head.subarray(from, to).toString('latin1');
	if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return { format: 'wav', kind: 'audio' };
	if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'AVI ') return { format: 'avi', kind: 'video' };
	if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { format: 'webp', kind: 'image' };
	if (ascii(0, 3) === 'ID3') return { format: 'mp3', kind: 'audio' };
	if (head[0] === 0xff && head[1] !== undefined && (head[1] & 0xf6) === 0xf0) return { format: 'aac', kind: 'audio' };
	if (head[0] === 0xff && head[1] !== undefined && (head[1] & 0xe0) === 0xe0) return { format: 'mp3', kind: 'audio' };
	if (ascii(4, 8) === 'ftyp') {
		const brand = ascii(8, 12);
		return /^M4A|^M4B/.test(brand) ? { format: 'm4a', kind: 'audio' } : { format: brand.trim() === 'qt' ? 'mov' : 'mp4', kind: 'video' };
	}
	if (head.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]))) return { format: 'webm', kind: 'video' };
	if (head.subarray(0, 4).equals(Buffer.from([0x30, 0x26, 0xb2, 0x75]))) return { format: 'wmv', kind: 'video' };
	if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { format: 'jpeg', kind: 'image' };
	if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { format: 'png', kind: 'image' };
	return undefined;
}

export function isLoopbackUrl(url: string): boolean {
	let host: string;
	try {
		host = new URL(url).hostname.replace(/^\[|\]$/g, '');
	} catch {
		return false;
	}
	return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

async function fetchOne(record: InputFileRecord): Promise<void> {
	try {
		const res = await request(record.targetUrl, {
			method: 'GET',
			headersTimeout: FETCH_TIMEOUT_MS,
			bodyTimeout: FETCH_TIMEOUT_MS,
			signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
		});
		record.fetched = true;
		record.statusCode = res.statusCode;
		record.contentType = String(res.headers['content-type'] ?? '') || undefined;
		const hash = createHash('sha256');
		const head: Buffer[] = [];
		let bytes = 0;
		for await (const chunk of res.body as AsyncIterable<Buffer>) {
			if (bytes < 16) head.push(chunk.subarray(0, 16 - bytes));
			bytes += chunk.length;
			hash.update(chunk);
		}
		record.bytes = bytes;
		record.fetchedAt = Date.now();
		record.sha256 = hash.digest('hex');
		if (res.statusCode < 200 || res.statusCode >= 300) {
			record.note = `the link answered HTTP ${res.statusCode}`;
			record.usable = false;
			return;
		}
		const found = sniff(Buffer.concat(head));
		record.format = found?.format;
		record.kind = found?.kind;
		record.usable = found !== undefined && record.expected.includes(found.kind);
		if (!record.usable) record.note = `not ${record.expected.join(' or ')} by its bytes (${found?.format ?? 'unknown format'})`;
	} catch (error) {
		record.note = `the download failed (${error instanceof Error ? error.message : String(error)})`;
	}
}

/**
 * Fetches a new job's input files: `files` maps each request field (as the vendor names it) to
 * its URL and the kinds it takes; empty fields are skipped. A file the vendor cannot use fails
 * the job with `downloadFailure`.
 */
export function fetchInputFiles(
	ctx: Ctx,
	job: SandboxJob,
	files: Record<string, { url: unknown; kinds: FileKind[] }>,
	downloadFailure: JobFailure,
): void {
	const options = ctx.core.options();
	const records: InputFileRecord[] = [];
	for (const [field, file] of Object.entries(files)) {
		if (typeof file.url !== 'string' || file.url === '') continue;
		const targetUrl = rewriteHost(file.url, options.webhookHostRewrite);
		const loopback = isLoopbackUrl(targetUrl);
		records.push({ field, url: file.url, targetUrl, expected: file.kinds, fetched: false, ...(loopback ? {} : { note: 'not fetched: not a loopback URL' }) });
	}
	job.inputFiles = records;
	const toFetch = records.filter((record) => record.note === undefined);
	if (toFetch.length === 0) return;
	const fetching = (async () => {
		if (options.inputFetchDelayMs > 0) await delay(options.inputFetchDelayMs);
		await Promise.all(toFetch.map(fetchOne));
		if (toFetch.some((record) => !record.usable) && !job.failure) job.failure = downloadFailure;
	})();
	ctx.core.jobs.holdUntil(job, fetching);
}
