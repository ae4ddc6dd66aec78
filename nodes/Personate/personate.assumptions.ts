import type { IDataObject } from 'n8n-workflow';

import { isObject, objectAt, text } from '../shared/adapterKit';
import type { StatusVocabulary } from '../shared/job';

/**
 * Every Personate behaviour that is NOT documented (vendors.md, "ASSUMPTION"), in one place so it
 * is easy to correct once it is verified against the live API. Only the create request and its
 * answer (`{job_id, input, status: "rendering", output: ""}`) are documented.
 */

/** The status endpoint returns the same record as the create answer. */
export const personateStatusPath = (jobId: string): string =>
	`/api/express_lipsync_video/${encodeURIComponent(jobId)}`;

/** Status words: "rendering" is documented, the rest is assumed. Unknown words mean processing. */
export const PERSONATE_STATUS_WORDS: StatusVocabulary = {
	success: ['completed', 'complete', 'done', 'success', 'succeeded', 'rendered', 'finished'],
	failure: ['failed', 'failure', 'error', 'canceled', 'cancelled'],
	queued: ['queued', 'pending', 'submitted', 'waiting'],
};

/** A record may come bare or wrapped as `{ data: {...} }`. */
export function personateRecord(body: IDataObject): IDataObject {
	const data = objectAt(body.data);
	return data && body.job_id === undefined && body.status === undefined ? data : body;
}

/** `output` is the video URL; an object output or other names are tolerated. */
export function personateVideoUrl(record: IDataObject): string | undefined {
	const output = record.output;
	if (isObject(output)) return text(output.url) ?? text(output.video_url);
	return text(output) ?? text(record.video_url) ?? text(record.result_url);
}

/** The reason of a failed job: `error` (string or `{message, code}`), then `message`/`detail`. */
export function personateJobError(record: IDataObject): { code?: string | number; message: string } | undefined {
	const error = record.error;
	const message =
		(isObject(error) ? text(error.message) : text(error)) ??
		text(record.error_message) ??
		text(record.message) ??
		text(record.detail);
	if (!message) return undefined;
	const code = isObject(error) ? error.code : undefined;
	return typeof code === 'string' || typeof code === 'number' ? { code, message } : { message };
}

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
