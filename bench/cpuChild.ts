/**
 * Measurement 4 in its own process (the sandbox runs in the parent, so its work is not counted):
 * CPU per create and per status cycle (process.cpuUsage), heap growth with many jobs waiting
 * (--expose-gc, heapUsed after gc). Input through BENCH_CPU (JSON); prints JSON.
 */
import { runBaseline, type BaselineKind } from './baselineNodes';
import type { CpuRound } from './cpu';
import { requireGc } from './child';
import { outputOf, runVendorNode, audioItems, type SandboxTarget } from './nodeRun';
import { median, sleep, until } from './stats';

interface CpuInput extends SandboxTarget {
	sandboxUrl: string;
	items: number;
	rounds: number;
	heapJobs: number;
	pollSeconds: number;
}

const input = JSON.parse(process.env.BENCH_CPU ?? '{}') as CpuInput;
const cpuMs = () => {
	const { user, system } = process.cpuUsage();
	return (user + system) / 1000;
};
const gc = requireGc();
const gcHeap = () => {
	for (let i = 0; i < 3; i++) gc();
	return process.memoryUsage().heapUsed;
};

async function sandboxCounts(): Promise<{ create: number; status: number }> {
	const res = await fetch(`${input.sandboxUrl}/__sandbox/counts`);
	const { counts } = (await res.json()) as { counts: Record<string, number> };
	return { create: counts['personate.create'] ?? 0, status: counts['personate.status'] ?? 0 };
}

async function createJobs(count: number, tag: string): Promise<string[]> {
	const result = await runVendorNode('personate', input, 'create', audioItems(count, tag), { pollIntervalSeconds: input.pollSeconds, maxJobsPerExecution: 0 });
	const ids = outputOf(result, `create ×${count}`).map((item) => String(item.jobId));
	if (ids.length !== count || ids.some((id) => id === 'undefined')) throw new Error(`create ×${count}: missing job ids`);
	return ids;
}

async function getJobs(ids: string[]) {
	const result = await runVendorNode('personate', input, 'get', ids.map((jobId) => ({ json: { jobId } })), { maxJobsPerExecution: 0 });
	if (outputOf(result, `get ×${ids.length}`).length !== ids.length) throw new Error('get: wrong item count');
}

async function main() {
	const perItem = async (work: () => Promise<unknown>) => {
		const before = cpuMs();
		await work();
		return (cpuMs() - before) / input.items;
	};
	const idItems = (ids: string[]) => ids.map((jobId) => ({ json: { jobId } }));
	// Warm-up (module loading, JIT) of every path measured, so the per-item figures are steady state.
	const warmIds = await createJobs(20, 'warm');
	await getJobs(warmIds);
	for (const kind of ['noop', 'request', 'plain'] as const) {
		await runBaseline(kind, 'create', input, audioItems(20, `warm-${kind}`));
		await runBaseline(kind, 'status', input, idItems(warmIds));
	}

	// Each round runs the four nodes back to back on fresh items, in an order that rotates from
	// round to round, so a busy machine or a collection weighs on ours and on its baselines alike;
	// the parent takes the median of each path and of the differences.
	type Path = 'ours' | BaselineKind;
	const paths: Path[] = ['ours', 'request', 'plain', 'noop'];
	const rounds: CpuRound[] = [];
	for (let round = 1; round <= input.rounds; round++) {
		const order = paths.map((_, i) => paths[(i + round - 1) % paths.length]);
		const create: Partial<Record<Path, number>> = {};
		let ids: string[] = [];
		for (const path of order) {
			if (path === 'ours') create.ours = await perItem(async () => (ids = await createJobs(input.items, `cpu${round}`)));
			else create[path] = await perItem(() => runBaseline(path, 'create', input, audioItems(input.items, `${path}${round}`)));
		}
		const status: Partial<Record<Path, number>> = {};
		for (const path of order) {
			if (path === 'ours') status.ours = await perItem(() => getJobs(ids));
			else status[path] = await perItem(() => runBaseline(path, 'status', input, idItems(ids)));
		}
		rounds.push({
			createMs: create.ours!,
			requestCreateMs: create.request!,
			plainCreateMs: create.plain!,
			noopCreateMs: create.noop!,
			getMs: status.ours!,
			requestStatusMs: status.request!,
			plainStatusMs: status.plain!,
			noopStatusMs: status.noop!,
		});
	}

	// Heap with jobs in flight: Create and Wait on heapJobs items whose jobs outlast the measurement.
	const heapBefore = gcHeap();
	const start = await sandboxCounts();
	const abort = new AbortController();
	const running = runVendorNode('personate', input, 'createAndWait', audioItems(input.heapJobs, 'heap'), {
		pollIntervalSeconds: input.pollSeconds,
		waitLimitMinutes: 60,
		maxJobsPerExecution: 0,
	}, abort.signal);
	const intervalMs = input.pollSeconds * 1000;
	await until('all heap jobs created', async () => (await sandboxCounts()).create - start.create >= input.heapJobs, 5 * 60_000, 200);
	// Let the poller settle into its rounds, then measure CPU per status call over whole rounds.
	await sleep(2 * intervalMs);
	// heapUsed after gc still depends on which status calls happen to be in flight, so it is
	// sampled once per poll round and the median kept; CPU is counted over the same 3 rounds.
	const heapSamples = [gcHeap()];
	const windowStart = await sandboxCounts();
	const windowCpu = cpuMs();
	for (let round = 0; round < 3; round++) {
		await sleep(intervalMs);
		heapSamples.push(gcHeap());
	}
	const windowEnd = await sandboxCounts();
	const pollCpu = cpuMs() - windowCpu;
	const statusCalls = windowEnd.status - windowStart.status;
	const heapDuring = median(heapSamples);
	const heapSettled = heapSamples[0];
	const heapLast = heapSamples[heapSamples.length - 1];
	abort.abort();
	const ended = await running;
	process.stdout.write(
		`${JSON.stringify({
			items: input.items,
			rounds,
			pollStatusMs: statusCalls > 0 ? pollCpu / statusCalls : NaN,
			statusCalls,
			heapJobs: input.heapJobs,
			heapBefore,
			heapDuring,
			/** Growth across the 3 measured poll rounds: > 0 means memory grows per status call. */
			heapPerRound: (heapLast - heapSettled) / 3,
			heapPer1000: ((heapDuring - heapBefore) * 1000) / input.heapJobs,
			endedAs: ended.executionStatus,
		})}\n`,
	);
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`${(error as Error).stack ?? error}\n`);
		process.exit(1);
	},
);
