import { createHmac } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { numberAt, text } from '../shared/adapterKit';
import { secretsMatch } from '../LipSyncTrigger/signature';

/**
 * What makes a JoggAI delivery trustworthy: its signature (JoggAI signs the raw body with the
 * endpoint's secret), a fresh timestamp inside the signed body (so a captured delivery cannot be
 * replayed later), and the secrets the trigger holds (the endpoint's, plus the one it replaced
 * for a short while after the endpoint was re-created).
 */

/** Static data keys (the node's static data, saved by n8n after activation). */
export const ENDPOINT_ID_KEY = 'joggAiEndpointId';
export const SECRET_KEY = 'joggAiSecret';
const PREVIOUS_SECRET_KEY = 'joggAiPreviousSecret';
const PREVIOUS_SECRET_EXPIRES_KEY = 'joggAiPreviousSecretExpiresAt';

/**
 * How long the replaced secret still verifies after a repair gave the endpoint a new one (JoggAI
 * rolled it). Not after the user deleted the endpoint in JoggAI's dashboard: that revokes the
 * secret at once (joggAi.triggerRegistration.ts).
 * Deliveries JoggAI signed before the change may still be on their way (JoggAI may re-send a
 * failed delivery; its documents give no schedule). The default delivery-age tolerance refuses such a delivery after
 * 5 minutes anyway; three times that leaves room for a raised tolerance without keeping an old
 * secret valid for long.
 */
export const PREVIOUS_SECRET_GRACE_MS = 15 * 60 * 1000;

/**
 * Default for "Max Delivery Age": 5 minutes, the tolerance of Stripe and Standard Webhooks.
 * A re-sent delivery keeps its signed timestamp; JoggAI documents no retry schedule
 * (ASSUMPTION: its re-sends end within a few minutes). The tolerance is room for those re-sends,
 * JoggAI's own queueing and the clocks of JoggAI and n8n disagreeing.
 */
export const DEFAULT_MAX_DELIVERY_AGE_SECONDS = 300;

/** JoggAI's delivery signature: hex HMAC-SHA256 of the raw request body, keyed by the endpoint secret. */
function joggAiSignature(secret: string, rawBody: Buffer): string {
	return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * Whether `X-Webhook-Signature` signs exactly these body bytes with one of `secrets`. It must be
 * given the bytes as received: JSON parsed and serialized again differs in spacing, key order
 * or escapes, and would fail the check for a genuine delivery (or pass one JoggAI never signed).
 */
export function isValidJoggAiSignature(
	secrets: readonly string[],
	rawBody: Buffer,
	signatureHeader: string | undefined,
): boolean {
	if (!signatureHeader) return false;
	// Tolerate a `sha256=` prefix and upper-case hex, which some senders use.
	const received = signatureHeader.trim().replace(/^sha256=/i, '').toLowerCase();
	let valid = false;
	// Every secret is checked, so the time taken does not tell which one matched.
	for (const secret of secrets) {
		if (secret && secretsMatch(joggAiSignature(secret, rawBody), received)) valid = true;
	}
	return valid;
}

/** The secrets a delivery may be signed with now: the endpoint's, then the replaced one until it expires. */
export function verifyingSecrets(staticData: IDataObject, now: number): string[] {
	const secrets: string[] = [];
	const current = text(staticData[SECRET_KEY]);
	if (current) secrets.push(current);
	const previous = text(staticData[PREVIOUS_SECRET_KEY]);
	const expiresAt = numberAt(staticData[PREVIOUS_SECRET_EXPIRES_KEY]);
	if (previous && expiresAt !== undefined && now < expiresAt) secrets.push(previous);
	return secrets;
}

/** Keeps the current secret as the previous one (until the grace period ends) and forgets it as current. */
export function retireSecret(staticData: IDataObject, now: number): void {
	const current = text(staticData[SECRET_KEY]);
	if (current) {
		staticData[PREVIOUS_SECRET_KEY] = current;
		staticData[PREVIOUS_SECRET_EXPIRES_KEY] = now + PREVIOUS_SECRET_GRACE_MS;
	}
	delete staticData[SECRET_KEY];
}

/** Stores the endpoint's secret; a different one it replaces stays valid for the grace period. */
export function rememberSecret(staticData: IDataObject, secret: string, now: number): void {
	if (text(staticData[SECRET_KEY]) !== secret) retireSecret(staticData, now);
	staticData[SECRET_KEY] = secret;
	const expiresAt = numberAt(staticData[PREVIOUS_SECRET_EXPIRES_KEY]);
	if (expiresAt === undefined || now >= expiresAt || staticData[PREVIOUS_SECRET_KEY] === secret) forgetPreviousSecret(staticData);
}

/** Both secrets stop verifying now (deactivation, or the endpoint deleted in JoggAI's dashboard). */
export function forgetSecrets(staticData: IDataObject): void {
	delete staticData[SECRET_KEY];
	forgetPreviousSecret(staticData);
}

export function forgetPreviousSecret(staticData: IDataObject): void {
	delete staticData[PREVIOUS_SECRET_KEY];
	delete staticData[PREVIOUS_SECRET_EXPIRES_KEY];
}
