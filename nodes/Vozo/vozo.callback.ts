/**
 * Vozo's callbacks carry no task id and no signature (docs/vendors.md, Vozo): the caller must put
 * its own correlation reference into the callback URL. The Vozo node and the Lip Sync Trigger
 * agree on it through these two.
 */

/** The query parameter our correlation reference travels in. */
export const VOZO_CALLBACK_REFERENCE_PARAM = 'lipsync_ref';

/** Appends our reference as a query parameter, keeping the rest of the URL (e.g. n8n's signature) verbatim. */
export function withCallbackReference(url: string, reference: string): string {
	const hashAt = url.indexOf('#');
	const base = hashAt === -1 ? url : url.slice(0, hashAt);
	const fragment = hashAt === -1 ? '' : url.slice(hashAt);
	const separator = base.includes('?') ? (/[?&]$/.test(base) ? '' : '&') : '?';
	return `${base}${separator}${VOZO_CALLBACK_REFERENCE_PARAM}=${encodeURIComponent(reference)}${fragment}`;
}
