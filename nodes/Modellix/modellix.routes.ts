import { objectAt, readRecord, text } from '../shared/adapterKit';

/**
 * Where Modellix's create and status requests go, beyond the one documented route each.
 *
 * ASSUMPTION (create route): documented as `POST /api/v1/{provider}/{model}/async`; Modellix's
 * official CLI dropped the `/async` suffix in July 2026 ("runs a model without the removed async
 * path suffix"). The node sends the documented route and, when it is answered 404 (an unknown route
 * created nothing, so trying another is safe), the same request without `/async`.
 */
export const modellixCreatePaths = (modelSlug: string): string[] => [`/api/v1/${modelSlug}/async`, `/api/v1/${modelSlug}`];

/**
 * ASSUMPTION (status route): the create answer carries `get_result: {method, url}`, the URL of the
 * task's result. The node follows it when it is on the credential's base-URL origin (the key never
 * goes to another host; the transport checks), and falls back to the documented
 * `GET /api/v1/tasks/{task_id}` when it answers 404 or is elsewhere. Only jobs created by this
 * n8n server are known here; Get and Wait by job ID use the documented route.
 */
const MAX_REMEMBERED = 1000;
const resultUrls = new Map<string, string>();

export function rememberModellixResultUrl(jobId: string, createAnswer: unknown): void {
	const record = readRecord(createAnswer, ['task_id', 'status']);
	const getResult = objectAt(record.get_result);
	const url = text(getResult?.url);
	const method = text(getResult?.method)?.toUpperCase() ?? 'GET';
	if (!url || method !== 'GET' || !/^https?:\/\//i.test(url)) return;
	resultUrls.delete(jobId);
	resultUrls.set(jobId, url);
	if (resultUrls.size > MAX_REMEMBERED) resultUrls.delete(resultUrls.keys().next().value as string);
}

export const modellixResultUrlOf = (jobId: string): string | undefined => resultUrls.get(jobId);
