/**
 * CPU per create and per status cycle, and heap per 1000 jobs in flight, in a child process (the
 * sandbox stays in this process, so its work is not counted). Each figure sits next to the same
 * items through n8n-core with a node that does nothing, a node that only sends the same requests
 * through n8n's authenticated request helper (the "our share" is ours minus it) and one
 * that sends them as our transport does (ours minus it: our code's own work), baselineNodes.ts.
 */
import { startSandbox } from '../test/sandbox';
import { runChild } from './child';
import { verdict, type PartContext, type Row } from './parts';
import { fmt, median } from './stats';

/** CPU ms per item of each path in one round (cpuChild.ts). */
export interface CpuRound {
	createMs: number;
	getMs: number;
	noopCreateMs: number;
	requestCreateMs: number;
	plainCreateMs: number;
	noopStatusMs: number;
	requestStatusMs: number;
	plainStatusMs: number;
}

export interface CpuResult {
	items: number;
	rounds: CpuRound[];
	pollStatusMs: number;
	statusCalls: number;
	heapJobs: number;
	heapBefore: number;
	heapDuring: number;
	heapPer1000: number;
	heapPerRound: number;
	endedAs: string;
}

export async function runCpu({ config, log }: PartContext): Promise<Row[]> {
	// Jobs far longer than the measurement: every status call is a "still rendering" cycle.
	const sb = await startSandbox({ jobDurationMs: 30 * 60_000 });
	try {
		const payload = {
			baseUrl: sb.baseUrl('personate'),
			apiKey: sb.keys.personate,
			sandboxUrl: sb.url,
			items: config.cpuItems,
			rounds: config.cpuRounds,
			heapJobs: config.heapJobs,
			pollSeconds: config.pollSeconds,
		};
		const r = await runChild<CpuResult>('cpuChild.ts', { BENCH_CPU: JSON.stringify(payload) }, 10 * 60_000);
		for (const [i, round] of r.rounds.entries()) {
			log(
				`cpu round ${i + 1}: create ${round.createMs.toFixed(2)} ms (no-op ${round.noopCreateMs.toFixed(2)}, request helper ${round.requestCreateMs.toFixed(2)}), ` +
					`get ${round.getMs.toFixed(2)} ms (no-op ${round.noopStatusMs.toFixed(2)}, request helper ${round.requestStatusMs.toFixed(2)})`,
			);
		}
		log(`cpu: poll ${r.pollStatusMs.toFixed(2)} ms/status`);
		return cpuRows(r);
	} finally {
		await sb.close();
	}
}

function cpuRows(r: CpuResult): Row[] {
	const ms = (value: number) => `${fmt(value)} ms`;
	const MiB = (bytes: number) => `${fmt(bytes / 1024 ** 2, 1)} MiB`;
	const of = (pick: (round: CpuRound) => number) => median(r.rounds.map(pick));
	const perRound = (pick: (round: CpuRound) => number) => r.rounds.map((round) => fmt(pick(round))).join(', ');
	const how =
		`${r.items} items per path per round, ${r.rounds.length} rounds (each runs the four nodes back to back on fresh items, order rotating); medians; ` +
		'process.cpuUsage in a child process, after a warm-up of every path';
	const createOurs = (round: CpuRound) => round.createMs - round.requestCreateMs;
	const statusOurs = (round: CpuRound) => round.getMs - round.requestStatusMs;
	return [
		[
			'4. CPU per create: ours (Personate Create) next to n8n-core with a no-op node and with a node that only sends the same POST through n8n\'s request helper, same items',
			'ours − request-helper node ≤ 1 ms',
			`${ms(of(createOurs))} (ours ${ms(of((x) => x.createMs))}, request helper ${ms(of((x) => x.requestCreateMs))}, no-op ${ms(of((x) => x.noopCreateMs))})`,
			verdict(of(createOurs) <= 1),
			`${how}; ours − request helper per round: ${perRound(createOurs)}; ours − plain request node (n8n's httpRequest, the key put in once per run as our transport does — our code's own work): ${ms(of((x) => x.createMs - x.plainCreateMs))} (plain ${ms(of((x) => x.plainCreateMs))}); ours − no-op (everything above n8n-core's own per-item cost, n8n's HTTP client included): ${ms(of((x) => x.createMs - x.noopCreateMs))}`,
		],
		[
			'4. CPU per status cycle: ours (Personate Get) next to the no-op node and a node that only sends the same GET through n8n\'s request helper, same job ids',
			'ours − request-helper node ≤ 1 ms',
			`${ms(of(statusOurs))} (ours ${ms(of((x) => x.getMs))}, request helper ${ms(of((x) => x.requestStatusMs))}, no-op ${ms(of((x) => x.noopStatusMs))})`,
			verdict(of(statusOurs) <= 1),
			`${how}; ours − request helper per round: ${perRound(statusOurs)}; ours − plain request node: ${ms(of((x) => x.getMs - x.plainStatusMs))}; ours − no-op: ${ms(of((x) => x.getMs - x.noopStatusMs))}; inside Create and Wait (${r.statusCalls} status calls over 3 poll rounds, ${r.heapJobs} jobs waiting): ${ms(r.pollStatusMs)} per call`,
		],
		[
			'4. Heap growth per 1000 jobs in flight',
			'—',
			`${MiB(r.heapPer1000)} (${r.heapPerRound >= 0 ? '+' : '−'}${MiB(Math.abs(r.heapPerRound))} per poll round, noise)`,
			'—',
			`${r.heapJobs} jobs waiting in Create and Wait, heapUsed after gc vs before`,
		],
	];
}
