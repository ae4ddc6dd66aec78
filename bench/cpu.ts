/** Measurement 4: CPU per create / status cycle and heap per 1000 jobs in flight (child process). */
import { startSandbox } from '../test/sandbox';
import { runChild } from './child';
import type { BenchConfig } from './config';

export interface CpuResult {
	items: number;
	createMs: number;
	getMs: number;
	pollStatusMs: number;
	statusCalls: number;
	heapJobs: number;
	heapBefore: number;
	heapDuring: number;
	heapPer1000: number;
	heapPerRound: number;
	endedAs: string;
}

export async function runCpu(config: BenchConfig, log: (line: string) => void): Promise<CpuResult> {
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
		const result = await runChild<CpuResult>('cpuChild.ts', { BENCH_CPU: JSON.stringify(payload) }, 10 * 60_000);
		log(
			`cpu: create ${result.createMs.toFixed(2)} ms, get ${result.getMs.toFixed(2)} ms, poll ${result.pollStatusMs.toFixed(2)} ms/status; ` +
				`heap +${(result.heapPer1000 / 1024 ** 2).toFixed(1)} MiB per 1000 jobs`,
		);
		return result;
	} finally {
		await sb.close();
	}
}
