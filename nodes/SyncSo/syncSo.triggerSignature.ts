import { createHmac } from 'node:crypto';

import { staleDeliveryReason } from '../LipSyncTrigger/deliveryAge';
import { secretsMatch } from '../LipSyncTrigger/signature';

/**
 * sync.so's webhook signature (docs/vendors.md, sync.so, webhooks): header
 * `Sync-Signature: t=<timestamp>,v1=<hex>`, where v1 = hex HMAC-SHA256 over `"<t>.<JSON body>"`,
 * keyed with the signing secret exactly as sync.so shows it (UTF-8, `whsec_` prefix included,
 * no base64 decoding).
 *
 * sync.so's own samples sign the *re-serialised* parsed body (compact JSON); the sender most
 * likely signs the bytes it sends. So the raw body is checked first, then its compact
 * re-serialisation. The timestamp is signed too, so its age is checked only after the signature:
 * a replay cannot move it.
 */

export const SYNC_SIGNATURE_HEADER = 'sync-signature';

/** What a delivery proves, or why it is refused (every refusal is a 401: the sender is not proven). */
export type SignatureVerdict = { ok: true; signedAtMs: number } | { ok: false; reason: string };

export interface SignatureRules {
	/** Signed timestamps further than this from now, either way, are refused (0: not checked). */
	toleranceSeconds: number;
	/** A timestamp at or above this is in milliseconds, below it in seconds (sync.so names no unit). */
	millisecondsFrom: number;
}

/** `t` and every `v1` of the header; undefined when it is not of the form `t=…,v1=…`. */
export function parseSyncSignature(header: string | undefined): { t: string; v1: string[] } | undefined {
	if (!header) return undefined;
	let t: string | undefined;
	const v1: string[] = [];
	for (const part of header.split(',')) {
		const at = part.indexOf('=');
		if (at === -1) continue;
		const key = part.slice(0, at).trim();
		const value = part.slice(at + 1).trim();
		if (key === 't' && /^\d+$/.test(value)) t = value;
		else if (key === 'v1' && /^[0-9a-fA-F]+$/.test(value)) v1.push(value.toLowerCase());
	}
	return t !== undefined && v1.length > 0 ? { t, v1 } : undefined;
}

/** hex HMAC-SHA256 of `"<t>." + body bytes`, keyed with the secret as-is. */
export function syncSignature(secret: string, t: string, body: Buffer | string): string {
	return createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
}

/** The compact re-serialisation of a JSON body (what sync.so's samples sign), or undefined for non-JSON. */
function compactJson(rawBody: Buffer): string | undefined {
	try {
		return JSON.stringify(JSON.parse(rawBody.toString('utf8')));
	} catch {
		return undefined;
	}
}

/** Whether one of `v1` is the secret's signature of `t` and these body bytes or their compact form (constant time). */
function signs(secret: string, t: string, v1: string[], rawBody: Buffer): boolean {
	const candidates = [syncSignature(secret, t, rawBody)];
	const compact = compactJson(rawBody);
	if (compact !== undefined && compact !== rawBody.toString('utf8')) candidates.push(syncSignature(secret, t, compact));
	let valid = false;
	// Every pair is compared, so the time taken does not tell which one matched.
	for (const expected of candidates) for (const received of v1) if (secretsMatch(expected, received)) valid = true;
	return valid;
}

/** Checks a delivery's `Sync-Signature` against the raw body, then the age of its signed timestamp. */
export function verifySyncDelivery(
	secret: string,
	header: string | undefined,
	rawBody: Buffer,
	now: number,
	rules: SignatureRules,
): SignatureVerdict {
	if (!secret) return { ok: false, reason: 'No webhook signing secret is set in the sync.so credential, so no delivery can be verified' };
	const parsed = parseSyncSignature(header);
	if (!parsed) return { ok: false, reason: 'Missing or malformed Sync-Signature header (expected t=<timestamp>,v1=<signature>)' };
	if (!signs(secret, parsed.t, parsed.v1, rawBody)) return { ok: false, reason: 'Invalid Sync-Signature' };

	const stale = rules.toleranceSeconds > 0 ? staleDeliveryReason(parsed.t, rules.toleranceSeconds, now, rules.millisecondsFrom) : undefined;
	if (stale) return { ok: false, reason: stale };
	const stamp = Number(parsed.t);
	const signedAtMs = stamp >= rules.millisecondsFrom ? stamp : stamp * 1000;
	return { ok: true, signedAtMs };
}
