import type { IDataObject } from 'n8n-workflow';

import { normalizeJob, type NormalizedJob, type ProviderId, type StatusReading, type StatusVocabulary } from '../job';
import { readJobError, type JobErrorFields } from './errorText';
import { asObject, objectAt, text, unexpectedAnswer } from './values';

/**
 * The job record inside a vendor answer. Envelope vendors put it under `data`; others answer
 * with the bare record, and a gateway may still wrap it: the top level is the record when it
 * carries any of the record's own fields, else `data` when that is an object.
 */
export function readRecord(body: unknown, recordFields: readonly string[]): IDataObject {
	const top = asObject(body);
	const data = objectAt(top.data);
	if (!data || recordFields.some((field) => top[field] !== undefined)) return top;
	return data;
}

/** The vendor's status word exactly as sent (never lowercased: the engine reads it raw). */
const statusWordOf = (record: IDataObject, field = 'status'): string =>
	record[field] === undefined || record[field] === null ? '' : String(record[field]);

/** Whether a status word is one of the vocabulary's failure words (compared lowercase). */
const isFailureWord = (vocabulary: StatusVocabulary, word: string): boolean =>
	vocabulary.failure.includes(word.trim().toLowerCase());

/** How a vendor's status answer is laid out, for readJobStatus. */
export interface StatusShape {
	/** Fields of the record that mark it as a job record (see readRecord). */
	recordFields: readonly string[];
	vocabulary: StatusVocabulary;
	/** Where a failed job's code and words sit. */
	errorFields: JobErrorFields;
	/** Plain words for a documented failure code the vendor sent without any. */
	explainCode?: (code: string) => string | undefined;
}

/**
 * A status answer read the one shared way: the job record, its status word, the failure (read only
 * when the word is a failure word), what `details` reads from the record (the vendor's own
 * fields), then the shared status rule (normalizeJob).
 */
export function readJobStatus(
	provider: ProviderId,
	jobId: string,
	body: unknown,
	shape: StatusShape,
	details: (record: IDataObject) => Omit<StatusReading, 'providerStatus' | 'error'>,
): NormalizedJob {
	const record = readRecord(body, shape.recordFields);
	const word = statusWordOf(record);
	const error = isFailureWord(shape.vocabulary, word) ? readJobError(record, shape.errorFields, shape.explainCode) : undefined;
	return normalizeJob(provider, jobId, { providerStatus: word, ...details(record), error }, shape.vocabulary, asObject(body));
}

export interface CreatedJobShape {
	displayName: string;
	/** Fields of the record that may hold the job id, the documented one first. */
	idFields: readonly string[];
	/** Fields of the record that mark it as a job record (see readRecord). */
	recordFields: readonly string[];
}

/**
 * The job id of a create answer, and its first status when the answer carries one. Throws when
 * there is no id: the vendor accepted a paid request, so the engine must say a job may exist.
 */
export function readCreatedJob(
	body: unknown,
	shape: CreatedJobShape,
	parseStatus: (jobId: string, body: unknown) => NormalizedJob,
): { jobId: string; job?: NormalizedJob } {
	const record = readRecord(body, shape.recordFields);
	const jobId = shape.idFields.map((field) => text(record[field])).find((id) => id !== undefined);
	if (!jobId) {
		throw unexpectedAnswer(`${shape.displayName} accepted the request but its answer has no ${shape.idFields[0]}`, body);
	}
	return record.status !== undefined ? { jobId, job: parseStatus(jobId, body) } : { jobId };
}
