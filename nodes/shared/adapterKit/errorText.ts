import type { IDataObject } from 'n8n-workflow';

import { codeAt, compact, firstSet, isObject, text } from './values';

/** Where a vendor's words hide in an error body, in the order they are tried. */
const MESSAGE_FIELDS = ['message', 'msg', 'error', 'error_message', 'detail', 'body'] as const;

/** The vendor's own words from an error body, whatever field it uses. */
export function errorMessageFrom(body: IDataObject): string | undefined {
	for (const field of MESSAGE_FIELDS) {
		const value = body[field];
		const message = isObject(value) ? text(value.message) : text(value);
		if (message) return message;
	}
	return undefined;
}

/** The fields of a failed job that may explain it, each list in the order it is tried. */
export interface JobErrorFields {
	code: readonly string[];
	/** A field may hold the words, or an object `{message, code}`. */
	message: readonly string[];
}

export type JobError = { code?: string | number; message: string };

/**
 * Why a job failed, from its status record. `explain` turns a documented code into words when
 * the vendor sent a code without any. Undefined when the record says nothing.
 */
export function readJobError(
	record: IDataObject,
	fields: JobErrorFields,
	explain?: (code: string) => string | undefined,
): JobError | undefined {
	let message: string | undefined;
	let nestedCode: string | number | undefined;
	for (const field of fields.message) {
		const value = record[field];
		message = isObject(value) ? text(value.message) : text(value);
		if (isObject(value)) nestedCode = codeAt(value.code);
		if (message) break;
	}
	const code = codeAt(firstSet(record, fields.code)) ?? nestedCode;
	if (code === undefined && message === undefined) return undefined;
	const words = message ?? (code !== undefined ? explain?.(String(code)) : undefined);
	return compact({ code, message: words ?? `The job failed with code ${code}` });
}
