import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { isObject } from '../shared/adapterKit';
import { headerValue as readHeader, type HeaderBag } from '../shared/http';

/**
 * Reading an incoming delivery and answering it. Vendors only need a quick 2xx; anything the
 * trigger refuses gets a 4xx with the reason written by the node itself, and starts nothing.
 */

/** Callbacks and events are small status documents; anything larger is not one of them. */
const MAX_BODY_BYTES = 1024 * 1024;

/** What the node needs from n8n's request object (an express Request with n8n's rawBody). */
interface InboundRequest {
	rawBody?: unknown;
	headers?: Record<string, string | string[] | undefined>;
}

interface OutboundResponse {
	status(code: number): OutboundResponse;
	json(body: unknown): unknown;
}

export type Reading<T> = { ok: true; value: T } | { ok: false; statusCode: number; reason: string };

const refuse = <T>(statusCode: number, reason: string): Reading<T> => ({ ok: false, statusCode, reason });

/** The body bytes exactly as received; signatures are computed over these, never over parsed JSON. */
export function readRawBody(context: IWebhookFunctions): Reading<Buffer> {
	const request = context.getRequestObject() as unknown as InboundRequest;
	const declared = Number(headerValue(context, 'content-length'));
	if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
		return refuse(400, `The body is ${declared} bytes; at most ${MAX_BODY_BYTES} bytes (1 MB) are accepted`);
	}
	const raw = request.rawBody;
	if (!Buffer.isBuffer(raw) || raw.length === 0) {
		return refuse(400, 'The request has no body; a JSON body was expected');
	}
	if (raw.length > MAX_BODY_BYTES) {
		return refuse(400, `The body is ${raw.length} bytes; at most ${MAX_BODY_BYTES} bytes (1 MB) are accepted`);
	}
	return { ok: true, value: raw };
}

/** The body as a JSON object, parsed from the raw bytes. */
export function parseJsonObject(raw: Buffer): Reading<IDataObject> {
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, ''));
	} catch (error) {
		return refuse(400, `The body is not valid JSON: ${(error as Error).message}`);
	}
	if (!isObject(parsed)) return refuse(400, 'The body is JSON but not an object');
	return { ok: true, value: parsed };
}

/** A header's first value, case-insensitively (the engine's one header reader). */
export function headerValue(context: IWebhookFunctions, name: string): string | undefined {
	return readHeader(context.getHeaderData() as HeaderBag, name);
}

/** A query parameter's first value. */
export function queryValue(context: IWebhookFunctions, name: string): string | undefined {
	const value = (context.getQueryData() as Record<string, unknown>)[name];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' ? first : undefined;
}

/** Answers with the reason and starts no execution. */
export function reject(context: IWebhookFunctions, statusCode: number, reason: string): IWebhookResponseData {
	const response = context.getResponseObject() as unknown as OutboundResponse;
	response.status(statusCode).json({ error: reason });
	return { noWebhookResponse: true };
}

/**
 * Accepted. The webhook answers 200 at once (responseMode onReceived) with this body; without
 * `webhookResponse` n8n would answer with the literal description value. No items: nothing starts.
 */
export function accept(items?: IDataObject[], note?: string): IWebhookResponseData {
	const webhookResponse: IDataObject = { received: true };
	if (note) webhookResponse.note = note;
	if (!items || items.length === 0) return { webhookResponse };
	return { webhookResponse, workflowData: [items.map((json) => ({ json }))] };
}
