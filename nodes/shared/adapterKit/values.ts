import { OperationalError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

/** Tolerant readers for loosely typed vendor bodies: a field of the wrong type reads as absent. */

export const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body as an object: JSON text is parsed, anything else becomes `{}` (or `{ body }`). */
export function asObject(body: unknown): IDataObject {
	if (isObject(body)) return body;
	if (typeof body === 'string' && body.trim().startsWith('{')) {
		try {
			const parsed: unknown = JSON.parse(body);
			if (isObject(parsed)) return parsed;
		} catch {
			return { body };
		}
	}
	if (body === undefined || body === null || body === '') return {};
	return { body: body as IDataObject['body'] };
}

export const objectAt = (value: unknown): IDataObject | undefined =>
	isObject(value) ? value : undefined;

/** A non-empty string (numbers are converted), else undefined. */
export function text(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim() === '' ? undefined : value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

export function numberAt(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
		return Number(value);
	}
	return undefined;
}

/** A code as the vendor sent it: a string or a number, never anything else. */
export function codeAt(value: unknown): string | number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	return undefined;
}

/** The value of the first field that is set (not undefined, null or ''). */
export function firstSet(record: IDataObject, fields: readonly string[]): unknown {
	for (const field of fields) {
		const value = record[field];
		if (value !== undefined && value !== null && value !== '') return value;
	}
	return undefined;
}

/** Drops undefined members so results compare and serialize cleanly. */
export function compact<T extends object>(value: T): T {
	for (const key of Object.keys(value) as Array<keyof T>) {
		if (value[key] === undefined) delete value[key];
	}
	return value;
}

/**
 * An answer that breaks the vendor's documented shape (e.g. a create answer without a job id).
 * Adapters have no node at hand, so this is a plain OperationalError: the engine wraps it into
 * a NodeApiError/NodeOperationError with the item index (it wraps every adapter throw).
 */
export function unexpectedAnswer(message: string, body: unknown): OperationalError {
	return new OperationalError(`${message}. ${answerQuote(body)}`, { extra: { body: asObject(body) } });
}

const QUOTE_LIMIT = 600;

/**
 * The vendor's answer as text, trimmed, for an error the user can report in one paste (the
 * engine scrubs credential values from every message it shows).
 */
export function answerQuote(body: unknown): string {
	let textOf: string;
	try {
		textOf = typeof body === 'string' ? body : (JSON.stringify(body) ?? String(body));
	} catch {
		textOf = String(body);
	}
	const trimmed = textOf.length > QUOTE_LIMIT ? `${textOf.slice(0, QUOTE_LIMIT)}… (${textOf.length} characters)` : textOf;
	return `The vendor answered: ${trimmed}`;
}
