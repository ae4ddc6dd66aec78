import type { VendorErrorKind, VendorResponse } from '../adapter';
import { numberAt } from './values';

/**
 * HTTP-level rules every vendor follows: headers, Retry-After / X-RateLimit-Reset, and the kind
 * an HTTP status implies. nodes/shared/transport.ts keeps private copies of the header readers;
 * both are to become one set of HTTP helpers, so keep their rules identical until then.
 */

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

/**
 * `X-RateLimit-Reset` in milliseconds from `now`. Vendors send it three ways, told apart by size:
 * unix milliseconds (≥ 1e12), unix seconds (≥ 1e9), or seconds from now (smaller, e.g. `30`).
 * Reading a small value as a unix time would put the reset in 1970, i.e. "retry at once".
 */
export function resetAtMs(value: string | undefined, now = Date.now()): number | undefined {
	const reset = numberAt(value);
	if (reset === undefined || reset < 0) return undefined;
	if (reset >= 1e12) return Math.max(0, Math.round(reset - now));
	if (reset >= 1e9) return Math.max(0, Math.round(reset * 1000 - now));
	return Math.round(reset * 1000);
}

/** How long the vendor asks us to wait: Retry-After first, then X-RateLimit-Reset. */
export function waitFromHeaders(response: VendorResponse, now = Date.now()): number | undefined {
	return retryAfterMs(header(response, 'retry-after'), now) ?? resetAtMs(header(response, 'x-ratelimit-reset'), now);
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
