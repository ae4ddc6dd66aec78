/**
 * Every Vozo behaviour that is NOT documented (vendors.md, "ASSUMPTION"), in one place so it is
 * easy to correct once it is verified against the live API.
 */

/** Reusable-model jobs are read from the same status endpoint as reference-file jobs. */
export const vozoStatusPath = (taskId: string): string =>
	`/v1/video_generation/${encodeURIComponent(taskId)}`;

/** A failed job explains itself in `err_code` / `err_message`; the other names are tolerated. */
export const VOZO_JOB_ERROR_CODE_FIELDS = ['err_code', 'error_code', 'code'] as const;
export const VOZO_JOB_ERROR_MESSAGE_FIELDS = ['err_message', 'error_message', 'message', 'error'] as const;

/** Documented words are pending/processing/done/failed; the rest are tolerated alternatives. */
export const VOZO_STATUS_WORDS = {
	success: ['done', 'completed', 'complete', 'success', 'succeeded', 'finished'],
	failure: ['failed', 'fail', 'error', 'canceled', 'cancelled'],
	queued: ['pending', 'queued', 'queuing', 'submitted', 'waiting'],
};

/** Some gateways wrap answers as `{ data: {...} }`; Vozo documents the bare object. */
export const VOZO_MAY_WRAP_IN_DATA = true;

/**
 * Error 1301 ("callback challenge failed"): how Vozo checks the callback URL is undocumented;
 * we assume it must be publicly reachable and answer 2xx. If Vozo probes the URL while the
 * create request is still open, n8n's resume URL answers 409 (the execution is not parked
 * yet), so Wait By "Vendor Callback" would fail with 1301: the advice names polling.
 */
export const VOZO_CALLBACK_CHALLENGE_HINT =
	'Vozo could not verify the callback URL. It must be publicly reachable over https and answer with a 2xx status (for n8n, set WEBHOOK_URL to the public base URL), or use Wait By "Polling" (and leave the "Callback URL" option empty) so the node polls instead.';
