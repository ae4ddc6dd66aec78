/**
 * sync.so's webhooks (docs/vendors.md § sync.so, webhooks): a generation created with
 * `webhookUrl` gets one POST when it completes or fails, its body the generation exactly as
 * `GET /v2/generate/{id}` answers, signed with the organization's webhook secret:
 * `Sync-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, the secret
 * used as-is (UTF-8, `whsec_` prefix included).
 *
 * ASSUMPTIONS (undocumented; the sandbox picks one):
 * - `t` is in seconds; the signed body is exactly the bytes sent (compact JSON).
 * - Nothing is sent while a generation is PENDING or PROCESSING; a delivery is not retried.
 * - One webhook secret per account (here: per API key, `syncsoWebhookSecret(key)`).
 */
import { createHash, createHmac } from 'node:crypto';

import type { JobCallbacks } from '../deliveries';
import type { SandboxJob } from '../jobs';

/** The signing secret the sandbox's sync.so shows for an API key's organization. */
export function syncsoWebhookSecret(apiKey: string): string {
	return `whsec_${createHash('sha256').update(`sandbox-syncso-webhooks:${apiKey}`).digest('base64url').slice(0, 32)}`;
}

/** The `Sync-Signature` header value for these body bytes, signed at `timestampSeconds`. */
export function signSyncsoWebhook(secret: string, rawBody: string, timestampSeconds = Math.floor(Date.now() / 1000)): string {
	const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`).digest('hex');
	return `t=${timestampSeconds},v1=${v1}`;
}

/** sync.so's per-generation webhooks, the body being the generation as the status endpoint shows it. */
export function syncsoWebhooks(generation: (job: SandboxJob) => Record<string, unknown>): JobCallbacks {
	return {
		announces: (job) => job.phase === 'succeeded' || job.phase === 'failed',
		body: generation,
		sign: (job, rawBody) => ({ 'sync-signature': signSyncsoWebhook(syncsoWebhookSecret(job.key), rawBody) }),
	};
}
