/**
 * The other answer to each guess of ours. Where a vendor's documents are silent the sandbox picks
 * one answer (the ASSUMPTIONS at the top of each vendors/*.ts file, docs/vendors.md); each switch
 * here makes it answer another way public sources show or allow, so a node test run against every
 * variant turns a wrong guess of ours into a red test. Off by default: `setOptions({ variants: {
 * vozoResultNested: true } })`.
 */
import type { Ctx } from './http';

export interface Variants {
	/** Vozo status answers and callbacks nest the result: `{status, result: {video_url, cover_url, created_at, completed_at}}`, `err_code` (a string) and `err_message` beside `status` — as Vozo's Translate & Dub status API does. */
	vozoResultNested: boolean;
	/** Reusable-model jobs are read only at `GET /v1/reusable_lipsync_model_video_generation/{task_id}`; the documented status path answers them 404. */
	vozoReusableStatusMoved: boolean;
	/** A failed Vozo job's `err_code` is a number (`20601`), not a string. */
	vozoErrCodeNumber: boolean;
	/** A status GET of a task id the key does not own answers HTTP 403 `{code: "7"}` instead of 404 (a good key then fails the default credential test). */
	vozoUnknownTaskForbidden: boolean;
	/** Personate reads jobs at `GET /api/express_lipsync_video/status/{job_id}`; the assumed path answers 404. */
	personateStatusMoved: boolean;
	/** A finished Personate job reports the success word `delivered` (in no vocabulary of ours), its video in `output`. */
	personateOtherSuccessWord: boolean;
	/** An invalid Personate create is refused with HTTP 200 `{status: "error", message}` instead of HTTP 400. */
	personateRefusalInBody: boolean;
	/** A bad Personate key is answered HTTP 200 `{success: false, message}` instead of HTTP 401. */
	personateBadKeyInBody: boolean;
	/** A finished Personate job's `output` is an object `{url}` instead of the URL string. */
	personateOutputObject: boolean;
	/** Personate's avatar and voice lists come as `{data: [{id, name}]}` instead of `{avatars: [{avatar_id, name}]}`. */
	personateListsUnderData: boolean;
	/** Personate's status records carry no `job_id` (a failed one: `{status: "failed", output: "", error}`). */
	personateRecordWithoutJobId: boolean;
	/** Modellix's create route has no `/async` suffix: `POST /api/v1/{provider}/{model}`; the `/async` route answers 404. */
	modellixNoAsync: boolean;
	/** Modellix's `get_result.url` points at `GET /api/v2/tasks/{task_id}`, and the documented `/api/v1/tasks/{task_id}` answers 404. */
	modellixResultUrlMoved: boolean;
	/** A failed Modellix task explains itself only in `error_message` (no `error` object). */
	modellixErrorMessageOnly: boolean;
	/** Modellix's `get_result.url` points at another host (`127.0.0.2`): the node must never send its key there. */
	modellixResultUrlOtherHost: boolean;
	/** A finished JoggAI task's result sits flat in the task record (`data.result_url`, `data.duration`), not in a second `data`. */
	joggaiResultFlat: boolean;
	/** JoggAI's rate-limit answer carries `retryAfter` (seconds, a number) in its body, as JoggAI's rate-limit page says. */
	joggaiRetryAfterInBody: boolean;
	/** A failed sync.so generation carries `errorCode` (the newest docs' name), not `error_code` (the SDKs'). */
	syncsoErrorCodeCamel: boolean;
	/** A finished sync.so generation names its video `outputMediaUrl`, with no `outputUrl` (open question 5). */
	syncsoOutputMediaUrl: boolean;
}

export type VariantName = keyof Variants;

export const VARIANT_NAMES: readonly VariantName[] = [
	'vozoResultNested',
	'vozoReusableStatusMoved',
	'vozoUnknownTaskForbidden',
	'vozoErrCodeNumber',
	'personateStatusMoved',
	'personateOtherSuccessWord',
	'personateRefusalInBody',
	'personateBadKeyInBody',
	'personateRecordWithoutJobId',
	'personateOutputObject',
	'personateListsUnderData',
	'modellixNoAsync',
	'modellixResultUrlMoved',
	'modellixResultUrlOtherHost',
	'modellixErrorMessageOnly',
	'joggaiRetryAfterInBody',
	'joggaiResultFlat',
	'syncsoErrorCodeCamel',
	'syncsoOutputMediaUrl',
];

/** Paths the moved-path variants serve (tests set the credential's path field to the template). */
export const VARIANT_PATHS = {
	vozoReusableStatus: '/v1/reusable_lipsync_model_video_generation/{taskId}',
	personateStatus: '/api/express_lipsync_video/status/{jobId}',
	modellixResult: '/api/v2/tasks/{taskId}',
} as const;

export const variantOn = (ctx: Pick<Ctx, 'core'>, name: VariantName): boolean => ctx.core.options().variants[name] === true;
