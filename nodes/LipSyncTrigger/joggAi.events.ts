import type { IDataObject } from 'n8n-workflow';

import { isObject, numberAt, objectAt, text } from '../shared/adapterKit';
import { completedWithoutVideo, normalizeJob, toIsoTime } from '../shared/job';
import type { NormalizedJob } from '../shared/job';
import { JOGGAI_STATUS_WORDS } from '../JoggAi/joggAi.adapter';

/**
 * ASSUMPTION (vendors.md, JoggAI webhook deliveries) — everything the trigger assumes about
 * JoggAI lip-sync events, in this one file:
 * JoggAI lists no lip-sync webhook event today. A future `generated_lip_sync_video_success` /
 * `generated_lip_sync_video_failed` is assumed to carry `data.task_id`, the video at
 * `data.result_url` or `data.video_url` (or, shaped like the status answer, `data.data.result_url`),
 * `data.status` in the status endpoint's words, and `data.error.message` on failure.
 * Any event whose `data` has a `task_id` is read as a lip-sync job. Status words are the JoggAI
 * adapter's (JOGGAI_STATUS_WORDS), so the node and the trigger read them alike.
 */

/** Events are named `generated_<thing>_success|failed`: the suffix is the documented outcome. */
function outcomeOfEventName(event: string): 'success' | 'failed' | undefined {
	if (/_(success|succeeded|completed)$/i.test(event)) return 'success';
	if (/_(failed|failure|error)$/i.test(event)) return 'failed';
	return undefined;
}

function errorOf(data: IDataObject): NormalizedJob['error'] | undefined {
	const error = data.error;
	const message =
		(isObject(error) ? text(error.message) : text(error)) ?? text(data.error_message) ?? text(data.message);
	if (!message) return undefined;
	const code = isObject(error) ? (error.code as string | number | undefined) : undefined;
	return code === undefined ? { message } : { code, message };
}

/** The normalized job a lip-sync event describes, or undefined for any other event. */
export function lipSyncJobFromEvent(event: string, data: IDataObject | undefined): NormalizedJob | undefined {
	const taskId = data ? text(data.task_id) : undefined;
	if (!data || !taskId) return undefined;
	const nested = objectAt(data.data) ?? {};
	const reportedStatus = text(data.status);
	// The event name decides the outcome when it has one; data.status stays visible as providerStatus.
	const word = outcomeOfEventName(event) ?? reportedStatus ?? '';
	const job = normalizeJob(
		'joggai',
		taskId,
		{
			providerStatus: word,
			videoUrl: text(data.result_url) ?? text(data.video_url) ?? text(nested.result_url),
			coverUrl: text(data.cover_url) ?? text(nested.cover_url),
			durationSeconds: numberAt(data.duration_seconds) ?? numberAt(nested.duration_seconds),
			createdAt: toIsoTime(data.created_at),
			completedAt: toIsoTime(data.completed_at),
			error: JOGGAI_STATUS_WORDS.failure.includes(word.toLowerCase()) ? errorOf(data) : undefined,
		},
		JOGGAI_STATUS_WORDS,
		data,
	);
	job.providerStatus = reportedStatus ?? word;
	// An event is the last word on its job (no later look follows), so success without a URL is final.
	return job.resultPending ? completedWithoutVideo(job) : job;
}
