import type { IDataObject } from 'n8n-workflow';

import { isObject, text } from '../shared/adapterKit';

/**
 * Every Modellix behaviour that is NOT documented (vendors.md, "ASSUMPTION"), in one place so it
 * is easy to correct once it is verified against the live API.
 */

/**
 * The error text of a failed task is undocumented: `data.error` (a string or `{message, code}`),
 * then `data.error_message`, then the envelope's `message`.
 */
export function modellixTaskError(
	data: IDataObject,
	envelope: IDataObject,
): { code?: string | number; message: string } | undefined {
	const error = data.error;
	const code = isObject(error) ? error.code : (data.error_code ?? undefined);
	const message =
		(isObject(error) ? text(error.message) : text(error)) ??
		text(data.error_message) ??
		text(data.message) ??
		(envelope.code !== 0 ? text(envelope.message) : undefined);
	if (!message) return undefined;
	return typeof code === 'string' || typeof code === 'number' ? { code, message } : { message };
}

/** Timestamps on a task are undocumented; these names are read when present. */
export const MODELLIX_CREATED_AT_FIELDS = ['created_at', 'create_time', 'submitted_at'] as const;
export const MODELLIX_COMPLETED_AT_FIELDS = ['completed_at', 'finished_at', 'finish_time'] as const;
