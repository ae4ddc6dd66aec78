import type { IDataObject } from 'n8n-workflow';

import { answerQuote } from './adapterKit/values';

/** A vendor's id as its adapter declares it; the engine names no vendor. */
export type ProviderId = string;

export type JobStatus = 'queued' | 'processing' | 'succeeded' | 'failed';

/** What a vendor status looks like, before the shared status rule is applied. */
export interface StatusReading {
	/** The vendor's own status string, untouched. */
	providerStatus: string;
	videoUrl?: string;
	coverUrl?: string;
	durationSeconds?: number;
	createdAt?: string;
	completedAt?: string;
	expiresAt?: string;
	error?: { code?: string | number; message: string };
}

/** The one output shape every vendor node produces (docs/vendors.md, "Normalized job"). */
export interface NormalizedJob extends IDataObject, StatusReading {
	provider: ProviderId;
	jobId: string;
	status: JobStatus;
	/** The vendor reports success but has not given the video URL yet (status stays `processing`). */
	resultPending?: boolean;
	/** The vendor's own response body. */
	raw: IDataObject;
}

/** The lowercase status words each vendor uses, sorted into the rule's three families. */
export interface StatusVocabulary {
	success: string[];
	failure: string[];
	queued: string[];
}

export const isTerminal = (status: JobStatus): boolean =>
	status === 'succeeded' || status === 'failed';

/**
 * The status rule shared by every vendor: success-like with a URL → succeeded; success-like
 * without one → processing with `resultPending` (failed only after a few more looks, see
 * completedWithoutVideo); failure-like → failed; pending-like → queued; anything else →
 * processing, so an unknown status string never crashes a wait.
 */
export function normalizeJob(
	provider: ProviderId,
	jobId: string,
	reading: StatusReading,
	vocabulary: StatusVocabulary,
	raw: IDataObject,
): NormalizedJob {
	const word = String(reading.providerStatus ?? '').trim().toLowerCase();
	const { providerStatus: _ignored, ...details } = reading;
	const job: NormalizedJob = {
		provider,
		jobId,
		status: 'processing',
		providerStatus: String(reading.providerStatus ?? ''),
		raw,
	};
	for (const [key, value] of Object.entries(details)) {
		if (value !== undefined && value !== null && value !== '') job[key] = value;
	}

	if (vocabulary.success.includes(word)) {
		if (job.videoUrl) {
			job.status = 'succeeded';
			delete job.error;
		} else {
			// Vendors may report success a moment before the result URL is filled in: the job is
			// paid and likely fine, so the waiting engine looks again (a few times) before it
			// calls it failed (see completedWithoutVideo).
			job.resultPending = true;
		}
	} else if (vocabulary.failure.includes(word)) {
		job.status = 'failed';
		job.error = job.error ?? { message: `The job ended with status "${job.providerStatus}"` };
	} else if (vocabulary.queued.includes(word)) {
		job.status = 'queued';
	}
	return job;
}

/** Vendors report times as unix seconds or ISO strings; the output is always ISO. */
export function toIsoTime(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number' && Number.isFinite(value)) {
		const ms = value > 1e12 ? value : value * 1000;
		return new Date(ms).toISOString();
	}
	if (typeof value === 'string') {
		if (/^\d+(\.\d+)?$/.test(value)) return toIsoTime(Number(value));
		const parsed = Date.parse(value);
		return Number.isNaN(parsed) ? value : new Date(parsed).toISOString();
	}
	return undefined;
}

/** What a job that kept reporting success without a video URL finally becomes. */
export function completedWithoutVideo(job: NormalizedJob): NormalizedJob {
	const { resultPending: _pending, ...rest } = job;
	// The answer goes into the message: a result under a name we do not read is then one paste away.
	return { ...rest, status: 'failed', error: { message: `The job completed without a video URL. ${answerQuote(job.raw)}` } };
}
