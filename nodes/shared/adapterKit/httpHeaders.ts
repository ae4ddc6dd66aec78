import type { VendorResponse } from '../adapter';
import { requestIdFromHeaders as requestIdOf, retryDelayFromHeaders } from '../http';

/**
 * The HTTP helpers (nodes/shared/http.ts) in the form adapters use them: read from a response.
 * One set of rules for the transport and every adapter.
 */
export { kindForHttpStatus } from '../http';

export const requestIdFromHeaders = (response: VendorResponse): string | undefined => requestIdOf(response.headers);

/** How long the vendor asks us to wait: Retry-After first, then X-RateLimit-Reset. */
export const waitFromHeaders = (response: VendorResponse, now = Date.now()): number | undefined =>
	retryDelayFromHeaders(response.headers, now);
