/**
 * In-process baselines (our nodes through n8n-core's WorkflowExecute, test/harness, against the
 * sandbox): one item at a time (what single-item nodes make of a batch: our engine on one item
 * per execution, executions one after another), and the Vozo 10-running-jobs batch. Both wait on
 * sandbox timers almost all the time, so they run side by side with separate sandboxes, once.
 */
import { startSandbox, type Sandbox } from '../test/sandbox';
import { audioItems, outputOf, runVendorNode, type BenchVendor } from './nodeRun';
import { verdict, type PartContext, type Row } from './parts';
import { fmt } from './stats';

const VOZO_RUNNING_JOBS = 10;

async function withSandbox<T>({ config }: PartContext, work: (sb: Sandbox) => Promise<T>): Promise<T> {
	const sb = await startSandbox({ jobDurationMs: config.jobMs, jitterMs: config.jitterMs });
	try {
		return await work(sb);
	} finally {
		await sb.close();
	}
}

async function createAndWait(sb: Sandbox, vendor: BenchVendor, count: number, ctx: PartContext, tag: string): Promise<number> {
	const options = { pollIntervalSeconds: ctx.config.pollSeconds, waitLimitMinutes: 120, maxJobsPerExecution: 0 };
	const started = Date.now();
	const result = await runVendorNode(vendor, { baseUrl: sb.baseUrl(vendor), apiKey: sb.keys[vendor] }, 'createAndWait', audioItems(count, tag), options);
	const wallMs = Date.now() - started;
	const done = outputOf(result, `${vendor} createAndWait ×${count}`).filter((item) => item.status === 'succeeded').length;
	if (done !== count) throw new Error(`${vendor} createAndWait: ${done}/${count} succeeded`);
	return wallMs;
}

const maxJobMs = (sb: Sandbox, vendor: BenchVendor) => Math.max(...sb.jobs.list(vendor).map((job) => job.durationMs));

export async function runInProcess(ctx: PartContext): Promise<Row[]> {
	const { config, log } = ctx;
	const interval = config.pollSeconds * 1000;
	const [sequential, vozo] = await Promise.all([
		withSandbox(ctx, async (sb) => {
			const started = Date.now();
			for (let i = 0; i < config.sequentialItems; i++) await createAndWait(sb, 'personate', 1, ctx, `seq${i}`);
			return { wallMs: Date.now() - started, boundMs: maxJobMs(sb, 'personate') + interval };
		}),
		withSandbox(ctx, async (sb) => {
			const wallMs = await createAndWait(sb, 'vozo', config.vozoItems, ctx, 'vozo');
			return { wallMs, maxJobMs: maxJobMs(sb, 'vozo'), maxActive: sb.jobs.stats('vozo').maxActive, statusPerJob: sb.log.count({ vendor: 'vozo', endpoint: 'status' }) / config.vozoItems };
		}),
	]);
	log(`in-process: one at a time ${sequential.wallMs} ms for ${config.sequentialItems}; vozo ${vozo.wallMs} ms (max running ${vozo.maxActive})`);
	const perItem = sequential.wallMs / config.sequentialItems;
	const at = config.batchItems;
	const waves = Math.ceil(config.vozoItems / VOZO_RUNNING_JOBS);
	const vozoRatio = vozo.wallMs / (waves * config.jobMs);
	const D = `D ≈ ${config.jobMs / 1000} s ± ${config.jitterMs / 1000} s, poll ${config.pollSeconds} s`;
	return [
		[
			`1. One item at a time (single-item nodes: our engine on one item per execution, executions one after another), in-process n8n-core, N=${config.sequentialItems}, ${D}`,
			'baseline',
			`${fmt(sequential.wallMs / sequential.boundMs)} × (max D + 1 interval) at N=${config.sequentialItems}; ≈ ${fmt((perItem * at) / sequential.boundMs, 1)} × extrapolated to N=${at} (≈ ${fmt((perItem * at) / 60_000, 0)} min)`,
			'—',
			`1 run; SCALED DOWN: grows linearly with N (${fmt(perItem / 1000, 1)} s per item)`,
		],
		[
			`1. Batch wall time, ours, Vozo (10 running jobs max), in-process n8n-core, N=${config.vozoItems}, ${D}`,
			'≤ 1.10 × ceil(N/10)·D',
			`${fmt(vozoRatio)} × (${fmt(vozo.wallMs / 1000, 1)} s; max running at Vozo ${vozo.maxActive})`,
			verdict(vozoRatio <= 1.1),
			`1 run; bound uses nominal D and no polling; ${fmt(vozo.statusPerJob, 1)} status requests per job (running jobs polled every ` +
				`${fmt(Math.min(config.pollSeconds, Math.max(1, config.pollSeconds / 4)), 2)} s while items wait for a slot); vs ceil(N/10)·(max D + interval): ${fmt(vozo.wallMs / (waves * (vozo.maxJobMs + interval)))} ×`,
		],
	];
}
