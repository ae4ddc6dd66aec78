import type { IDataObject } from 'n8n-workflow';

/** A vendor's id as its adapter declares it (`vozo`, `joggai`, …); the engine names no vendor. */
export type ProviderId = string;

export type JobStatus = 'queued' | 'processing' | 'succeeded' | 'failed';

/** The one output shape every vendor node produces (docs/vendors.md, "Normalized job"). */
export interface NormalizedJob extends IDataObject {
	provider: ProviderId;
	jobId: string;
	status: JobStatus;
	/** The vendor's own status string, untouched. */
	providerStatus: string;
	videoUrl?: string;
	coverUrl?: string;
	durationSeconds?: number;
	createdAt?: string;
	completedAt?: string;
	expiresAt?: string;
	error?: { code?: string | number; message: string };
	/** The vendor's own response body. */
	raw: IDataObject;
}

/** What a vendor status looks like, before the shared status rule is applied. */
export interface StatusReading {
	providerStatus: string;
	videoUrl?: string;
	coverUrl?: string;
	durationSeconds?: number;
	createdAt?: string;
	completedAt?: string;
	expiresAt?: string;
	error?: { code?: string | number; message: string };
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
 * without one → failed; failure-like → failed; pending-like → queued; anything else →
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
			job.status = 'failed';
			job.error = { message: 'The job completed without a video URL' };
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
