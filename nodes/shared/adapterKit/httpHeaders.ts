import type { VendorResponse } from '../adapter';
import { headerValue, requestIdFromHeaders as requestIdOf, retryDelayFromHeaders } from '../http';

/**
 * The HTTP helpers (nodes/shared/http.ts) in the form adapters use them: read from a response.
 * One set of rules for the transport and every adapter.
 */
export { kindForHttpStatus, rateLimitResetMs as resetAtMs, retryAfterMs } from '../http';

/** First value of a response header, case-insensitively. */
export const header = (response: VendorResponse, name: string): string | undefined => headerValue(response.headers, name);

export const requestIdFromHeaders = (response: VendorResponse): string | undefined => requestIdOf(response.headers);

/** How long the vendor asks us to wait: Retry-After first, then X-RateLimit-Reset. */
export const waitFromHeaders = (response: VendorResponse, now = Date.now()): number | undefined =>
	retryDelayFromHeaders(response.headers, now);
