/**
 * Long-polling's request economy, in-process: our sync.so Create and Wait (held status reads,
 * `wait=true&timeout=<s>`) against a hand-built loop on the same sandbox API (create every row,
 * then every poll interval a plain status read of every job still running — what the n8n loop of
 * n8nLoop.ts does), each with its own sandbox, side by side, the same D ± jitter and interval.
 * Requests and notice times come from the sandbox's log (economy.ts; a read of many jobs counts
 * once). Ten jobs fit the engine's open status reads, so every job has a held read open; with more,
 * nine jobs keep a held read and the others are read together at the interval by grouped reads
 * (`GET /v2/generations?ids=…`, the engine's statusOfMany: nodes/shared/wait/groupedReads.ts).
 */
import { startSandbox, type Sandbox } from '../test/sandbox';
import { call } from '../test/sandbox/testHelpers';
import { economyOf, type Economy } from './economy';
import { audioItems, outputOf, runVendorNode } from './nodeRun';
import { verdict, type PartContext, type Row } from './parts';
import { fmt, median, percentile, sleep } from './stats';

const VENDOR = 'syncso';
const BATCHES = [10, 20, 50];
const TERMINAL = new Set(['COMPLETED', 'FAILED', 'REJECTED']);

/** sync.so's plans run 1–15 generations at once: an Enterprise plan of the batch (sandbox and credential) lets the row measure polling, not queueing. */
async function withSandbox<T>({ config }: PartContext, count: number, work: (sb: Sandbox) => Promise<T>): Promise<T> {
	const sb = await startSandbox({ jobDurationMs: config.jobMs, jitterMs: config.jitterMs, syncsoPlan: count });
	try {
		return await work(sb);
	} finally {
		await sb.close();
	}
}

async function ours(sb: Sandbox, count: number, ctx: PartContext): Promise<Economy> {
	const options = { pollIntervalSeconds: ctx.config.pollSeconds, waitLimitMinutes: 30, maxJobsPerExecution: 0 };
	const target = { baseUrl: sb.baseUrl(VENDOR), apiKey: sb.keys[VENDOR], credentialFields: { plan: 'custom', customConcurrency: count } };
	const result = await runVendorNode(VENDOR, target, 'createAndWait', audioItems(count, 'lp'), options);
	const done = outputOf(result, `${VENDOR} createAndWait ×${count}`).filter((item) => item.status === 'succeeded').length;
	if (done !== count) throw new Error(`ours: ${done}/${count} succeeded`);
	return economyOf(sb, VENDOR, ctx.config.pollSeconds * 1000);
}

/** Create every row, then each interval read every running job's status, until none runs. */
async function handBuiltLoop(sb: Sandbox, count: number, ctx: PartContext): Promise<Economy> {
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const body = { model: 'lipsync-2', input: [{ type: 'video', url: 'https://cdn.example.test/face.mp4' }, { type: 'audio', url: `https://cdn.example.test/loop-${i}.mp3` }] };
		const created = await call(sb, VENDOR, '/v2/generate', { body });
		if (created.status !== 201) throw new Error(`loop: create answered ${created.status}`);
		ids.push(String((created.json as { id: string }).id));
	}
	let running = ids;
	const end = Date.now() + 30 * 60_000;
	while (running.length > 0) {
		if (Date.now() > end) throw new Error(`loop: ${running.length} jobs still running after 30 min`);
		await sleep(ctx.config.pollSeconds * 1000);
		const answers = await Promise.all(running.map(async (id) => ({ id, status: String((await call(sb, VENDOR, `/v2/generate/${id}`)).json?.status) })));
		running = answers.filter((answer) => !TERMINAL.has(answer.status)).map((answer) => answer.id);
	}
	return economyOf(sb, VENDOR, ctx.config.pollSeconds * 1000);
}

export async function runLongPoll(ctx: PartContext): Promise<Row[]> {
	const { config, log } = ctx;
	const runs = await Promise.all(
		BATCHES.flatMap((count) => [
			withSandbox(ctx, count, async (sb) => ({ count, who: 'ours', economy: await ours(sb, count, ctx) })),
			withSandbox(ctx, count, async (sb) => ({ count, who: 'loop', economy: await handBuiltLoop(sb, count, ctx) })),
		]),
	);
	const D = `D ≈ ${config.jobMs / 1000} s ± ${config.jitterMs / 1000} s, poll ${config.pollSeconds} s`;
	const rows: Row[] = [];
	for (const count of BATCHES) {
		const [o, l] = (['ours', 'loop'] as const).map((who) => runs.find((run) => run.count === count && run.who === who)!.economy);
		const notice = (e: Economy) => `median ${fmt(median(e.noticeMs) / 1000)} s, p95 ${fmt(percentile(e.noticeMs, 95) / 1000)} s`;
		log(`longPoll N=${count}: ours ${fmt(o.statusPerJob)} status/job (${notice(o)}), loop ${fmt(l.statusPerJob)} (${notice(l)})`);
		rows.push(
			[
				`11. Status requests per job, sync.so, in-process n8n-core, N=${count}, ${D}: ours with long-polling (wait=true, held up to 10 s) and grouped reads vs a hand-built loop (plain reads every interval)`,
				'fewer than the loop',
				`${fmt(o.statusPerJob)} vs ${fmt(l.statusPerJob)}`,
				verdict(o.statusPerJob < l.statusPerJob),
				`1 run each, side by side, separate sandboxes; sandbox request log; grid ceil(D/interval)+1 = ${fmt(l.idealPerJob)}` +
					(count > 10 ? '; more jobs than the engine keeps status reads open (10): none held until 10 are left, all read together (GET /v2/generations?ids=) once an interval' : ''),
			],
			[
				`11. Completion noticed after, same runs, N=${count} (sandbox completion → first status answer reporting it)`,
				'sooner than the loop',
				`ours ${notice(o)}; loop ${notice(l)}`,
				verdict(median(o.noticeMs) < median(l.noticeMs)),
				`${o.noticeMs.length} and ${l.noticeMs.length} jobs`,
			],
		);
	}
	return rows;
}
