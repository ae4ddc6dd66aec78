/**
 * Vozo's callbacks carry no task id and no signature (docs/vendors.md, Vozo): the caller must put
 * its own correlation reference into the callback URL. The Vozo node and the Lip Sync Trigger
 * agree on it through these two.
 */

import type { IDataObject } from 'n8n-workflow';

import type { CreateRequest } from '../shared/adapter';
import { text } from '../shared/adapterKit';
import { rememberVozoCallbackJob } from './vozo.triggerJobs';

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

/** Vozo calls `callback_url` on every status change; n8n's resume URL goes in verbatim (it carries its own signature). */
export function setVozoCallbackUrl(request: CreateRequest, url: string): CreateRequest {
	return { ...request, body: { ...(request.body ?? {}), callback_url: url } };
}

/** Tells the Lip Sync Trigger which job a callback reference belongs to, so it can confirm that job's callbacks. */
export function rememberVozoCallbackReference(jobId: string, extras: IDataObject | undefined): void {
	const reference = text(extras?.callbackReference);
	if (reference) rememberVozoCallbackJob(reference, jobId);
}
