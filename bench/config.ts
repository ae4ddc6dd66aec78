/**
 * Benchmark sizes. `BENCH_QUICK=1` is a smoke run of under 4 minutes with everything scaled
 * down; single sizes can be overridden (BENCH_N, BENCH_REPEATS, …; bench/README.md lists them).
 * Every loop in the bench is bounded by these counts and by time limits derived from them.
 */
const quick = process.env.BENCH_QUICK === '1';
const num = (name: string, full: number, small: number): number => {
	const raw = process.env[name];
	const value = raw === undefined || raw === '' ? (quick ? small : full) : Number(raw);
	if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
	return value;
};

export const config = {
	quick,
	/** Repeats of the timed real-n8n batches (medians are reported). */
	repeats: num('BENCH_REPEATS', 3, 1),
	/** Repeats of the batch part's runs on a vendor that paces creates (sync.so: 200 creates take over 3 minutes a run). */
	pacedRepeats: num('BENCH_PACED_REPEATS', 1, 1),
	/** Batch (ours vs the hand-built loop): items, job duration D and its ± jitter (ms), poll interval (s). */
	batchItems: num('BENCH_N', 200, 40),
	jobMs: num('BENCH_JOB_MS', 20_000, 8_000),
	jitterMs: num('BENCH_JITTER_MS', 2_000, 800),
	pollSeconds: num('BENCH_POLL_S', 5, 2),
	/** The batch with spread-out durations: D ± this uniform jitter (ms). */
	spreadJitterMs: num('BENCH_SPREAD_JITTER_MS', 15_000, 6_000),
	/** Modellix batch (100 requests a minute, status reads included): items. */
	modellixItems: num('BENCH_MODELLIX_N', 200, 20),
	/** Pipeline scale: items in one execution, their D (ms), repeats. */
	pipelineItems: num('BENCH_PIPELINE_N', 1000, 200),
	pipelineJobMs: num('BENCH_PIPELINE_JOB_MS', 30_000, 10_000),
	pipelineRepeats: num('BENCH_PIPELINE_REPEATS', 3, 1),
	/** Issue 9: two overlapping executions of this many JoggAI items each, one key; their D (ms). */
	pacingItems: num('BENCH_PACING_N', 100, 12),
	pacingJobMs: num('BENCH_PACING_JOB_MS', 5_000, 3_000),
	/** Queue mode: executions started together, items each, Vozo D (ms), poll interval (s). */
	queueExecutions: num('BENCH_QUEUE_EXECUTIONS', 4, 4),
	queueItems: num('BENCH_QUEUE_N', 100, 20),
	queueJobMs: num('BENCH_QUEUE_JOB_MS', 6_000, 3_000),
	queuePollSeconds: num('BENCH_QUEUE_POLL_S', 2, 1),
	/** In-process baselines: one item at a time, and the Vozo 10-job batch. */
	sequentialItems: num('BENCH_SEQ_N', 6, 2),
	vozoItems: num('BENCH_VOZO_N', 50, 20),
	/** Runs of each streamed-download memory case (single runs swing by ±10 MiB with V8's gc timing). */
	memoryRepeats: num('BENCH_MEMORY_REPEATS', 3, 1),
	/** Result sizes of the memory measurement (bytes). */
	memorySizes: quick ? [64 * 1024 ** 2, 256 * 1024 ** 2] : [256 * 1024 ** 2, 1024 ** 3],
	/** Items of the CPU measurement, jobs in flight of the heap measurement. */
	cpuItems: num('BENCH_CPU_N', 500, 100),
	/** Rounds of the CPU part: each runs ours, the request-helper node and the no-op node on the same number of items; medians reported. */
	cpuRounds: num('BENCH_CPU_ROUNDS', 5, 2),
	heapJobs: num('BENCH_HEAP_JOBS', 1000, 300),
	/** Trigger throughput: concurrent senders, seconds per round, rounds per target. */
	triggerConcurrency: num('BENCH_TRIGGER_CONCURRENCY', 16, 16),
	triggerSeconds: num('BENCH_TRIGGER_S', 10, 3),
	triggerRounds: num('BENCH_TRIGGER_ROUNDS', 3, 1),
	/** Trigger bursts: seconds of the 20-a-second burst (the 50-in-1-s burst is fixed). */
	burstSeconds: num('BENCH_BURST_S', 60, 10),
	/** Trigger bursts: the settings to measure (comma list; default all, bench/triggerBursts.ts). */
	burstSettings: (process.env.BENCH_BURST_SETTINGS ?? '').split(',').filter(Boolean),
	/** Skip the parts that need a real n8n (BENCH_SKIP_N8N=1), e.g. while n8n is not installed. */
	skipN8n: process.env.BENCH_SKIP_N8N === '1',
	/** Comma list of parts to run (bench/README.md); default all. */
	only: (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean),
};

export type BenchConfig = typeof config;

export const wants = (part: string): boolean => config.only.length === 0 || config.only.includes(part);
