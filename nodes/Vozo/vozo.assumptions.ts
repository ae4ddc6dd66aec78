import type { IDataObject } from 'n8n-workflow';

import type { VendorErrorKind } from '../shared/adapter';
import { isNonZeroCode } from '../shared/adapterKit';
import type { JobErrorFields } from '../shared/adapterKit';

/**
 * Every Vozo behaviour that is NOT documented (docs/vendors.md, "ASSUMPTION"), in one place so
 * it is easy to correct once it is verified against the live API.
 */

/** The documented status path of reference-file jobs. */
export const vozoStatusPath = (taskId: string): string =>
	`/v1/video_generation/${encodeURIComponent(taskId)}`;

/**
 * ASSUMPTION: reusable-model jobs are read from the same status endpoint as reference-file jobs.
 * Correctable in the credential ("Reusable-Model Status Path", `{taskId}` placeholder): a job id
 * alone does not say which kind it is, so the node asks the documented path first and, when Vozo
 * answers 404, the user's path (nodes/shared/requestPath.ts).
 */
export const VOZO_REUSABLE_STATUS_PATH_SETTING = 'reusableModelStatusPath';

/** Advice on a 404: for a reusable-model job it may be the assumed path that is wrong, not the job. */
export const VOZO_NOT_FOUND_HINT =
	'Vozo has no job with this ID for this API key. A reusable-model job may be read under another path than the documented one (an assumption of this node): if Vozo names one, put it in the credential\'s "Reusable-Model Status Path" ({taskId} stands for the job ID). Check the job in the Vozo dashboard.';
export const VOZO_REUSABLE_STATUS_PATH_DEFAULT = '/v1/video_generation/{taskId}';

/**
 * ASSUMPTION: the status answer is the bare record `{status, video_url?}`. Vozo's Translate & Dub
 * status API (same API family) nests its result: public code reads `result.video_url`,
 * `result.cover_url`, times under `result`, and `err_code` (a string) / `err_message` beside
 * them. A nested `result` object is read wherever the top level leaves a field unset.
 */
export const VOZO_RESULT_FIELD = 'result';

/**
 * ASSUMPTION: a failed job explains itself in `err_code` / `err_message`; the other names are
 * tolerated. The code's type is undocumented: a string (like the documented error `code`) and a
 * number are both read, and the job error table is looked up by the code as text.
 */
export const VOZO_JOB_ERROR_FIELDS: JobErrorFields = {
	code: ['err_code', 'error_code', 'code'],
	message: ['err_message', 'error_message', 'err_msg', 'message', 'error'],
};

/**
 * ASSUMPTION: Vozo documents only `status` and `video_url` on a status answer, and no request id
 * on errors. These names are read when present (the output shows them; nothing depends on them).
 */
export const VOZO_UNDOCUMENTED_FIELDS = {
	videoUrl: ['result_url', 'output_url'],
	coverUrl: ['cover_url', 'thumbnail_url'],
	createdAt: ['created_at', 'create_time'],
	completedAt: ['completed_at', 'finished_at', 'finish_time', 'updated_at'],
	requestId: ['request_id'],
} as const;

/** Documented words are pending/processing/done/failed; the rest are tolerated alternatives. */
export const VOZO_STATUS_WORDS = {
	success: ['done', 'completed', 'complete', 'success', 'succeeded', 'finished'],
	failure: ['failed', 'fail', 'error', 'canceled', 'cancelled'],
	queued: ['pending', 'queued', 'queuing', 'submitted', 'waiting'],
};

/**
 * Fields that mark a body as Vozo's own record. Vozo documents bare objects; a body without
 * them but with an object `data` is read as wrapped by a gateway (ASSUMPTION).
 */
export const VOZO_RECORD_FIELDS = ['status', 'task_id'] as const;

/**
 * ASSUMPTION: Vozo documents errors as HTTP 400 `{code, message}`. A 2xx body with a non-zero
 * code and neither a task id nor a status is read as an error too (a failed job's own code sits
 * beside its `status`, so it is not one).
 */
export const isVozoErrorBody = (body: IDataObject): boolean =>
	isNonZeroCode(body.code) && VOZO_RECORD_FIELDS.every((field) => body[field] === undefined);

/**
 * ASSUMPTION (the credential test relies on it too): a rejected key may come back as HTTP 403
 * without one of the documented codes; that is read as a bad key, not a missing plan.
 */
export const VOZO_HTTP_KINDS: Partial<Record<number, VendorErrorKind>> = { 403: 'auth' };

/**
 * Error 1301 ("callback challenge failed"): how Vozo checks the callback URL is undocumented;
 * we assume it must be publicly reachable and answer 2xx. If Vozo probes the URL while the
 * create request is still open, n8n's resume URL answers 409 (the execution is not parked
 * yet), so Wait By "Vendor Callback" would fail with 1301: the advice names polling.
 */
export const VOZO_CALLBACK_CHALLENGE_HINT =
	'Vozo could not verify the callback URL. It must be publicly reachable over https and answer with a 2xx status (for n8n, set WEBHOOK_URL to the public base URL), or use Wait By "Polling" (and leave the "Callback URL" option empty) so the node polls instead.';

/**
 * ASSUMPTION: Vozo can refuse a create whose callback URL fails its check (error 1301 "callback
 * challenge failed"); how it checks is undocumented. We assume a GET or HEAD to the callback URL
 * that expects HTTP 200: the resume URL (Vozo node) and the Lip Sync Trigger's URL answer both
 * with 200 `{ok: true}` and start or resume nothing. A POST without a `status` is not a check: it
 * is answered 400 as before. If Vozo's check echoes a challenge, or uses another method, this is
 * the place to correct.
 */
export const VOZO_CALLBACK_CHECK_METHODS = ['GET', 'HEAD'] as const;
