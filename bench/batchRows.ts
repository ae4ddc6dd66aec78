/**
 * The batch part's rows (n8nBatch.ts): for one of our vendors against the hand-built loop, on one
 * job clock — wall time, status requests per job, completion noticed (median and p95) — and
 * issue 22's verdict that all three beat the loop in the same run. Every verdict is computed from
 * the measurements.
 */
import type { Economy } from './economy';
import { reps, verdict, type PartContext, type Row } from './parts';
import { fmt, median, percentile } from './stats';

export interface Run {
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

/** The sandbox's job clock of one batch: D (config.jobMs) ± this uniform jitter. */
export interface JobClock {
	label: string;
	jitterMs: number;
}

const s = (ms: number) => fmt(ms / 1000);

export function batchRows(name: string, ours: Run[], loop: Run[], loopApi: string, clock: JobClock, { config }: PartContext): Row[] {
	const ratios = ours.map((o, i) => o.wallMs / loop[i].wallMs);
	const ratio = median(ratios);
	const secs = (runs: Run[]) => fmt(median(runs.map((r) => r.wallMs)) / 1000, 1);
	const bound = (runs: Run[]) => fmt(median(runs.map((r) => r.wallMs / r.boundMs)));
	const perJob = (runs: Run[]) => median(runs.map((r) => r.statusPerJob));
	const notice = (runs: Run[]) => runs.flatMap((r) => r.economy.noticeMs);
	const [oursNotice, loopNotice] = [notice(ours), notice(loop)];
	const p50 = [median(oursNotice), median(loopNotice)];
	const p95 = [percentile(oursNotice, 95), percentile(loopNotice, 95)];
	const ideal = median(ours.map((r) => r.economy.idealPerJob));
	const boundMin = median(ours.map((r) => r.economy.boundMinPerJob));
	const loopBoundMin = median(loop.map((r) => r.economy.boundMinPerJob));
	const what = `${clock.label}: N=${config.batchItems}, D ≈ ${config.jobMs / 1000} s ± ${clock.jitterMs / 1000} s (uniform), poll ${config.pollSeconds} s`;
	const perRepeat = (pick: (o: Run, l: Run) => number, digits = 2) => ours.map((o, i) => fmt(pick(o, loop[i]), digits)).join(', ');
	const fewer = perJob(ours) < perJob(loop);
	const sooner = p50[0] < p50[1] && p95[0] < p95[1];
	const inTime = ratio <= 1.0;
	const passFail = (ok: boolean) => (ok ? 'pass' : 'fail');
	return [
		[
			`1. Batch wall time, same real n8n: ours (${name} Create and Wait) vs hand-built loop (HTTP Request → Wait → HTTP Request → If → back, ${loopApi}), ${what}`,
			'≤ 1.00 × the loop',
			`${fmt(ratio, 3)} × (ours ${secs(ours)} s, loop ${secs(loop)} s)`,
			verdict(inTime),
			`${reps(ours.length)}, order rotating, ratio per repeat: ${perRepeat((o, l) => o.wallMs / l.wallMs, 3)}; n8n's startedAt→stoppedAt; ` +
				`over the bound (max D + 1 interval, from the sandbox's job clock): ours ${bound(ours)} ×, loop ${bound(loop)} ×; ` +
				`creates spread over ours ${s(median(ours.map((r) => r.createSpreadMs)))} s, loop ${s(median(loop.map((r) => r.createSpreadMs)))} s; ` +
				`last job done → its last status answer: ours ${s(median(ours.map((r) => r.lastNoticeMs)))} s, loop ${s(median(loop.map((r) => r.lastNoticeMs)))} s`,
		],
		[
			`1. Status requests per job, same runs (${clock.label}): ours (${name}) vs the loop`,
			'fewer than the loop',
			`${fmt(perJob(ours))} vs ${fmt(perJob(loop))} (${fmt(perJob(ours) / perJob(loop))} ×)`,
			verdict(fewer),
			`${reps(ours.length)}; sandbox request log; per repeat ours/loop: ${perRepeat((o, l) => o.statusPerJob / l.statusPerJob)}; blind grid ceil(D/interval)+1 = ${fmt(ideal)} (ours ${fmt(perJob(ours) / ideal)} ×); fewest any schedule can spend while noticing every completion within one interval without held or grouped reads, mean ceil(D/interval) = ${fmt(boundMin)} (ours ${fmt(perJob(ours) / boundMin)} ×, loop ${fmt(perJob(loop) / loopBoundMin)} × its own jobs' ${fmt(loopBoundMin)}: below 1 × a schedule notices some completions later than the interval)`,
		],
		[
			`2. Completion noticed after (sandbox completion → first status answer reporting it), same runs (${clock.label}): ours (${name}) vs the loop`,
			'median and p95 sooner than the loop',
			`median ${s(p50[0])} s vs ${s(p50[1])} s, p95 ${s(p95[0])} s vs ${s(p95[1])} s`,
			verdict(sooner),
			`${oursNotice.length} / ${loopNotice.length} jobs over ${ours.length} run(s) each; ours median ≤ 1 interval (${config.pollSeconds} s): ${median(oursNotice) <= config.pollSeconds * 1000 ? 'yes' : 'no'}`,
		],
		[
			`Issue 22, batch (${clock.label}), ours (${name}): fewer requests, sooner p50 & p95, wall ≤ 1.0 × the loop — all three in the same run`,
			'all three pass',
			`requests ${passFail(fewer)}, noticed sooner ${passFail(sooner)}, wall ${passFail(inTime)}`,
			verdict(fewer && sooner && inTime),
			'from the three rows above',
		],
	];
}
