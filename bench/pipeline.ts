/**
 * Pipeline scale in the real n8n: one execution of `pipelineItems` rows (a scheduled run of a
 * thousand rows) through Personate Create and Wait. Wall time over the bound (max D the sandbox
 * ran + one poll interval), the n8n main process's peak RSS growth (VmHWM after a reset, minus
 * VmRSS before), and how long n8n took to save the finished execution (stoppedAt → the moment
 * its API first reports it finished, polled every 100 ms). The sandbox runs with every vendor
 * limit on; Personate documents none, which is why it is the vendor that can run 1,000 jobs in
 * half a minute (JoggAI's 20 a minute would take 50 minutes; the pacing and queue parts cover
 * the limited vendors).
 */
import type { N8nInstance } from '../test/e2e/harness';
import { startSandbox, type Sandbox } from '../test/sandbox';
import { postRows, rowNode, rows, rowsWorkflow } from '../test/e2e/support/pipeline';
import { economyOf } from './economy';
import { reps, verdict, type PartContext, type Row } from './parts';
import { FINISHED, latestId, mainPid, memoryOf, outputItems, processTreeCpuSeconds, resetPeak, sandboxCredential, wallMs } from './realN8n';
import { fmt, median, sleep, until } from './stats';

interface PipelineRun {
	wallMs: number;
	boundMs: number;
	rssGrowth: number;
	rssBefore: number;
	rssAfter: number;
	saveMs: number;
	cpuMsPerItem: number;
	createSpreadMs: number;
	statusPerJob: number;
	noticeP95Ms: number;
	dataBytes: number;
}

const HOOK = 'bench-pipeline';

async function runOnce(n8n: N8nInstance, sb: Sandbox, workflowId: string, tag: string, ctx: PartContext): Promise<PipelineRun> {
	const { config } = ctx;
	sb.reset();
	const pid = mainPid(n8n);
	// Let the previous run's leftovers settle, then take the baseline and reset the peak.
	await sleep(3_000);
	const rssBefore = memoryOf(pid, 'VmRSS');
	resetPeak(pid);
	const cpuBefore = processTreeCpuSeconds(pid);
	const before = await latestId(n8n, workflowId);
	await postRows(n8n, HOOK, rows(config.pipelineItems, tag));
	const timeoutMs = config.pipelineJobMs * 4 + 300_000;
	const started = await until(
		'the pipeline execution to start',
		async () => (await n8n.executions({ workflowId, limit: 5 })).find((e) => Number(e.id) > Number(before)),
		60_000,
		200,
	);
	const id = String(started!.id);
	let seenFinishedAt = 0;
	await until(
		`pipeline execution ${id} to finish`,
		async () => {
			const e = await n8n.api<any>('GET', `/executions/${id}`);
			if (!FINISHED.includes(e.status)) return false;
			seenFinishedAt = Date.now();
			return true;
		},
		timeoutMs,
		100,
	);
	const peak = memoryOf(pid, 'VmHWM');
	const cpuMsPerItem = ((processTreeCpuSeconds(pid) - cpuBefore) * 1000) / config.pipelineItems;
	const response = await fetch(`${n8n.url}/api/v1/executions/${id}?includeData=true`, {
		headers: { 'x-n8n-api-key': n8n.apiKey },
		signal: AbortSignal.timeout(120_000),
	});
	const text = await response.text();
	const execution = JSON.parse(text);
	if (execution.status !== 'success') throw new Error(`pipeline execution ${id} ended ${execution.status}`);
	const ok = outputItems(execution, 'Personate').filter((item) => item.json.status === 'succeeded').length;
	if (ok !== config.pipelineItems) throw new Error(`pipeline: ${ok}/${config.pipelineItems} items succeeded`);
	const intervalMs = config.pollSeconds * 1000;
	const economy = economyOf(sb, 'personate', intervalMs);
	const creates = sb.log.entries({ vendor: 'personate', endpoint: 'create' }).map((entry) => entry.time);
	const sorted = [...economy.noticeMs].sort((a, b) => a - b);
	return {
		wallMs: wallMs(execution),
		boundMs: economy.maxJobMs + intervalMs,
		rssGrowth: peak - rssBefore,
		rssBefore,
		rssAfter: memoryOf(pid, 'VmRSS'),
		saveMs: seenFinishedAt - Date.parse(execution.stoppedAt),
		cpuMsPerItem,
		createSpreadMs: Math.max(...creates) - Math.min(...creates),
		statusPerJob: economy.statusPerJob,
		noticeP95Ms: sorted[Math.floor(sorted.length * 0.95)] ?? NaN,
		dataBytes: Buffer.byteLength(text),
	};
}

export async function runPipeline(ctx: PartContext): Promise<Row[]> {
	const { config, log } = ctx;
	const n8n = await ctx.n8n.instance();
	const sb = await startSandbox({ jobDurationMs: config.pipelineJobMs, jitterMs: config.jitterMs });
	try {
		const credentials = await sandboxCredential(n8n, sb, 'personate');
		const options = { pollIntervalSeconds: config.pollSeconds, waitLimitMinutes: 30, maxJobsPerExecution: 0 };
		const wf = await n8n.importWorkflow(
			rowsWorkflow(`bench: ${config.pipelineItems} rows`, HOOK, [rowNode('personate', 'Personate', credentials, { operation: 'createAndWait', options })]),
		);
		await n8n.publish(wf.id);
		const runs: PipelineRun[] = [];
		for (let repeat = 1; repeat <= config.pipelineRepeats; repeat++) {
			const run = await runOnce(n8n, sb, wf.id, `p${repeat}`, ctx);
			runs.push(run);
			log(
				`pipeline repeat ${repeat}/${config.pipelineRepeats}: ${run.wallMs} ms (bound ${run.boundMs} ms), RSS +${(run.rssGrowth / 1024 ** 2).toFixed(0)} MiB, ` +
					`save ${run.saveMs} ms, creates over ${run.createSpreadMs} ms, CPU ${run.cpuMsPerItem.toFixed(1)} ms/item`,
			);
		}
		await n8n.api('POST', `/workflows/${wf.id}/deactivate`, {});
		return pipelineRows(runs, ctx);
	} finally {
		await sb.close();
	}
}

function pipelineRows(runs: PipelineRun[], { config }: PartContext): Row[] {
	const m = (pick: (r: PipelineRun) => number) => median(runs.map(pick));
	const ratio = m((r) => r.wallMs / r.boundMs);
	const MiB = (bytes: number) => `${fmt(bytes / 1024 ** 2, 0)} MiB`;
	const what = `${config.pipelineItems} items in one execution, Personate Create and Wait, D ≈ ${config.pipelineJobMs / 1000} s ± ${config.jitterMs / 1000} s, poll ${config.pollSeconds} s, sandbox limits on`;
	return [
		[
			`6. Pipeline scale, real n8n: wall time over the bound (${what})`,
			'≤ 1.10 × (max D + 1 interval)',
			`${fmt(ratio)} × (${fmt(m((r) => r.wallMs) / 1000, 1)} s)`,
			verdict(ratio <= 1.1),
			`${reps(runs.length)}; creates spread over ${fmt(m((r) => r.createSpreadMs) / 1000, 1)} s; ${fmt(m((r) => r.statusPerJob), 2)} status requests per job; ` +
				`completion noticed within ${fmt(m((r) => r.noticeP95Ms) / 1000, 1)} s (p95); n8n CPU ${fmt(m((r) => r.cpuMsPerItem), 1)} ms per item (main + task runner, whole execution)`,
		],
		[
			`6. Pipeline scale: n8n main process peak RSS growth during the ${config.pipelineItems}-item execution`,
			'reported',
			`first run ${MiB(runs[0].rssGrowth)}${runs.length > 1 ? `, later runs ${runs.slice(1).map((r) => MiB(r.rssGrowth)).join(', ')}` : ''}`,
			'—',
			`VmHWM (reset before each run) − VmRSS before it; RSS before the first run ${MiB(runs[0].rssBefore)} (n8n had run the earlier parts), after the last save ${MiB(runs[runs.length - 1].rssAfter)}: ` +
				'the first large execution grows the heap, later ones reuse it',
		],
		[
			`6. Pipeline scale: time n8n takes to save the finished ${config.pipelineItems}-item execution`,
			'reported',
			`${fmt(m((r) => r.saveMs) / 1000, 2)} s`,
			'—',
			`${reps(runs.length)}; stoppedAt → first API answer "finished" (polled every 100 ms); execution with data ${fmt(m((r) => r.dataBytes) / 1024 ** 2, 1)} MiB as JSON from the API`,
		],
	];
}
