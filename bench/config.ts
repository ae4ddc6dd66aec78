/**
 * Benchmark sizes. `BENCH_QUICK=1` is a ~3-minute smoke run with everything scaled down; single
 * sizes can be overridden (BENCH_N, BENCH_REPEATS, …). Every loop in the bench is bounded by
 * these counts and by time limits derived from them.
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
	/** Repeats of the batch measurements (medians are reported). */
	repeats: num('BENCH_REPEATS', 3, 1),
	/** Job duration D and its ± jitter (ms), poll interval (s). */
	jobMs: num('BENCH_JOB_MS', 20_000, 8_000),
	jitterMs: num('BENCH_JITTER_MS', 2_000, 800),
	pollSeconds: num('BENCH_POLL_S', 5, 2),
	/** Items of the main batch (ours and the hand-built n8n loop). */
	batchItems: num('BENCH_N', 200, 40),
	/** Items of the one-after-another baseline (it scales linearly: ~N·(D+interval)). */
	sequentialItems: num('BENCH_SEQ_N', 6, 2),
	/** Items of the Vozo batch (10 running jobs at most). */
	vozoItems: num('BENCH_VOZO_N', 50, 20),
	/** Runs of each streamed-download memory case (single runs swing by ±10 MiB with V8's gc timing). */
	memoryRepeats: num('BENCH_MEMORY_REPEATS', 3, 1),
	/** Result sizes of the memory measurement (bytes). */
	memorySizes: quick ? [64 * 1024 ** 2, 256 * 1024 ** 2] : [256 * 1024 ** 2, 1024 ** 3],
	/** Items of the CPU measurement, jobs in flight of the heap measurement. */
	cpuItems: num('BENCH_CPU_N', 500, 100),
	heapJobs: num('BENCH_HEAP_JOBS', 1000, 1000),
	/** Trigger throughput: concurrent senders, seconds per round, rounds per target. */
	triggerConcurrency: num('BENCH_TRIGGER_CONCURRENCY', 16, 16),
	triggerSeconds: num('BENCH_TRIGGER_S', 10, 3),
	triggerRounds: num('BENCH_TRIGGER_ROUNDS', 3, 3),
	/** Skip the parts that need a real n8n (BENCH_SKIP_N8N=1), e.g. while n8n is not installed. */
	skipN8n: process.env.BENCH_SKIP_N8N === '1',
	/** Comma list of measurements to run (batch,memory,cpu,n8n); default all. */
	only: (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean),
};

export type BenchConfig = typeof config;

export const wants = (part: string): boolean => config.only.length === 0 || config.only.includes(part);
