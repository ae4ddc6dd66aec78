/**
 * Measurements 1 and 2 (in-process part): batch wall time of Create and Wait against the
 * sandbox, the one-item-at-a-time baseline, the Vozo 10-job limit, and the request economy of our
 * run read from the sandbox request log.
 */
import { startSandbox, type Sandbox } from '../test/sandbox';
import type { BenchConfig } from './config';
import { audioItems, outputOf, runVendorNode, type BenchVendor } from './nodeRun';
import { median, percentile } from './stats';

export interface RunTiming {
	wallMs: number;
	/** Longest job the sandbox actually ran (D with its jitter). */
	maxJobMs: number;
	items: number;
}

export interface EconomyRun {
	statusPerJob: number;
	idealPerJob: number;
	/** ms from the sandbox completing a job to the status answer that first reported it. */
	noticeMs: number[];
}

export interface BatchResults {
	ours: RunTiming[];
	sequential: RunTiming[];
	vozo: Array<RunTiming & { maxActive: number; statusPerJob: number }>;
	economy: EconomyRun[];
}

const TERMINAL = new Set(['completed', 'failed', 'done', 'success']);

async function withSandbox<T>(config: BenchConfig, work: (sb: Sandbox) => Promise<T>): Promise<T> {
	const sb = await startSandbox({ jobDurationMs: config.jobMs, jitterMs: config.jitterMs });
	try {
		return await work(sb);
	} finally {
		await sb.close();
	}
}

const waitOptions = (config: BenchConfig) => ({ pollIntervalSeconds: config.pollSeconds, waitLimitMinutes: 120 });

async function timeCreateAndWait(sb: Sandbox, vendor: BenchVendor, count: number, config: BenchConfig, tag: string) {
	const target = { baseUrl: sb.baseUrl(vendor), apiKey: sb.keys[vendor] };
	const started = Date.now();
	const result = await runVendorNode(vendor, target, 'createAndWait', audioItems(count, tag), waitOptions(config));
	const wallMs = Date.now() - started;
	const items = outputOf(result, `${vendor} createAndWait ×${count}`);
	const done = items.filter((item) => item.status === 'succeeded').length;
	if (done !== count) throw new Error(`${vendor} createAndWait: ${done}/${count} succeeded (${JSON.stringify(items[0])})`);
	return wallMs;
}

const maxJobMs = (sb: Sandbox, vendor: BenchVendor) => Math.max(...sb.jobs.list(vendor).map((job) => job.durationMs));

/** Status requests per job and notice delay, from the sandbox's own log and job clock. */
function economyOf(sb: Sandbox, vendor: BenchVendor, config: BenchConfig): EconomyRun {
	const intervalMs = config.pollSeconds * 1000;
	const statusByJob = new Map<string, Array<{ answeredAt: number; status: unknown }>>();
	for (const entry of sb.log.entries({ vendor, endpoint: 'status' })) {
		const id = decodeURIComponent(entry.path.split('?')[0].split('/').pop() ?? '');
		const list = statusByJob.get(id) ?? [];
		list.push({ answeredAt: entry.time + entry.durationMs, status: (entry.responseBody as { status?: unknown })?.status });
		statusByJob.set(id, list);
	}
	const jobs = sb.jobs.list(vendor).filter((job) => job.completedAt !== undefined);
	let actual = 0;
	let ideal = 0;
	const noticeMs: number[] = [];
	for (const job of jobs) {
		const calls = statusByJob.get(job.id) ?? [];
		actual += calls.length;
		ideal += Math.ceil(job.durationMs / intervalMs) + 1;
		const first = calls.find((call) => TERMINAL.has(String(call.status)));
		if (first) noticeMs.push(first.answeredAt - (job.completedAt as number));
	}
	return { statusPerJob: actual / jobs.length, idealPerJob: ideal / jobs.length, noticeMs };
}

async function oursOnce(config: BenchConfig) {
	return await withSandbox(config, async (sb) => {
		const wallMs = await timeCreateAndWait(sb, 'personate', config.batchItems, config, 'ours');
		const timing = { wallMs, maxJobMs: maxJobMs(sb, 'personate'), items: config.batchItems };
		return { timing, economy: economyOf(sb, 'personate', config) };
	});
}

/** Today's pattern: the same work, one item submitted and waited for after the other. */
async function sequentialOnce(config: BenchConfig): Promise<RunTiming> {
	return await withSandbox(config, async (sb) => {
		const started = Date.now();
		for (let i = 0; i < config.sequentialItems; i++) {
			await timeCreateAndWait(sb, 'personate', 1, config, `seq${i}`);
		}
		return { wallMs: Date.now() - started, maxJobMs: maxJobMs(sb, 'personate'), items: config.sequentialItems };
	});
}

async function vozoOnce(config: BenchConfig) {
	return await withSandbox(config, async (sb) => {
		const wallMs = await timeCreateAndWait(sb, 'vozo', config.vozoItems, config, 'vozo');
		const statusPerJob = sb.log.count({ vendor: 'vozo', endpoint: 'status' }) / config.vozoItems;
		return { wallMs, maxJobMs: maxJobMs(sb, 'vozo'), items: config.vozoItems, maxActive: sb.jobs.stats('vozo').maxActive, statusPerJob };
	});
}

/**
 * The three cases wait on sandbox timers almost all the time, so each repeat runs them side by
 * side (separate sandboxes, separate logs) to keep the bench short.
 */
export async function runBatch(config: BenchConfig, log: (line: string) => void): Promise<BatchResults> {
	const results: BatchResults = { ours: [], sequential: [], vozo: [], economy: [] };
	for (let repeat = 1; repeat <= config.repeats; repeat++) {
		const [ours, sequential, vozo] = await Promise.all([oursOnce(config), sequentialOnce(config), vozoOnce(config)]);
		results.ours.push(ours.timing);
		results.economy.push(ours.economy);
		results.sequential.push(sequential);
		results.vozo.push(vozo);
		log(
			`batch repeat ${repeat}/${config.repeats}: ours ${ours.timing.wallMs} ms, sequential ${sequential.wallMs} ms, ` +
				`vozo ${vozo.wallMs} ms (max active ${vozo.maxActive}, ${vozo.statusPerJob.toFixed(1)} status/job); status/job ${ours.economy.statusPerJob.toFixed(2)}, ` +
				`notice median ${median(ours.economy.noticeMs)} ms p95 ${percentile(ours.economy.noticeMs, 95)} ms`,
		);
	}
	return results;
}
