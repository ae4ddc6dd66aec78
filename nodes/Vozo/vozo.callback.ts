/**
 * Vozo's callbacks carry no task id and no signature (docs/vendors.md, Vozo): the caller must put
 * its own correlation reference into the callback URL. The Vozo node and the Lip Sync Trigger
 * agree on it through these.
 *
 * Signed callback URLs: the Vozo credential's Callback Secret never leaves the credential (n8n
 * stores it encrypted). The Vozo node appends its reference and an HMAC of that reference keyed by
 * the secret; the trigger, holding the same credential, recomputes it. The URL a job's callbacks
 * go to therefore proves "this n8n created this reference", and nothing more: a leaked callback
 * URL can only deliver statuses for its own job, never start the trigger for another reference.
 */

import { createHmac } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import type { CreateRequest } from '../shared/adapter';
import { text } from '../shared/adapterKit';
import { secretsMatch } from '../LipSyncTrigger/signature';
import { rememberVozoCallbackJob } from './vozo.triggerJobs';

/** The query parameter our correlation reference travels in. */
export const VOZO_CALLBACK_REFERENCE_PARAM = 'lipsync_ref';
/** The query parameter the reference's signature travels in. */
export const VOZO_CALLBACK_SIGNATURE_PARAM = 'lipsync_sig';
/** The Vozo credential field holding the callback secret. */
export const VOZO_CALLBACK_SECRET_FIELD = 'callbackSecret';
export const MIN_CALLBACK_SECRET_LENGTH = 32;

/** Separates this use of the secret from any other HMAC a future version might key with it. */
const SIGNATURE_CONTEXT = 'lipsync-vozo-callback-v1';

/** base64url HMAC-SHA256 of the reference (43 characters). */
export function signCallbackReference(secret: string, reference: string): string {
	return createHmac('sha256', secret).update(`${SIGNATURE_CONTEXT}\u0000${reference}`).digest('base64url');
}

/** Whether `signature` is the secret's signature of `reference` (constant time). */
export function isValidCallbackSignature(secret: string, reference: string, signature: string | undefined): boolean {
	if (!secret || signature === undefined) return false;
	return secretsMatch(signCallbackReference(secret, reference), signature);
}

/** The callback secret of a Vozo credential's data, or '' when none is set. */
export function callbackSecretOf(credentials: IDataObject | undefined): string {
	const value = credentials?.[VOZO_CALLBACK_SECRET_FIELD];
	return typeof value === 'string' ? value.trim() : '';
}

/**
 * Placeholders that were (or may be mistaken as) shipped text, refused at activation: a secret
 * that anyone who read the example or README knows secures nothing.
 */
const PLACEHOLDER_PATTERN = /replace[-_ ]?with|your[-_ ]?(own|secret|token)|change[-_ ]?me|placeholder|example|secret[-_ ]?here/i;

/** Why `secret` is unusable (empty, short, a known placeholder, one repeated character), or undefined. */
export function weakSecretReason(secret: string, minLength: number): string | undefined {
	if (secret.length < minLength) return `it is ${secret.length} characters; at least ${minLength} are needed`;
	if (PLACEHOLDER_PATTERN.test(secret)) return 'it is a placeholder from an example, which others know too';
	if (new Set(secret).size < 8) return 'it repeats too few distinct characters to be random';
	return undefined;
}

/**
 * Appends our reference (and, with a secret, its signature) as query parameters, keeping the rest
 * of the URL (e.g. n8n's signature) verbatim.
 */
export function withCallbackReference(url: string, reference: string, secret = ''): string {
	const hashAt = url.indexOf('#');
	const base = hashAt === -1 ? url : url.slice(0, hashAt);
	const fragment = hashAt === -1 ? '' : url.slice(hashAt);
	const separator = base.includes('?') ? (/[?&]$/.test(base) ? '' : '&') : '?';
	let query = `${VOZO_CALLBACK_REFERENCE_PARAM}=${encodeURIComponent(reference)}`;
	if (secret) query += `&${VOZO_CALLBACK_SIGNATURE_PARAM}=${signCallbackReference(secret, reference)}`;
	return `${base}${separator}${query}${fragment}`;
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
