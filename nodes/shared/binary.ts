import type { IBinaryData, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { VendorAdapter } from './adapter';
import { vendorFailure, type FailureFacts } from './errors';
import { getSession } from './transport';

/**
 * Result videos and uploads move as streams: a whole video is never held in memory and
 * `binary.data` is never read (it is empty in n8n's filesystem binary mode). These functions
 * use the unauthenticated helper for presigned URLs and never touch credentials.
 */

type BinaryInput = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

export type DownloadResult = { ok: true; binary: IBinaryData } | { ok: false; statusCode: number };

/** Streams a result URL into n8n's binary store. A 403/410 is returned, not thrown: the link expired. */
export async function downloadToBinary(
	ctx: IExecuteFunctions,
	url: string,
	fileName: string,
	mimeType: string,
	timeoutMs: number,
): Promise<DownloadResult> {
	const response = (await ctx.helpers.httpRequest({
		url,
		method: 'GET',
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: timeoutMs,
		// Unauthenticated requests do not get n8n's cancel signal on their own: without it a
		// user's Stop would leave a multi-gigabyte download running.
		abortSignal: ctx.getExecutionCancelSignal?.(),
	})) as { statusCode: number; body: BinaryInput & { destroy?: () => void } };
	if (response.statusCode < 200 || response.statusCode >= 300) {
		// Free the socket: nobody will read this body.
		response.body?.destroy?.();
		return { ok: false, statusCode: response.statusCode };
	}
	const binary = await ctx.helpers.prepareBinaryData(response.body, fileName, mimeType);
	return { ok: true, binary };
}

/** Link statuses that mean "ask the vendor for a fresh URL". */
export const isExpiredLinkStatus = (statusCode: number): boolean =>
	statusCode === 403 || statusCode === 410;

/**
 * Streams an item's binary property to a presigned URL with a PUT (JoggAI uploads). The length
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
