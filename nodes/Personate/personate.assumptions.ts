import type { IDataObject } from 'n8n-workflow';

import { isObject, objectAt, readRecord, text } from '../shared/adapterKit';
import type { JobErrorFields } from '../shared/adapterKit';
import type { StatusVocabulary } from '../shared/job';

/**
 * Every Personate behaviour that is NOT documented (docs/vendors.md, "ASSUMPTION"), in one place
 * so it is easy to correct once it is verified against the live API. Only the create request and
 * its answer (`{job_id, input, status: "rendering", output: ""}`) are documented.
 */

/** The status endpoint returns the same record as the create answer. */
export const personateStatusPath = (jobId: string): string =>
	`/api/express_lipsync_video/${encodeURIComponent(jobId)}`;

/**
 * A 404 may mean the assumed status path is wrong rather than that the job is gone, so the
 * advice says so and where to look instead (the engine adds the job id to the message).
 */
export const PERSONATE_NOT_FOUND_HINT =
	'Personate answered 404 Not Found. Personate does not document an endpoint to read a job; this node asks GET /api/express_lipsync_video/<job id> (an assumption), so a 404 may mean that path is wrong, not that the job is gone. Look the job up in the Personate dashboard at https://personate.ai, and check the Base URL of the credential';

/** Status words: "rendering" is documented, the rest is assumed. Unknown words mean processing. */
export const PERSONATE_STATUS_WORDS: StatusVocabulary = {
	success: ['completed', 'complete', 'done', 'success', 'succeeded', 'rendered', 'finished'],
	failure: ['failed', 'failure', 'error', 'canceled', 'cancelled'],
	queued: ['queued', 'pending', 'submitted', 'waiting'],
};

/** Fields that mark a body as a job record; a record may also come wrapped as `{ data: {...} }`. */
export const PERSONATE_RECORD_FIELDS = ['job_id', 'status'] as const;

const ERROR_WORDS = ['error', 'failed', 'fail', 'failure'];

/**
 * Error bodies that arrive with HTTP 2xx: `{status: "error", message}`, `{error: …}` or
 * `{success: false}` without a job. A job record whose status is "error" or "failed" carries its
 * `job_id`, so it stays a (failed) job.
 */
export function isPersonateErrorBody(body: IDataObject): boolean {
	const record = readRecord(body, PERSONATE_RECORD_FIELDS);
	if (text(record.job_id) ?? text(record.id)) return false;
	const status = String(body.status ?? '').trim().toLowerCase();
	const error = body.error;
	const hasError = error !== undefined && error !== null && error !== '' && error !== false;
	return ERROR_WORDS.includes(status) || body.success === false || hasError;
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
