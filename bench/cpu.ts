/**
 * CPU per create and per status cycle, and heap per 1000 jobs in flight, in a child process (the
 * sandbox stays in this process, so its work is not counted). Each figure sits next to the same
 * items through n8n-core with a node that does nothing and a node that only sends the same
 * requests through n8n's request helper (baselineNodes.ts): the difference is our code.
 */
import { startSandbox } from '../test/sandbox';
import { runChild } from './child';
import { verdict, type PartContext, type Row } from './parts';
import { fmt } from './stats';

export interface CpuResult {
	items: number;
	createMs: number;
	getMs: number;
	noopCreateMs: number;
	requestCreateMs: number;
	noopStatusMs: number;
	requestStatusMs: number;
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
			heapJobs: config.heapJobs,
			pollSeconds: config.pollSeconds,
		};
		const r = await runChild<CpuResult>('cpuChild.ts', { BENCH_CPU: JSON.stringify(payload) }, 10 * 60_000);
		log(
			`cpu: create ${r.createMs.toFixed(2)} ms (no-op ${r.noopCreateMs.toFixed(2)}, request helper ${r.requestCreateMs.toFixed(2)}), ` +
				`get ${r.getMs.toFixed(2)} ms (no-op ${r.noopStatusMs.toFixed(2)}, request helper ${r.requestStatusMs.toFixed(2)}), poll ${r.pollStatusMs.toFixed(2)} ms/status`,
		);
		return cpuRows(r);
	} finally {
		await sb.close();
	}
}

function cpuRows(r: CpuResult): Row[] {
	const ms = (value: number) => `${fmt(value)} ms`;
	const MiB = (bytes: number) => `${fmt(bytes / 1024 ** 2, 1)} MiB`;
	const how = `${r.items} items per run, process.cpuUsage in a child process, after a warm-up of every path; 1 run`;
	const createOurs = r.createMs - r.requestCreateMs;
	const statusOurs = r.getMs - r.requestStatusMs;
	return [
		[
			'4. CPU per create: ours (Personate Create) next to n8n-core with a no-op node and with a node that only sends the same POST through n8n\'s request helper, same items',
			'ours − request-helper node ≤ 1 ms',
			`${ms(createOurs)} (ours ${ms(r.createMs)}, request helper ${ms(r.requestCreateMs)}, no-op ${ms(r.noopCreateMs)})`,
			verdict(createOurs <= 1),
			`${how}; ours − no-op (everything above n8n-core's own per-item cost, n8n's HTTP client included): ${ms(r.createMs - r.noopCreateMs)}`,
		],
		[
			'4. CPU per status cycle: ours (Personate Get) next to the no-op node and a node that only sends the same GET through n8n\'s request helper, same job ids',
			'ours − request-helper node ≤ 1 ms',
			`${ms(statusOurs)} (ours ${ms(r.getMs)}, request helper ${ms(r.requestStatusMs)}, no-op ${ms(r.noopStatusMs)})`,
			verdict(statusOurs <= 1),
			`${how}; ours − no-op: ${ms(r.getMs - r.noopStatusMs)}; inside Create and Wait (${r.statusCalls} status calls over 3 poll rounds, ${r.heapJobs} jobs waiting): ${ms(r.pollStatusMs)} per call`,
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
