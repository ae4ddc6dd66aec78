import type { JobErrorFields } from '../shared/adapterKit';

/**
 * Every Modellix behaviour that is NOT documented (docs/vendors.md, "ASSUMPTION"), in one place
 * so it is easy to correct once it is verified against the live API.
 */

/**
 * ASSUMPTION: the error text of a failed task is undocumented: `data.error` (a string or
 * `{message, code}`), then `data.error_message`, then `data.message`; a code in `error.code` or
 * `data.error_code`.
 */
export const MODELLIX_JOB_ERROR_FIELDS: JobErrorFields = {
	code: ['error_code'],
	message: ['error', 'error_message', 'message'],
};

/** ASSUMPTION: timestamps on a task are undocumented; these names are read when present. */
export const MODELLIX_CREATED_AT_FIELDS = ['created_at', 'create_time', 'submitted_at'] as const;
export const MODELLIX_COMPLETED_AT_FIELDS = ['completed_at', 'finished_at', 'finish_time'] as const;

/**
 * ASSUMPTION: Modellix documents a video resource's `type`, `url`, `width`, `height` and `format`
 * only. A cover URL (on the video resource, on `result`, or an image resource beside the video)
 * and a `duration` on the video resource are read when present.
 */
export const MODELLIX_COVER_URL_FIELD = 'cover_url';
export const MODELLIX_DURATION_FIELD = 'duration';

/**
 * ASSUMPTION: the node once offered these models directly and sent them Vidu's fields
 * (`video_url`, `audio_url`, `reference_face_image_url`). Modellix lists them, but their
 * parameters are not documented in docs/vendors.md, so new workflows reach them through
 * "Other Model" with their own request body; workflows saved with these values keep sending
 * Vidu's fields, as they always did.
 */
export const MODELLIX_LEGACY_MODEL_SLUGS: readonly string[] = ['pixverse/lipsync', 'skyreels/sky-lipsync'];

/**
 * ASSUMPTION: Modellix fetches `video_url`, `audio_url` and `reference_face_image_url` itself and
 * takes the common types below (it documents none); a binary of another type is refused before
 * anything is sent.
 */
export const MODELLIX_FETCHED_VIDEO = ['mp4', 'mov', 'webm'] as const;
export const MODELLIX_FETCHED_AUDIO = ['mp3', 'wav', 'm4a', 'aac'] as const;
export const MODELLIX_FETCHED_IMAGE = ['jpg', 'jpeg', 'png', 'webp'] as const;

/** ASSUMPTION: a task waits at most 60 minutes before Modellix fetches its inputs (undocumented). */
export const MODELLIX_QUEUE_MINUTES = 60;
