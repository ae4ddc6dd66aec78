import type { IDataObject } from 'n8n-workflow';

import { isObject, text } from '../shared/adapterKit';
import { completedWithoutVideo, type NormalizedJob } from '../shared/job';
import { joggAiAdapter } from './joggAi.adapter';
import { JOGGAI_EVENT_JOB_FIELDS } from './joggAi.assumptions';

/**
 * What JoggAI documents about its webhook events (docs/vendors.md, "JoggAI", webhook
 * deliveries): `GET /v2/events` lists video events (`generated_video_*`,
 * `generated_avatar_video_*`, `generated_product_video_*`, `generated_template_video_*`,
 * `generated_translate_video_*`), avatar events (`create_avatar_*`, `generated_photo_avatar_*`,
 * `generated_product_avatar_*`), script events (`generated_script_*`), and now also
 * `generated_image_*` and `generated_motion_*`, each `_success` or `_failed`. **No lip-sync completion event is among them today.** What the trigger assumes
 * about a future one is in joggAi.assumptions.ts (`JOGGAI_EVENT_JOB_FIELDS`).
 */

/** Events are named `<thing>_success|failed`: the suffix is the documented outcome. */
function outcomeOfEventName(event: string): 'success' | 'failed' | undefined {
	if (/_(success|succeeded|completed)$/i.test(event)) return 'success';
	if (/_(failed|failure|error)$/i.test(event)) return 'failed';
	return undefined;
}

/** The normalized job a lip-sync event describes, or undefined for any other event. */
export function lipSyncJobFromEvent(event: string, data: IDataObject | undefined): NormalizedJob | undefined {
	const taskId = data ? text(data[JOGGAI_EVENT_JOB_FIELDS.jobId]) : undefined;
	if (!data || !taskId) return undefined;
	const reportedStatus = text(data.status);
	// The event name decides the outcome when it has one; data.status stays visible as providerStatus.
	const status = outcomeOfEventName(event) ?? reportedStatus ?? '';
	const message = data[JOGGAI_EVENT_JOB_FIELDS.errorMessage];
	const error = data.error ?? (text(message) ? { message } : undefined);
	// Wrapped like a status answer's envelope, so the adapter reads it exactly as it reads a poll.
	const job = joggAiAdapter.parseStatus(taskId, { code: 0, data: { ...data, status, ...(isObject(error) || text(error) ? { error } : {}) } });
	job.providerStatus = reportedStatus ?? status;
	job.raw = data;
	// An event is the last word on its job (no later look follows), so success without a URL is final.
	return job.resultPending ? completedWithoutVideo(job) : job;
}
