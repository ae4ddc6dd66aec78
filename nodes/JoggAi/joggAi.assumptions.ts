import type { VendorErrorKind } from '../shared/adapter';
import type { StatusVocabulary } from '../shared/job';

/**
 * What the JoggAI adapter reads beyond JoggAI's documents (docs/vendors.md, JoggAI), in one
 * place so it is easy to correct once it is verified against the live API. The webhook
 * assumptions live with the Lip Sync Trigger.
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

/** ASSUMPTION: an undocumented code in the 5xx range is JoggAI's own trouble, like its 50000. */
export const kindForJoggAiCode = (code: string): VendorErrorKind | undefined =>
	/^5\d\d$/.test(code) ? 'server' : undefined;
