import type { VendorErrorKind } from '../shared/adapter';
import type { StatusVocabulary } from '../shared/job';

/**
 * What the JoggAI adapter reads beyond JoggAI's documents (docs/vendors.md, JoggAI), in one
 * place so it is easy to correct once it is verified against the live API.
 */

/** Documented: pending, processing, success, failed. ASSUMPTION: the others are tolerated. */
export const JOGGAI_STATUS_WORDS: StatusVocabulary = {
	success: ['success', 'succeeded', 'completed', 'done'],
	failure: ['failed', 'failure', 'error', 'canceled', 'cancelled'],
	queued: ['pending', 'queued', 'submitted'],
};

/**
 * Documented: the result sits in a second `data` (`data.data.result_url`). ASSUMPTION: a result
 * flat in the task record, or named `video_url`, is read too.
 */
export const JOGGAI_RESULT_URL_FIELDS = ['result_url', 'video_url'] as const;

/** ASSUMPTION: JoggAI documents `duration_seconds`; a result naming it `duration` is read too. */
export const JOGGAI_DURATION_FIELDS = ['duration_seconds', 'duration'] as const;

/**
 * ASSUMPTION — JoggAI documents no lip-sync webhook event today (joggAi.triggerEvents.ts lists
 * what it does document). The trigger assumes a future one looks like this: an event whose
 * `data` carries a `task_id` describes a lip-sync job, shaped like the status answer's `data`
 * (`status`, the video at `result_url` or `video_url`, possibly nested in a second `data`,
 * `error.message` or `error_message` on failure). Such events get a normalized `job` in the
 * output, read by the adapter's own status reading; every other event passes through as sent.
 */
export const JOGGAI_EVENT_JOB_FIELDS = { jobId: 'task_id', errorMessage: 'error_message' } as const;

/**
 * ASSUMPTION: an undocumented code in the 5xx range is JoggAI's own trouble, like its 50000:
 * JoggAI's codes have five digits (50000, 50001, …), an HTTP-style 500 is read the same way.
 */
export const kindForJoggAiCode = (code: string): VendorErrorKind | undefined =>
	/^5\d\d(\d\d)?$/.test(code) ? 'server' : undefined;

/**
 * JoggAI's rate-limit page says to wait `retryAfter` seconds, a field of the answer's body.
 * ASSUMPTION: where it sits — at the top of the envelope or under `data` — and that it is seconds
 * as a number or numeric text. It is honoured like an HTTP Retry-After header.
 */
export const JOGGAI_RETRY_AFTER_FIELD = 'retryAfter';
