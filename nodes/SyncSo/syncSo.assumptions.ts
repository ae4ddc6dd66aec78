import type { StatusVocabulary } from '../shared/job';

/**
 * What the sync.so adapter reads beyond sync.so's documents (docs/vendors.md, sync.so; the open
 * questions of the contract), in one place so it is one edit to correct against the live API.
 */

/**
 * Documented: PENDING, PROCESSING, COMPLETED, FAILED, REJECTED. ASSUMPTION: CANCELED and
 * TIMED_OUT (in sync.so's older API reference only) may still come back; they end the job as
 * failed. Any other word keeps the job running (the engine's rule for unknown words).
 */
export const SYNCSO_STATUS_WORDS: StatusVocabulary = {
	success: ['completed'],
	failure: ['failed', 'rejected', 'canceled', 'cancelled', 'timed_out'],
	queued: ['pending'],
};

/**
 * ASSUMPTION: a failed generation's code is `errorCode` (newest docs) or `error_code` (the SDKs and
 * the webhook payload); both are read, `errorCode` first. The words are in `error`.
 */
export const SYNCSO_JOB_ERROR_FIELDS = { code: ['errorCode', 'error_code'], message: ['error'] } as const;

/**
 * ASSUMPTION: the result is `outputUrl`; `outputMediaUrl` (named by sync.so's MCP tool listing
 * only, with `outputUrl` its alias) is read when `outputUrl` is empty.
 */
export const SYNCSO_RESULT_URL_FIELDS = ['outputUrl', 'outputMediaUrl'] as const;

/**
 * ASSUMPTION: the request-rate limits of sync.so's older rate-limit page still apply: 60 creates
 * per minute and 600 requests of any kind per minute per key (the newest page lists per-endpoint
 * limits and no longer restates them). The asset upload URL's own 120 per minute is documented.
 */
export const SYNCSO_CREATES_PER_MINUTE = 60;
export const SYNCSO_REQUESTS_PER_MINUTE = 600;

/**
 * ASSUMPTION: `POST /v2/assets` answers the registered asset with its `id` (its status code is not
 * documented: any 2xx is read); an answer with the asset under `asset` is read too.
 */
export const SYNCSO_ASSET_ID_FIELDS = ['id', 'assetId'] as const;

/**
 * ASSUMPTION: with no documented limit per plan, a binary input is refused before anything is sent
 * only above the documented single-upload cap (5 GiB); a smaller file over the plan's limit is
 * refused by sync.so at registration (HTTP 422 `file_size_exceeds_plan_limit`).
 */
export const SYNCSO_MAX_UPLOAD_BYTES = 5 * 1024 * 1024 * 1024;

/**
 * ASSUMPTION: sync.so documents no default `sync_mode` today (its older reference says `loop`):
 * the node sends one only when the user picks it.
 */
export const SYNCSO_DEFAULT_SYNC_MODE = '';

/**
 * `Idempotency-Key` on `POST /v2/generate` (documented: the header, 1–128 characters of
 * `[A-Za-z0-9._~-]`, 400 `INVALID_IDEMPOTENCY_KEY`, 503 `IDEMPOTENCY_OUTCOME_UNKNOWN` with an
 * optional `generationId`). sync.so's guide on replays and conflicts was not retrievable, so:
 * - ASSUMPTION: a replay (a known key with the same inputs) answers like the first create — a 2xx
 *   with the generation (the sandbox: 201, the generation as it is now). Any other answer to a
 *   resend (e.g. a 409 while the first request is still in flight) is tolerated: the item ends
 *   "may have been created" after the node's tries, never failed, and Retry On Fail resends it.
 * - ASSUMPTION: a known key with other inputs is refused and makes nothing (the sandbox: 422
 *   `IDEMPOTENCY_KEY_REUSED`, the status of the IETF idempotency-key draft). The node never sends
 *   other inputs under a key: a resend is the request it remembered, byte for byte.
 * - ASSUMPTION: a create refused before it made anything (validation, 429) does not bind its key,
 *   so the node sends it again under the same key once a slot frees.
 * - ASSUMPTION: keys are kept at least as long as one execution's retries (minutes); the retention
 *   window is not documented and nothing longer is relied on.
 */
export const SYNCSO_OUTCOME_UNKNOWN_CODE = 'IDEMPOTENCY_OUTCOME_UNKNOWN';

/**
 * ASSUMPTION: a webhook's signed timestamp `t` is unix seconds (sync.so names no unit); from 10^12
 * on (13 digits) it is read as milliseconds, so a change of unit on sync.so's side refuses nothing.
 */
export const SYNCSO_SIGNATURE_MILLISECONDS_FROM = 1e12;

/**
 * ASSUMPTION: sync.so documents no replay tolerance: the Lip Sync Trigger refuses a webhook signed
 * more than 5 minutes before (or after) it arrives (its Max Delivery Age, the tolerance Stripe and
 * Standard Webhooks use). Also assumed: the signed text is the raw body (the compact
 * re-serialisation that sync.so's samples sign is accepted too), `X-Signature-Primary` (named by
 * the payload reference only) is not a second scheme, and a webhook may arrive twice (retries are
 * undocumented): one start per generation id and status.
 */
export const SYNCSO_WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Ids per grouped status read (`GET /v2/generations?ids=…`, comma-separated): sync.so documents no
 * cap on `ids` (only `limit`, 1–100, which the read does not send). 50 ids are a URL of about 2 KB
 * (a generation id is a 36-character UUID, the comma sent as `%2C`), a quarter of the 8 KB request
 * line that common proxies and servers take by default; 100 would be about 4 KB.
 * ASSUMPTION: an id sync.so does not know for this organization (deleted, never made, another
 * organization's) is left out of the answer, not refused; the node reads a job the answer leaves
 * out on its own (`GET /v2/generate/{id}`), and a grouped read refused as a whole (400, 404) makes
 * it read every job on its own for the rest of the run. The comma form of `ids` is the documented
 * one (sync.so's SDK 0.3.0 sends a JSON list, which looks like a generator artefact).
 */
export const SYNCSO_IDS_PER_STATUS_READ = 50;
