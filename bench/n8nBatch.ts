/**
 * Batch, both in the same real n8n: our Personate Create and Wait against the hand-built loop
 * (n8nLoop.ts) on the same rows, the same sandbox job clock (D ± jitter) and the same poll
 * interval. Wall time is n8n's own execution record (startedAt → stoppedAt); requests come from
 * the sandbox's log. The two run one after the other, order alternating per repeat, and each
 * repeat's ratio compares neighbours in time.
 */
import type { N8nInstance } from '../test/e2e/harness';
import { startSandbox, type Sandbox } from '../test/sandbox';
import { postRows, rowNode, rows, rowsWorkflow } from '../test/e2e/support/pipeline';
import { economyOf, type Economy } from './economy';
import { loopWorkflow } from './n8nLoop';
import { reps, verdict, type PartContext, type Row } from './parts';
import { finishedExecutions, latestId, outputItems, sandboxCredential, wallMs } from './realN8n';
import { fmt, median, percentile } from './stats';

interface Run {
	/** Where the wall time went, s from n8n's startedAt: first create, last create, last job done, last status answer. */
	timeline: string;
	/** Last create − first create, ms. */
	createSpreadMs: number;
	/** The last job's completion → the status answer that reported the batch's last completion, ms. */
	lastNoticeMs: number;
	wallMs: number;
	boundMs: number;
	statusPerJob: number;
	economy: Economy;
}

async function runOnce(n8n: N8nInstance, sb: Sandbox, workflowId: string, hook: string, tag: string, ctx: PartContext, check: (execution: any) => void): Promise<Run> {
	const { config } = ctx;
	sb.reset();
	const before = await latestId(n8n, workflowId);
	await postRows(n8n, hook, rows(config.batchItems, tag));
	const timeoutMs = (config.jobMs + config.jitterMs) * 4 + 180_000;
	const [execution] = await finishedExecutions(n8n, workflowId, before, 1, timeoutMs);
	if (execution.status !== 'success') throw new Error(`${tag}: execution ${execution.id} ended ${execution.status}`);
	check(execution);
	const jobs = sb.jobs.list('personate');
	const succeeded = jobs.filter((job) => job.phase === 'succeeded').length;
	if (jobs.length !== config.batchItems || succeeded !== config.batchItems) {
		throw new Error(`${tag}: ${succeeded}/${jobs.length} sandbox jobs succeeded, ${config.batchItems} expected`);
	}
	const intervalMs = config.pollSeconds * 1000;
	const economy = economyOf(sb, 'personate', intervalMs);
	const t0 = Date.parse(execution.startedAt);
	const creates = sb.log.entries({ vendor: 'personate', endpoint: 'create' }).map((e) => e.time);
	const statuses = sb.log.entries({ vendor: 'personate', endpoint: 'status' }).map((e) => e.time + e.durationMs);
	const at = (ms: number) => ((ms - t0) / 1000).toFixed(2);
	const timeline =
		`creates ${at(Math.min(...creates))}–${at(Math.max(...creates))} s, last job done ${at(Math.max(...jobs.map((j) => j.completedAt ?? 0)))} s, ` +
		`last status answer ${at(Math.max(...statuses))} s, stopped ${at(Date.parse(execution.stoppedAt))} s`;
	const lastDone = Math.max(...jobs.map((j) => j.completedAt ?? 0));
	return { timeline, createSpreadMs: Math.max(...creates) - Math.min(...creates), lastNoticeMs: Math.max(...statuses) - lastDone, wallMs: wallMs(execution), boundMs: economy.maxJobMs + intervalMs, statusPerJob: sb.log.count({ vendor: 'personate', endpoint: 'status' }) / jobs.length, economy };
}

export async function runN8nBatch(ctx: PartContext): Promise<Row[]> {
	const { config, log } = ctx;
	const n8n = await ctx.n8n.instance();
	const sb = await startSandbox({ jobDurationMs: config.jobMs, jitterMs: config.jitterMs });
	try {
		const credentials = await sandboxCredential(n8n, sb, 'personate');
		const oursHook = 'bench-batch-ours';
		const options = { pollIntervalSeconds: config.pollSeconds, waitLimitMinutes: 30, maxJobsPerExecution: 0 };
		const ours = await n8n.importWorkflow(
			rowsWorkflow('bench: Personate Create and Wait', oursHook, [rowNode('personate', 'Personate', credentials, { operation: 'createAndWait', options })]),
		);
		const loopHook = 'bench-batch-loop';
		const [headerAuth] = await n8n.importCredentials([
			{ name: 'bench Personate key (Header Auth)', type: 'httpHeaderAuth', data: { name: 'Authorization', value: `Bearer ${sb.keys.personate}` } },
		]);
		const loop = await n8n.importWorkflow(loopWorkflow(loopHook, sb.baseUrl('personate'), headerAuth, config.pollSeconds));
		for (const wf of [ours, loop]) await n8n.publish(wf.id);

		const oursRuns: Run[] = [];
		const loopRuns: Run[] = [];
		const runOurs = async (tag: string) => {
			const run = await runOnce(n8n, sb, ours.id, oursHook, tag, ctx, (execution) => {
				const out = outputItems(execution, 'Personate');
				const ok = out.filter((item) => item.json.status === 'succeeded').length;
				if (ok !== config.batchItems) throw new Error(`ours: ${ok}/${out.length} items succeeded`);
			});
			oursRuns.push(run);
			return run;
		};
		const runLoop = async (tag: string) => {
			const run = await runOnce(n8n, sb, loop.id, loopHook, tag, ctx, (execution) => {
				const finished = (execution.data.resultData.runData.Finished ?? []).reduce((n: number, r: any) => n + (r.data?.main?.[0]?.length ?? 0), 0);
				if (finished !== config.batchItems) throw new Error(`loop: ${finished} items reached Finished`);
			});
			loopRuns.push(run);
			return run;
		};
		for (let repeat = 1; repeat <= config.repeats; repeat++) {
			const order = repeat % 2 ? [runOurs, runLoop] : [runLoop, runOurs];
			for (const run of order) await run(`b${repeat}${run === runOurs ? 'o' : 'l'}`);
			const [o, l] = [oursRuns.at(-1)!, loopRuns.at(-1)!];
			log(
				`batch repeat ${repeat}/${config.repeats}: ours ${o.wallMs} ms (${o.statusPerJob.toFixed(2)} status/job), ` +
					`loop ${l.wallMs} ms (${l.statusPerJob.toFixed(2)} status/job); ours: ${o.timeline}; loop: ${l.timeline}`,
			);
		}
		return batchRows(oursRuns, loopRuns, ctx);
	} finally {
		await sb.close();
	}
}

function batchRows(ours: Run[], loop: Run[], { config }: PartContext): Row[] {
	const ratios = ours.map((o, i) => o.wallMs / loop[i].wallMs);
	const ratio = median(ratios);
	const bound = (runs: Run[]) => fmt(median(runs.map((r) => r.wallMs / r.boundMs)));
	const secs = (runs: Run[]) => fmt(median(runs.map((r) => r.wallMs)) / 1000, 1);
	const perJob = (runs: Run[]) => median(runs.map((r) => r.statusPerJob));
	const what = `N=${config.batchItems}, D ≈ ${config.jobMs / 1000} s ± ${config.jitterMs / 1000} s, poll ${config.pollSeconds} s`;
	const economy = ours.map((r) => r.economy);
	const notice = economy.flatMap((e) => e.noticeMs);
	const ideal = median(economy.map((e) => e.idealPerJob));
	return [
		[
			`1. Batch wall time, same real n8n: ours (Personate Create and Wait) vs hand-built loop (HTTP Request → Wait → HTTP Request → If → back), ${what}`,
			'≤ 1.00 × the loop',
			`${fmt(ratio, 3)} × (ours ${secs(ours)} s, loop ${secs(loop)} s)`,
			verdict(ratio <= 1.0),
			`${reps(ours.length)}, order alternating, ratio per repeat: ${ratios.map((r) => fmt(r, 3)).join(', ')}; n8n's startedAt→stoppedAt; ` +
				`over the bound (max D + 1 interval, from the sandbox's job clock): ours ${bound(ours)} ×, loop ${bound(loop)} ×; ` +
				`where they differ: creates spread over ours ${fmt(median(ours.map((r) => r.createSpreadMs)) / 1000)} s, loop ${fmt(median(loop.map((r) => r.createSpreadMs)) / 1000)} s; ` +
				`last job done → its last status answer: ours ${fmt(median(ours.map((r) => r.lastNoticeMs)) / 1000)} s, loop ${fmt(median(loop.map((r) => r.lastNoticeMs)) / 1000)} s`,
		],
		[
			'1. Status requests per job, same runs: ours vs the loop',
			'fewer than the loop',
			`${fmt(perJob(ours))} vs ${fmt(perJob(loop))}`,
			verdict(perJob(ours) < perJob(loop)),
			`${reps(ours.length)}; sandbox request log; ideal ceil(D/interval)+1 = ${fmt(ideal)} (ours ${fmt(perJob(ours) / ideal)} ×)`,
		],
		[
			'2. Completion noticed after (ours: sandbox completion → first status answer reporting it)',
			`median ≤ 1 interval (${config.pollSeconds} s)`,
			`median ${fmt(median(notice) / 1000)} s, p95 ${fmt(percentile(notice, 95) / 1000)} s`,
			verdict(median(notice) <= config.pollSeconds * 1000),
			`${notice.length} jobs over ${economy.length} run(s)`,
		],
	];
}
