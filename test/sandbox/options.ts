/** Sandbox options: what startSandbox accepts and what setOptions may change at run time. */
import type { RegisteredProvider } from '../../nodes/registry';
import type { Variants } from './variants';
import type { SyncSoPlan } from './vendors/syncsoPlans';

/** A vendor the sandbox fakes: the provider ids of nodes/registry.ts, no list of its own. */
export type Vendor = RegisteredProvider;

/** The demo key of each vendor: the type checker asks for one per registered vendor. */
export const DEMO_KEYS: Readonly<Record<Vendor, string>> = {
	vozo: 'sandbox-vozo-key',
	personate: 'sandbox-personate-key',
	modellix: 'sandbox-modellix-key',
	joggai: 'sandbox-joggai-key',
	syncso: 'sandbox-syncso-key',
};
export const VENDORS: readonly Vendor[] = Object.keys(DEMO_KEYS) as Vendor[];

export type PerVendor<T> = T | Partial<Record<Vendor, T>>;

export interface RuntimeOptions {
	/** How long a job takes from create to its end (default 20000). */
	jobDurationMs: PerVendor<number>;
	/** Uniform ± jitter added to each job's duration (default 0). */
	jitterMs: PerVendor<number>;
	/** Share of the duration a job spends queued before processing (default 0.25). */
	queuedFraction: number;
	/** Probability 0..1 that a job fails (default 0). */
	failureRate: PerVendor<number>;
	/** An input URL containing this fails the job (`fail-<code>` picks the code); null: off. */
	failOnUrlContaining: string | null;
	extraKeys: Partial<Record<Vendor, string[]>>;
	rateWindowMs: number;
	vozoMaxActiveJobs: number;
	joggaiPostsPerWindow: number;
	modellixRequestsPerWindow: number;
	/** sync.so per key and window: creates, asset upload URLs, every other request. */
	syncsoCreatesPerWindow: number;
	syncsoUploadsPerWindow: number;
	syncsoRequestsPerWindow: number;
	/**
	 * sync.so's plan of every key (`hobbyist` 1, `creator` 3, `growth` 6, `scale` 15 generations at
	 * once, or an Enterprise number), and of single keys in `syncsoKeyPlans` (vendors/syncsoPlans.ts).
	 */
	syncsoPlan: SyncSoPlan;
	syncsoKeyPlans: Record<string, SyncSoPlan>;
	/**
	 * What List Generations does with an id the key's organization has no generation of
	 * (undocumented, vendors/syncsoList.ts): `leftOut` of the answer (the guess the node is built
	 * on), or the whole read `refused` 404 as a single read of that id is.
	 */
	syncsoListUnknownIds: 'leftOut' | 'refused';
	joggaiMaxEndpoints: number;
	joggaiQuota: number;
	/** Pad result videos to this many bytes; null serves the fixture as it is. */
	resultVideoBytes: number | null;
	webhookRetries: number;
	webhookRetryDelayMs: number;
	webhookTimeoutMs: number;
	webhookDuplicateProbability: number;
	webhookAlwaysDuplicate: boolean;
	/** `{ 'https://public.host': 'http://127.0.0.1:5678' }`: deliveries to the key go to the value. */
	webhookHostRewrite: Record<string, string>;
	callbackTimeoutMs: number;
	/**
	 * Where result videos and JoggAI's signed upload URLs point (default null: the sandbox's own
	 * address). Tests point it at another host (127.0.0.2) to play a vendor answering with a
	 * private address.
	 */
	fileUrlBase: string | null;
	/** How long a new job waits before the vendor fetches its input files (the vendor's queue). */
	inputFetchDelayMs: number;
	/** The request log keeps this many entries (oldest dropped); counts stay exact. */
	maxLogEntries: number;
	/** Answers the other way where a vendor's documents are silent (./variants.ts); all off by default. */
	variants: Partial<Variants>;
}

export interface SandboxOptions extends Partial<RuntimeOptions> {
	/** 0 (default) picks a free port. */
	port?: number;
	/** Default 127.0.0.1; the sandbox never listens beyond loopback unless told. */
	host?: string;
	/**
	 * The clock of the rate windows and of `jobs.postTimes` (default `Date.now`). A test that runs
	 * the engine on a virtual clock hands the same clock here, so both sides count the same minute.
	 */
	now?: () => number;
}

export const DEFAULT_OPTIONS: Readonly<RuntimeOptions> = {
	jobDurationMs: 20000,
	jitterMs: 0,
	queuedFraction: 0.25,
	failureRate: 0,
	failOnUrlContaining: 'fail',
	extraKeys: {},
	rateWindowMs: 60000,
	vozoMaxActiveJobs: 10,
	joggaiPostsPerWindow: 20,
	modellixRequestsPerWindow: 100,
	syncsoCreatesPerWindow: 60,
	syncsoUploadsPerWindow: 120,
	syncsoRequestsPerWindow: 600,
	syncsoPlan: 'scale',
	syncsoKeyPlans: {},
	syncsoListUnknownIds: 'leftOut',
	joggaiMaxEndpoints: 20,
	joggaiQuota: 1000,
	resultVideoBytes: null,
	webhookRetries: 3,
	webhookRetryDelayMs: 5000,
	webhookTimeoutMs: 5000,
	webhookDuplicateProbability: 0,
	webhookAlwaysDuplicate: false,
	webhookHostRewrite: {},
	callbackTimeoutMs: 5000,
	fileUrlBase: null,
	inputFetchDelayMs: 0,
	maxLogEntries: 100000,
	variants: {},
};

const RUNTIME_KEYS = Object.keys(DEFAULT_OPTIONS) as Array<keyof RuntimeOptions>;

/** Keeps only known runtime keys, so a stray `port` or typo in setOptions is ignored. */
export function pickRuntimeOptions(patch: Record<string, unknown>): Partial<RuntimeOptions> {
	const picked: Record<string, unknown> = {};
	for (const key of RUNTIME_KEYS) if (patch[key] !== undefined) picked[key] = patch[key];
	return picked as Partial<RuntimeOptions>;
}

export function forVendor<T>(value: PerVendor<T>, vendor: Vendor, fallback: T): T {
	if (value !== null && typeof value === 'object') {
		const own = (value as Partial<Record<Vendor, T>>)[vendor];
		return own === undefined ? fallback : own;
	}
	return value as T;
}
