import type { VendorErrorKind } from './adapter';

/**
 * The one set of HTTP helpers every caller uses (transport, adapters, downloads): headers,
 * Retry-After, X-RateLimit-Reset, request ids, status classes and base-URL rules. No vendor
 * names in here.
 */

export type HeaderBag = Record<string, string | string[] | number | undefined> | undefined;

/** First value of a header, case-insensitively. */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() !== wanted || value === undefined) continue;
		return Array.isArray(value) ? value[0] : String(value);
	}
	return undefined;
}

const isNumeric = (value: string): boolean => /^\d+(\.\d+)?$/.test(value.trim());

/** `Retry-After` (delay seconds or an HTTP date) in milliseconds from `now`. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	if (isNumeric(value)) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * `X-RateLimit-Reset` in milliseconds from `now`. Vendors send it as an absolute time (unix
 * seconds, sometimes unix milliseconds) or as seconds from now; a value below 1e9 cannot be a
 * unix time in this century, so it is read as relative seconds.
 */
export function rateLimitResetMs(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || !isNumeric(value)) return undefined;
	const number = Number(value);
	if (number >= 1e12) return Math.max(0, Math.round(number - now));
	if (number >= 1e9) return Math.max(0, Math.round(number * 1000 - now));
	return Math.round(number * 1000);
}

/** When the vendor says to come back: Retry-After first, else X-RateLimit-Reset. */
export function retryDelayFromHeaders(headers: HeaderBag, now: number): number | undefined {
	return (
		retryAfterMs(headerValue(headers, 'retry-after'), now) ??
		rateLimitResetMs(headerValue(headers, 'x-ratelimit-reset'), now)
	);
}

const REQUEST_ID_HEADERS = ['x-request-id', 'x-requestid', 'request-id', 'x-trace-id', 'x-amzn-requestid'];

export function requestIdFromHeaders(headers: HeaderBag): string | undefined {
	for (const name of REQUEST_ID_HEADERS) {
		const value = headerValue(headers, name);
		if (value) return value;
	}
	return undefined;
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

export const isRedirectStatus = (statusCode: number): boolean =>
	[301, 302, 303, 307, 308].includes(statusCode);

/** True for hosts that never leave this machine (where plain http carries no key over a network). */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
	return /^127(\.\d{1,3}){3}$/.test(host) || /^::ffff:127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Why a credential's base URL may not be used, or undefined when it is fine: the API key goes
 * in a header, so it must travel over https (plain http only to this machine).
 */
export function baseUrlProblem(baseUrl: string): string | undefined {
	let url: URL;
	try {
		url = new URL(baseUrl);
	} catch {
		return `the credential's Base URL "${baseUrl}" is not a valid URL`;
	}
	if (url.protocol === 'https:') return undefined;
	if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
	return `the credential's Base URL "${baseUrl}" does not use https, so the API key would travel unencrypted — use the https address (plain http is allowed only for localhost)`;
}

/** Where a redirect points, resolved against the URL that was asked for. */
export function redirectTarget(location: string | undefined, from: string): URL | undefined {
	if (!location) return undefined;
	try {
		return new URL(location, from);
	} catch {
		return undefined;
	}
}
