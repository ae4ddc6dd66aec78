import type { IDataObject } from 'n8n-workflow';

import { isObject, objectAt, readRecord, text } from '../shared/adapterKit';
import type { VendorErrorKind } from '../shared/adapter';
import type { JobErrorFields } from '../shared/adapterKit';
import type { StatusVocabulary } from '../shared/job';

/**
 * Every Personate behaviour that is NOT documented (docs/vendors.md, "ASSUMPTION"), in one place
 * so it is easy to correct once it is verified against the live API. Only the create request and
 * its answer (`{job_id, input, status: "rendering", output: ""}`) are documented.
 */

/**
 * ASSUMPTION: the status endpoint is `GET /api/express_lipsync_video/{job_id}` and returns the same
 * record as the create answer. No public source shows it. Correctable in the credential ("Status
 * Path", `{jobId}` placeholder; nodes/shared/requestPath.ts), without a release.
 */
export const personateStatusPath = (jobId: string): string =>
	`/api/express_lipsync_video/${encodeURIComponent(jobId)}`;
export const PERSONATE_STATUS_PATH_SETTING = 'statusPath';

/**
 * A 404 may mean the assumed status path is wrong rather than that the job is gone, so the
 * advice says so and where to look instead (the engine adds the job id to the message).
 */
export const PERSONATE_NOT_FOUND_HINT =
	'Personate answered 404 Not Found. Personate does not document an endpoint to read a job; this node asks GET /api/express_lipsync_video/<job id> (an assumption) unless the credential\'s "Status Path" says otherwise, so a 404 may mean that path is wrong, not that the job is gone. Look the job up in the Personate dashboard at https://personate.ai; if Personate reads jobs under another path, put it in the credential\'s "Status Path" ({jobId} stands for the job ID), and check its Base URL';

/**
 * Status words: "rendering" is documented, the rest is assumed. Unknown words mean processing,
 * except that a record with a non-empty `output` URL and no failure word is finished, whatever
 * its success word (ASSUMPTION: the create answer's `output: ""` fills in when the video is ready).
 */
export const PERSONATE_STATUS_WORDS: StatusVocabulary = {
	success: ['completed', 'complete', 'done', 'success', 'succeeded', 'successful', 'rendered', 'finished', 'ready'],
	failure: ['failed', 'failure', 'error', 'canceled', 'cancelled'],
	queued: ['queued', 'pending', 'submitted', 'waiting'],
};

/** Fields that mark a body as a job record; a record may also come wrapped as `{ data: {...} }`. */
export const PERSONATE_RECORD_FIELDS = ['job_id', 'status'] as const;

const ERROR_WORDS = ['error', 'failed', 'fail', 'failure'];

/** Fields only a job record carries (the create answer's `input` and `output`). */
const JOB_RECORD_ONLY_FIELDS = ['input', 'output'] as const;

/**
 * ASSUMPTION — error bodies that arrive with HTTP 2xx: `{status: "error", message}`, `{error: …}`
 * or `{success: false}` without a job. A job record whose status is "error" or "failed" carries
 * its `job_id`, or (when Personate leaves the id out) its `input`/`output`, so it stays a (failed)
 * job: the job failed, Personate did not.
 */
export function isPersonateErrorBody(body: IDataObject): boolean {
	const record = readRecord(body, PERSONATE_RECORD_FIELDS);
	if (text(record.job_id) ?? text(record.id)) return false;
	if (JOB_RECORD_ONLY_FIELDS.some((field) => record[field] !== undefined)) return false;
	const status = String(body.status ?? '').trim().toLowerCase();
	const error = body.error;
	const hasError = error !== undefined && error !== null && error !== '' && error !== false;
	return ERROR_WORDS.includes(status) || body.success === false || hasError;
}

/**
 * ASSUMPTION: such an HTTP 2xx error body answering a create is Personate refusing it (nothing was
 * made: the create answer of a made job carries its `job_id`) only when its words say why — the
 * key, credit, permission or the input. Personate documents no errors, so any other error body
 * ("internal error, please retry") may follow a job Personate made: it is unknown, and the item
 * comes out "may have been created", never re-sent. Answering a read, an error body is read as
 * Personate's own trouble, which a status call retries.
 */
const CREATE_REFUSAL_WORDS: ReadonlyArray<[RegExp, VendorErrorKind]> = [
	[/api[ _-]?key|unauthori[sz]ed|unauthenticated|invalid token|access token/i, 'auth'],
	[/credit|balance|quota|insufficient|top[ -]?up|payment/i, 'credit'],
	[/permission|forbidden|not allowed|upgrade|plan/i, 'permission'],
	[/invalid|required|missing|must be|must not|not supported|unsupported|too (long|large|short)|not found/i, 'invalidInput'],
];

export function personateCreateErrorBodyKind(body: IDataObject): VendorErrorKind | undefined {
	const words = [body.message, body.error, body.detail, body.msg]
		.map((value) => (isObject(value) ? String(value.message ?? '') : typeof value === 'string' ? value : ''))
		.join(' ');
	return CREATE_REFUSAL_WORDS.find(([pattern]) => pattern.test(words))?.[1];
}

/** ASSUMPTION: timestamps on a job are undocumented; these names are read when present. */
export const PERSONATE_CREATED_AT_FIELDS = ['created_at'] as const;
export const PERSONATE_COMPLETED_AT_FIELDS = ['completed_at', 'updated_at'] as const;

/** `output` is the video URL; an object output or other names are tolerated. */
export function personateVideoUrl(record: IDataObject): string | undefined {
	const output = record.output;
	if (isObject(output)) return text(output.url) ?? text(output.video_url);
	return text(output) ?? text(record.video_url) ?? text(record.result_url);
}

/** The reason of a failed job: `error` (string or `{message, code}`), then `message`/`detail`. */
export const PERSONATE_JOB_ERROR_FIELDS: JobErrorFields = {
	code: [],
	message: ['error', 'error_message', 'message', 'detail'],
};

/** Avatar and voice lists: `/api/avatars/{public|custom}`, `/api/voices/{public|custom}`. */
export const personateListPath = (kind: 'avatars' | 'voices', type: 'public' | 'custom'): string =>
	`/api/${kind}/${type}`;

/** List answers: a bare array, or an array under one of these keys. */
export function personateListItems(body: unknown, kind: 'avatars' | 'voices'): IDataObject[] {
	const candidates: unknown[] = [body];
	if (isObject(body)) {
		candidates.push(body[kind], body.data, body.items, body.results);
		const data = objectAt(body.data);
		if (data) candidates.push(data[kind], data.items, data.results);
	}
	const list = candidates.find(Array.isArray) as unknown[] | undefined;
	return (list ?? []).filter(isObject);
}

/** Items carry `avatar_id`/`voice_id` or `id`, and `name`. */
export function personateListItem(
	item: IDataObject,
	kind: 'avatars' | 'voices',
): { id: string; name: string } | undefined {
	const id = text(kind === 'avatars' ? item.avatar_id : item.voice_id) ?? text(item.id);
	if (!id) return undefined;
	const name = text(item.name) ?? text(item.display_name) ?? text(item.title) ?? id;
	return { id, name };
}

/**
 * ASSUMPTION: Personate fetches `video_url` and `audio_url` itself and takes the common types
 * below (it documents none); a binary of another type is refused before anything is sent.
 */
export const PERSONATE_FETCHED_VIDEO = ['mp4', 'mov', 'webm'] as const;
export const PERSONATE_FETCHED_AUDIO = ['mp3', 'wav', 'm4a', 'aac'] as const;

/** ASSUMPTION: a job waits at most 60 minutes before Personate fetches its inputs (undocumented). */
export const PERSONATE_QUEUE_MINUTES = 60;
