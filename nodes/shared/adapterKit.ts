import { OperationalError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import type { VendorErrorInfo, VendorErrorKind, VendorResponse } from './adapter';

/**
 * Small readers the vendor adapters share: tolerant access to loosely typed response bodies
 * and the HTTP-level error rules every vendor follows (429 → rateLimit with Retry-After,
 * 5xx → server). No vendor names in here.
 */

export const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body as an object: JSON text is parsed, anything else becomes `{}` (or `{ body }`). */
export function asObject(body: unknown): IDataObject {
	if (isObject(body)) return body;
	if (typeof body === 'string' && body.trim().startsWith('{')) {
		try {
			const parsed: unknown = JSON.parse(body);
			if (isObject(parsed)) return parsed;
		} catch {
			return { body };
		}
	}
	if (body === undefined || body === null || body === '') return {};
	return { body: body as IDataObject['body'] };
}

export const objectAt = (value: unknown): IDataObject | undefined =>
	isObject(value) ? value : undefined;

/** A non-empty string (numbers are converted), else undefined. */
export function text(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim() === '' ? undefined : value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

export function numberAt(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
		return Number(value);
	}
	return undefined;
}

/** First value of a header, case-insensitively. */
export function header(response: VendorResponse, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(response.headers ?? {})) {
		if (key.toLowerCase() !== wanted || value === undefined) continue;
		return Array.isArray(value) ? value[0] : String(value);
	}
	return undefined;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'x-requestid', 'request-id', 'x-trace-id', 'x-amzn-requestid'];

export function requestIdFromHeaders(response: VendorResponse): string | undefined {
	for (const name of REQUEST_ID_HEADERS) {
		const value = header(response, name);
		if (value) return value;
	}
	return undefined;
}

/** `Retry-After` as delay seconds or an HTTP date, in milliseconds from `now`. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A reset time given as unix seconds (or milliseconds), in milliseconds from `now`. */
export function resetAtMs(value: string | undefined, now = Date.now()): number | undefined {
	const seconds = numberAt(value);
	if (seconds === undefined) return undefined;
	const at = seconds > 1e12 ? seconds : seconds * 1000;
	return Math.max(0, Math.round(at - now));
}

/** The vendor's own words from an error body, whatever field it uses. */
export function errorMessageFrom(body: IDataObject): string | undefined {
	const error = body.error;
	return (
		text(body.message) ??
		text(body.msg) ??
		(isObject(error) ? text(error.message) : text(error)) ??
		text(body.error_message) ??
		text(body.detail) ??
		text(body.body)
	);
}

/** The kind every HTTP status implies when the body says nothing more specific. */
export function kindForHttpStatus(statusCode: number): VendorErrorKind | undefined {
	if (statusCode === 429) return 'rateLimit';
	if (statusCode >= 500) return 'server';
	if (statusCode === 401) return 'auth';
	if (statusCode === 402) return 'credit';
	if (statusCode === 403) return 'permission';
	if (statusCode === 404) return 'notFound';
	if (statusCode >= 400) return 'invalidInput';
	return undefined;
}

/** The generic classification of an HTTP error, used as the base for every vendor. */
export function httpError(response: VendorResponse, body = asObject(response.body)): VendorErrorInfo | undefined {
	const kind = kindForHttpStatus(response.statusCode);
	if (!kind) return undefined;
	const info: VendorErrorInfo = {
		kind,
		code: response.statusCode,
		message: errorMessageFrom(body) ?? `HTTP ${response.statusCode}`,
	};
	const requestId = requestIdFromHeaders(response);
	if (requestId) info.requestId = requestId;
	if (kind === 'rateLimit') {
		const wait = retryAfterMs(header(response, 'retry-after'));
		if (wait !== undefined) info.retryAfterMs = wait;
	}
	return info;
}

/** Drops undefined members so results compare and serialize cleanly. */
export function compact<T extends object>(value: T): T {
	for (const key of Object.keys(value) as Array<keyof T>) {
		if (value[key] === undefined) delete value[key];
	}
	return value;
}

/**
 * An answer that breaks the vendor's documented shape (e.g. a create answer without a job id).
 * Adapters have no node at hand, so this is a plain OperationalError: the engine wraps it into
 * a NodeApiError/NodeOperationError with the item index (it wraps every adapter throw).
 */
export function unexpectedAnswer(message: string, body: unknown): OperationalError {
	return new OperationalError(message, { extra: { body: asObject(body) } });
}
