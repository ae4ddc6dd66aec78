import type { IBinaryData, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { VendorAdapter } from './adapter';
import { vendorFailure, type FailureFacts } from './errors';
import { headerValue, isRedirectStatus, type HeaderBag } from './http';
import { getSession } from './transport';

const MB = 1024 * 1024;

/**
 * Result videos and uploads move as streams: a whole video is never held in memory and
 * `binary.data` is never read (it is empty in n8n's filesystem binary mode). These functions
 * use the unauthenticated helper for presigned URLs and never touch credentials.
 */

type BinaryInput = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/** The parts of a response body stream the byte count needs (the stream module may not be imported here). */
interface BodyStream {
	on(event: string, listener: (...args: unknown[]) => void): unknown;
	destroy(error?: Error): unknown;
	/** How the producer (HTTP parser, decompressor) hands each chunk in; `null` marks the end. */
	push(chunk: unknown, encoding?: string): boolean;
	/** Bytes pushed but not yet read (chunks, in object mode). */
	readableLength?: number;
	readableObjectMode?: boolean;
}

/** Why the byte gate stopped a body, once it did. */
interface ByteGate {
	problem(): string | undefined;
}

const sizeText = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/**
 * Counts a body's bytes as the producer pushes them in (after decompression: what the store would
 * get), before any reader sees them. Past `maxBytes`, or ending short of an announced length, the
 * stream is failed instead: n8n's binary store writes a stream to a temporary file and discards it
 * when the stream errors (filesystem), or buffers it first (database), so a refused or short video
 * is never recorded. A node has no helper to delete stored binary data, so this is the only way.
 * Wrapping `push` leaves the stream's flow alone (a 'data' listener would start it too early).
 */
function gateBodyBytes(body: BodyStream, maxBytes: number, expected: number | undefined): ByteGate {
	let problem: string | undefined;
	const gate: ByteGate = { problem: () => problem };
	if (typeof body.push !== 'function') return gate;
	const refuse = (text: string): false => {
		problem = text;
		body.destroy(new Error(text));
		return false;
	};
	const tooLarge = (count: number) => maxBytes > 0 && count > maxBytes;
	const tooLargeText = (count: number) =>
		`the video is more than Max Download Size (${sizeText(maxBytes)}): the download stopped after ${sizeText(count)}`;
	// Nothing has read the body yet, but bytes that came with the headers are already buffered.
	let count = typeof body.readableLength === 'number' && body.readableObjectMode !== true ? body.readableLength : 0;
	if (tooLarge(count)) {
		refuse(tooLargeText(count));
		return gate;
	}
	const push = body.push.bind(body);
	body.push = (chunk: unknown, encoding?: string): boolean => {
		if (problem !== undefined) return false;
		if (chunk === null) {
			if (expected !== undefined && count !== expected) {
				return refuse(`the connection ended after ${count} of ${expected} bytes — the video is incomplete`);
			}
			return push(chunk, encoding);
		}
		count += (chunk as { length?: number }).length ?? 0;
		return tooLarge(count) ? refuse(tooLargeText(count)) : push(chunk, encoding);
	};
	return gate;
}

export type DownloadResult =
	| { ok: true; binary: IBinaryData }
	/** The server refused (a 403/410 means the link expired). */
	| { ok: false; statusCode: number }
	/** A redirect, not followed here: the caller checks where it points before asking there. */
	| { ok: false; statusCode: number; redirectTo: string }
	/** The answer was not the whole video: a clear reason, never a short or wrong binary. */
	| { ok: false; statusCode: number; problem: string };

export interface DownloadLimits {
	/** From the first request byte to the last body byte. */
	timeoutMs: number;
	/** 0 = no cap. */
	maxBytes: number;
}

const VIDEO_CONTENT_TYPES = /^(video\/[\w.+-]+|application\/octet-stream|binary\/octet-stream)$/i;

/**
 * The download's own deadline, joined with n8n's cancel signal (the user's Stop). Node holds the
 * sources of AbortSignal.any() weakly: the deadline is returned too, so it can be listened to
 * directly (a timeout signal with a listener is kept alive; one without may be collected).
 */
function downloadSignals(ctx: IExecuteFunctions, timeoutMs: number): { deadline: AbortSignal; any: AbortSignal } {
	const deadline = AbortSignal.timeout(timeoutMs);
	const cancel = ctx.getExecutionCancelSignal?.();
	return { deadline, any: cancel ? AbortSignal.any([cancel, deadline]) : deadline };
}

/**
 * Streams a result URL into n8n's binary store and proves it got the whole file: the bytes are
 * counted against Content-Length, a connection that dies early or a trickle past the deadline
 * is an error, and so is an answer that is not a video (a login page, say).
 */
export async function downloadToBinary(
	ctx: IExecuteFunctions,
	url: string,
	fileName: string,
	fallbackMimeType: string,
	limits: DownloadLimits,
): Promise<DownloadResult> {
	const { deadline, any: signal } = downloadSignals(ctx, limits.timeoutMs);
	const cancel = ctx.getExecutionCancelSignal?.();
	const response = (await ctx.helpers.httpRequest({
		url,
		method: 'GET',
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: limits.timeoutMs,
		// Unauthenticated requests do not get n8n's cancel signal on their own.
		abortSignal: signal,
	})) as { statusCode: number; headers?: HeaderBag; body: BinaryInput & BodyStream };
	const { statusCode, body } = response;
	const fail = (problem: string): DownloadResult => {
		body?.destroy?.(); // free the socket: nobody will read the rest
		return { ok: false, statusCode, problem };
	};
	const location = headerValue(response.headers, 'location');
	if (isRedirectStatus(statusCode) && location) {
		body?.destroy?.();
		return { ok: false, statusCode, redirectTo: location };
	}
	if (statusCode < 200 || statusCode >= 300) {
		body?.destroy?.();
		return { ok: false, statusCode };
	}
	const contentType = (headerValue(response.headers, 'content-type') ?? '').split(';')[0].trim();
	// No Content-Type says no more than a wrong one: an answer is taken as a video only when it says so.
	if (!VIDEO_CONTENT_TYPES.test(contentType)) {
		return fail(`the link answered with ${contentType || 'no Content-Type'}, not a video (an expired or login page?)`);
	}
	// A compressed answer announces its compressed length, while the store gets the bytes
	// decompressed: only an uncompressed length can be compared with what was stored.
	const encoding = (headerValue(response.headers, 'content-encoding') ?? 'identity').trim().toLowerCase();
	const announced = encoding === 'identity' ? Number(headerValue(response.headers, 'content-length')) : NaN;
	const expected = Number.isSafeInteger(announced) && announced >= 0 ? announced : undefined;
	if (limits.maxBytes > 0 && expected !== undefined && expected > limits.maxBytes) {
		return fail(`the video is ${sizeText(expected)}, more than Max Download Size (${sizeText(limits.maxBytes)})`);
	}
	// Headers may be absent (chunked) or describe other bytes (compressed): the count decides.
	const gate = gateBodyBytes(body, limits.maxBytes, expected);

	// Listening for 'end' leaves the stream alone (a 'data' listener would start it, or, paused,
	// stall n8n's database binary mode); a stream that dies early never emits it.
	let ended = false;
	body.on('end', () => (ended = true));
	// The request's own abort ends with the response headers; the body is ended here.
	const stopBody = () => body.destroy(new Error('download stopped'));
	const watched = cancel ? [deadline, cancel] : [deadline];
	for (const source of watched) source.addEventListener('abort', stopBody, { once: true });
	const unwatch = () => watched.forEach((source) => source.removeEventListener('abort', stopBody));
	const mimeType = /^video\//i.test(contentType) ? contentType : fallbackMimeType;
	let binary: IBinaryData;
	try {
		binary = await ctx.helpers.prepareBinaryData(body, fileName, mimeType);
	} catch (error) {
		unwatch();
		if (cancel?.aborted) return fail('the execution was stopped during the download');
		if (deadline.aborted) return fail(`the download did not finish within ${Math.round(limits.timeoutMs / 1000)} s`);
		const refused = gate.problem();
		if (refused !== undefined) return fail(refused);
		return fail(`the connection broke before the video was complete (${error instanceof Error ? error.message : String(error)})`);
	}
	unwatch();
	const stored = typeof binary.bytes === 'number' ? binary.bytes : undefined;
	if (!ended || (expected !== undefined && stored !== expected)) {
		const of = expected !== undefined ? ` of ${expected}` : '';
		return fail(`the connection ended after ${stored ?? 'some'}${of} bytes — the video is incomplete`);
	}
	// The gate refuses these before they are stored; a body it could not see would land here.
	if (limits.maxBytes > 0 && stored !== undefined && stored > limits.maxBytes) {
		return fail(`the video is ${sizeText(stored)}, more than Max Download Size (${sizeText(limits.maxBytes)})`);
	}
	return { ok: true, binary };
}

/** Link statuses that mean "ask the vendor for a fresh URL". */
export const isExpiredLinkStatus = (statusCode: number): boolean =>
	statusCode === 403 || statusCode === 410;

/**
 * Streams an item's binary property to a presigned URL with a PUT (vendor uploads). The length
 * comes from the binary store's metadata, so nothing is buffered.
 */
export async function uploadBinaryStream(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	itemIndex: number,
	url: string,
	binaryPropertyName: string,
	headers: Record<string, string> = {},
	timeoutMs = 600_000,
): Promise<void> {
	const binary = ctx.helpers.assertBinaryData(itemIndex, binaryPropertyName);
	let body: BinaryInput;
	let length: number;
	if (binary.id) {
		body = await ctx.helpers.getBinaryStream(binary.id);
		length = (await ctx.helpers.getBinaryMetadata(binary.id)).fileSize;
	} else {
		// In-memory binary mode the bytes already live in the item; n8n hands them over as they are.
		body = await ctx.helpers.getBinaryDataBuffer(itemIndex, binaryPropertyName);
		length = (body as { length: number }).length;
	}
	const request: IHttpRequestOptions = {
		url,
		method: 'PUT',
		body: body as unknown as IHttpRequestOptions['body'],
		headers: {
			'Content-Type': binary.mimeType || 'application/octet-stream',
			'Content-Length': String(length),
			...headers,
		},
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// The signed URL was checked (publicUrl.ts); a redirect would take the bytes elsewhere unchecked.
		disableFollowRedirect: true,
		timeout: timeoutMs,
		abortSignal: ctx.getExecutionCancelSignal?.(),
	};
	const response = (await ctx.helpers.httpRequest(request)) as { statusCode: number };
	if (response.statusCode >= 200 && response.statusCode < 300) return;
	const facts: FailureFacts = {
		kind: response.statusCode >= 500 ? 'server' : 'invalidInput',
		message: `uploading binary property "${binaryPropertyName}" to the signed URL failed with HTTP ${response.statusCode}`,
		httpStatus: response.statusCode,
	};
	throw vendorFailure(ctx.getNode(), adapter, facts, getSession(ctx)?.secrets ?? [], itemIndex);
}
