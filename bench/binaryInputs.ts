/**
 * Binary audio by n8n's signed link, in the shared real n8n: N rows (200 in the full run) each get
 * 1 MB of speech as binary data (an HTTP Request node downloads it from the sandbox), and our
 * Personate Create and Wait lip-syncs them with Speech Source "Binary File"; the same rows with
 * the same file as an Audio URL are the baseline. Reported: the lip-sync node's own time and the
 * execution's wall time of both, n8n main's RSS growth over the binary run, and how long n8n takes
 * to serve the N signed links when they are fetched all at once (as N vendor fetches).
 */
import { createHash } from 'node:crypto';

import type { N8nInstance } from '../test/e2e/harness';
import { speechWav, startSandbox, type Sandbox } from '../test/sandbox';
import { postRows, rowNode, rowsWorkflow } from '../test/e2e/support/pipeline';
import { reps, type PartContext, type Row } from './parts';
import { finishedExecutions, latestId, mainPid, memoryOf, outputItems, PUBLIC_BASE, resetPeak, sandboxCredential, wallMs } from './realN8n';
import { fmt, median, percentile } from './stats';

const SPEECH_BYTES = 1_000_000;
const MB = 1024 * 1024;

interface Run {
	wallMs: number;
	/** The Personate node's own execution time (n8n's runData). */
	nodeMs: number;
}

const speechDownload = (url: string) => ({
	id: 'bench-bin-speech',
	name: 'Speech',
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	position: [0, 0] as [number, number],
	parameters: { url, options: { response: { response: { responseFormat: 'file', outputPropertyName: 'data' } } } },
});

async function runOnce(n8n: N8nInstance, sb: Sandbox, workflowId: string, hook: string, items: number): Promise<Run & { execution: any }> {
	sb.reset();
	sb.setOptions({ webhookHostRewrite: { [PUBLIC_BASE]: n8n.url } });
	const before = await latestId(n8n, workflowId);
	await postRows(n8n, hook, Array.from({ length: items }, (_, i) => ({ videoUrl: `https://cdn.example.test/bin-${i}-face.mp4`, audioUrl: `${sb.url}/files/speech.wav?bytes=${SPEECH_BYTES}` })));
	const [execution] = await finishedExecutions(n8n, workflowId, before, 1, 600_000);
	if (execution.status !== 'success') throw new Error(`execution ${execution.id} ended ${execution.status}`);
	const out = outputItems(execution, 'Personate');
	const ok = out.filter((item) => item.json.status === 'succeeded').length;
	if (ok !== items) throw new Error(`${ok}/${out.length} items succeeded`);
	const fetched = sb.jobs.list('personate').flatMap((job) => job.inputFiles ?? []).filter((file) => file.field === 'script.audio_url' && file.usable);
	if (fetched.length !== items) throw new Error(`the sandbox fetched ${fetched.length}/${items} speech files`);
	const nodeMs = execution.data.resultData.runData.Personate[0].executionTime as number;
	return { wallMs: wallMs(execution), nodeMs, execution };
}

/** Fetches every link at once; per-fetch times and the time until the last byte of the last one. */
async function fetchAllAtOnce(n8n: N8nInstance, links: string[], expectedSha: string): Promise<{ totalMs: number; each: number[] }> {
	const started = Date.now();
	const each = await Promise.all(
		links.map(async (link) => {
			const t0 = Date.now();
			const res = await fetch(n8n.url + link.slice(PUBLIC_BASE.length), { signal: AbortSignal.timeout(300_000) });
			const body = Buffer.from(await res.arrayBuffer());
			if (res.status !== 200 || createHash('sha256').update(body).digest('hex') !== expectedSha) throw new Error(`a signed link answered ${res.status} with ${body.length} bytes`);
			return Date.now() - t0;
		}),
	);
	return { totalMs: Date.now() - started, each };
}

export async function runBinaryInputs(ctx: PartContext): Promise<Row[]> {
	const { config, log } = ctx;
	const items = config.batchItems;
	const n8n = await ctx.n8n.instance();
	const sb = await startSandbox({ jobDurationMs: config.jobMs, jitterMs: config.jitterMs });
	try {
		const credentials = await sandboxCredential(n8n, sb, 'personate');
		const options = { pollIntervalSeconds: config.pollSeconds, waitLimitMinutes: 30, maxJobsPerExecution: 0 };
		const urlHook = 'bench-binary-url';
		const urlFlow = await n8n.importWorkflow(rowsWorkflow('bench: Personate, audio by URL', urlHook, [rowNode('personate', 'Personate', credentials, { operation: 'createAndWait', options })]));
		const binHook = 'bench-binary-file';
		const binFlow = await n8n.importWorkflow(
			rowsWorkflow(
				'bench: Personate, audio as binary data',
				binHook,
				[speechDownload('={{ $json.audioUrl }}'), rowNode('personate', 'Personate', credentials, { operation: 'createAndWait', options, scriptSource: 'binary', audioBinaryProperty: 'data' })],
				[['Speech', 'Personate']],
			),
		);
		for (const wf of [urlFlow, binFlow]) await n8n.publish(wf.id);

		const urlRuns: Run[] = [];
		const binRuns: Run[] = [];
		const rssGrowth: number[] = [];
		const peakGrowth: number[] = [];
		let serve: { totalMs: number; each: number[] } | undefined;
		const pid = mainPid(n8n);
		for (let repeat = 1; repeat <= config.repeats; repeat++) {
			urlRuns.push(await runOnce(n8n, sb, urlFlow.id, urlHook, items));
			const rssBefore = memoryOf(pid, 'VmRSS');
			resetPeak(pid);
			const bin = await runOnce(n8n, sb, binFlow.id, binHook, items);
			rssGrowth.push(memoryOf(pid, 'VmRSS') - rssBefore);
			peakGrowth.push(memoryOf(pid, 'VmHWM') - rssBefore);
			binRuns.push(bin);
			const links = sb.jobs.list('personate').map((job) => String((job.input as { script: { audio_url: string } }).script.audio_url));
			serve = await fetchAllAtOnce(n8n, links, createHash('sha256').update(speechWav(SPEECH_BYTES)).digest('hex'));
			log(`binary inputs repeat ${repeat}/${config.repeats}: URL ${urlRuns.at(-1)!.wallMs} ms (node ${urlRuns.at(-1)!.nodeMs} ms), binary ${bin.wallMs} ms (node ${bin.nodeMs} ms), main RSS +${fmt(rssGrowth.at(-1)! / MB, 0)} MiB, ${items} links served in ${serve.totalMs} ms`);
		}
		const what = `N=${items} × 1 MB WAV, Personate, D ≈ ${config.jobMs / 1000} s, poll ${config.pollSeconds} s, ${reps(config.repeats)}`;
		const secs = (runs: Run[], key: keyof Run) => fmt(median(runs.map((r) => r[key])) / 1000, 1);
		return [
			[
				'Binary audio by signed link vs Audio URL: Create and Wait node time',
				'—',
				`binary ${secs(binRuns, 'nodeMs')} s vs URL ${secs(urlRuns, 'nodeMs')} s (× ${fmt(median(binRuns.map((r, i) => r.nodeMs / urlRuns[i].nodeMs)))})`,
				'—',
				`${what}; execution wall time binary ${secs(binRuns, 'wallMs')} s (the HTTP Request download of the ${items} files included) vs URL ${secs(urlRuns, 'wallMs')} s`,
			],
			[
				'Binary audio by signed link: n8n main RSS growth',
				'—',
				`+${fmt(median(rssGrowth) / MB, 0)} MiB after the run, peak +${fmt(median(peakGrowth) / MB, 0)} MiB`,
				'—',
				`${what}; filesystem binary mode (the ${items} MB are on disk, not in memory)`,
			],
			[
				`Binary audio by signed link: n8n serving ${items} signed links fetched at once`,
				'—',
				`${fmt(serve!.totalMs / 1000, 2)} s for all; per fetch p50 ${fmt(percentile(serve!.each, 50) / 1000, 2)} s, p95 ${fmt(percentile(serve!.each, 95) / 1000, 2)} s`,
				'—',
				`${items} concurrent GETs of 1 MB each from n8n's main process (last repeat), bytes checked by sha256`,
			],
		];
	} finally {
		await sb.close();
	}
}
