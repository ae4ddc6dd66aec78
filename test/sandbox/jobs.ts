/** The job clock: jobs move queued → processing → succeeded|failed on timers. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { InputFileRecord } from './inputFiles';
import { forVendor, type RuntimeOptions, type Vendor } from './options';

export type JobPhase = 'queued' | 'processing' | 'succeeded' | 'failed';

export interface JobFailure {
	code: string | number;
	message: string;
}

interface ResultToken {
	token: string;
	mintedAt: number;
	/** 1 for the first URL handed out for this job, 2 for the next… */
	index: number;
}

export interface SandboxJob {
	id: string;
	vendor: Vendor;
	/** The API key that created it (jobs are per account). */
	key: string;
	phase: JobPhase;
	/** The create request body. */
	input: unknown;
	inputUrls: string[];
	createdAt: number;
	startedAt?: number;
	completedAt?: number;
	durationMs: number;
	/** Decided at create; applied when the job ends. */
	failure?: JobFailure;
	neverFinish: boolean;
	callbackUrl?: string;
	/** Vendor-specific extras (model ids, etc.). */
	meta: Record<string, unknown>;
	tokens: ResultToken[];
	/** The input files the vendor fetched (or did not): inputFiles.ts. */
	inputFiles?: InputFileRecord[];
}

export interface JobStats {
	created: number;
	/** queued + processing now. */
	active: number;
	maxActive: number;
	/** processing now. */
	running: number;
	maxRunning: number;
	succeeded: number;
	failed: number;
}

export interface NewJob {
	vendor: Vendor;
	key: string;
	input: unknown;
	inputUrls: string[];
	failure?: JobFailure;
	neverFinish?: boolean;
	callbackUrl?: string;
	meta?: Record<string, unknown>;
	id?: string;
}

export type TransitionListener = (job: SandboxJob, from: JobPhase | null) => void;

const emptyStats = (): JobStats => ({
	created: 0,
	active: 0,
	maxActive: 0,
	running: 0,
	maxRunning: 0,
	succeeded: 0,
	failed: 0,
});

const MAX_TOKENS_KEPT = 20;

export class JobClock {
	private jobs = new Map<string, SandboxJob>();
	private timers = new Map<string, NodeJS.Timeout[]>();
	private statsByVendor = new Map<Vendor, JobStats>();
	private listeners: TransitionListener[] = [];
	/** Jobs that may not end before their input files are fetched. */
	private holds = new Map<string, Promise<unknown>>();

	constructor(private readonly options: () => RuntimeOptions) {}

	onTransition(listener: TransitionListener): void {
		this.listeners.push(listener);
	}

	create(spec: NewJob): SandboxJob {
		const options = this.options();
		const base = forVendor(options.jobDurationMs, spec.vendor, 20000);
		const jitter = forVendor(options.jitterMs, spec.vendor, 0);
		const durationMs = Math.max(0, Math.round(base + (Math.random() * 2 - 1) * jitter));
		const job: SandboxJob = {
			id: spec.id ?? randomUUID(),
			vendor: spec.vendor,
			key: spec.key,
			phase: 'queued',
			input: spec.input,
			inputUrls: spec.inputUrls,
			createdAt: Date.now(),
			durationMs,
			failure: spec.failure,
			neverFinish: spec.neverFinish ?? false,
			callbackUrl: spec.callbackUrl,
			meta: spec.meta ?? {},
			tokens: [],
		};
		this.jobs.set(this.mapKey(job.vendor, job.id), job);
		const stats = this.stats(job.vendor);
		stats.created += 1;
		stats.active += 1;
		stats.maxActive = Math.max(stats.maxActive, stats.active);
		this.emit(job, null);

		const queuedMs = Math.round(durationMs * Math.min(1, Math.max(0, options.queuedFraction)));
		const timers = [setTimeout(() => this.startProcessing(job), queuedMs)];
		if (!job.neverFinish) timers.push(setTimeout(() => this.finishWhenReady(job), durationMs));
		for (const timer of timers) timer.unref();
		this.timers.set(this.mapKey(job.vendor, job.id), timers);
		return job;
	}

	/** Ends a job now: with its planned outcome, or the one given. */
	finish(vendor: Vendor, id: string, outcome?: 'succeeded' | 'failed', failure?: JobFailure): SandboxJob {
		const job = this.get(vendor, id);
		if (!job) throw new Error(`no ${vendor} job ${id}`);
		if (job.phase === 'succeeded' || job.phase === 'failed') return job;
		if (job.phase === 'queued') this.startProcessing(job);
		this.cancelTimers(job);
		const phase = outcome ?? (job.failure ? 'failed' : 'succeeded');
		if (phase === 'failed' && !job.failure) job.failure = failure ?? { code: 'failed', message: 'job failed' };
		if (phase === 'succeeded') job.failure = undefined;
		const stats = this.stats(vendor);
		stats.running -= 1;
		stats.active -= 1;
		stats[phase] += 1;
		job.completedAt = Date.now();
		job.phase = phase;
		this.emit(job, 'processing');
		return job;
	}

	/** The job's planned end waits for `work` (its input files being fetched). */
	holdUntil(job: SandboxJob, work: Promise<unknown>): void {
		const key = this.mapKey(job.vendor, job.id);
		const held = work.catch(() => undefined).finally(() => {
			if (this.holds.get(key) === held) this.holds.delete(key);
		});
		this.holds.set(key, held);
	}

	private finishWhenReady(job: SandboxJob): void {
		const held = this.holds.get(this.mapKey(job.vendor, job.id));
		if (!held) return void this.finish(job.vendor, job.id);
		void held.then(() => {
			if (this.jobs.get(this.mapKey(job.vendor, job.id)) === job) this.finish(job.vendor, job.id);
		});
	}

	get(vendor: Vendor, id: string): SandboxJob | undefined {
		return this.jobs.get(this.mapKey(vendor, id));
	}

	list(vendor?: Vendor): SandboxJob[] {
		return [...this.jobs.values()].filter((job) => !vendor || job.vendor === vendor);
	}

	/** Live stats object of a vendor (copy it before keeping it). */
	stats(vendor: Vendor): JobStats {
		let stats = this.statsByVendor.get(vendor);
		if (!stats) this.statsByVendor.set(vendor, (stats = emptyStats()));
		return stats;
	}

	/** queued + processing jobs of one account. */
	activeCount(vendor: Vendor, key: string): number {
		let count = 0;
		for (const job of this.jobs.values()) {
			if (job.vendor === vendor && job.key === key && (job.phase === 'queued' || job.phase === 'processing')) count++;
		}
		return count;
	}

	/** A fresh download token for a succeeded job; each status call hands out a new one. */
	mintToken(job: SandboxJob): string {
		const index = (job.tokens.at(-1)?.index ?? 0) + 1;
		const token = randomBytes(12).toString('hex');
		job.tokens.push({ token, mintedAt: Date.now(), index });
		if (job.tokens.length > MAX_TOKENS_KEPT) job.tokens.shift();
		return token;
	}

	findToken(job: SandboxJob, token: string): ResultToken | undefined {
		return job.tokens.find((t) => t.token === token);
	}

	clear(): void {
		for (const timers of this.timers.values()) for (const timer of timers) clearTimeout(timer);
		this.timers.clear();
		this.holds.clear();
		this.jobs.clear();
		this.statsByVendor.clear();
	}

	private startProcessing(job: SandboxJob): void {
		if (job.phase !== 'queued') return;
		job.phase = 'processing';
		job.startedAt = Date.now();
		const stats = this.stats(job.vendor);
		stats.running += 1;
		stats.maxRunning = Math.max(stats.maxRunning, stats.running);
		this.emit(job, 'queued');
	}

	private cancelTimers(job: SandboxJob): void {
		const key = this.mapKey(job.vendor, job.id);
		for (const timer of this.timers.get(key) ?? []) clearTimeout(timer);
		this.timers.delete(key);
	}

	private emit(job: SandboxJob, from: JobPhase | null): void {
		for (const listener of this.listeners) {
			try {
				listener(job, from);
			} catch (error) {
				// A listener bug must not stop the clock; it shows up in the test's own assertions.
				process.emitWarning(`sandbox job listener failed: ${String(error)}`);
			}
		}
	}

	private mapKey(vendor: Vendor, id: string): string {
		return `${vendor}:${id}`;
	}
}
