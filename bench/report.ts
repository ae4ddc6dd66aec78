/** Turns the measurements into one table (console and BENCHMARKS.md). */
import type { BatchResults, RunTiming } from './batch';
import type { BenchConfig } from './config';
import type { CpuResult } from './cpu';
import { TINY_SIZE, type MemoryCase } from './memory';
import type { RealN8nResults } from './realN8n';
import type { TriggerTarget } from './trigger';
import { fmt, median, percentile } from './stats';

export interface Results {
	batch?: BatchResults;
	memory?: MemoryCase[];
	cpu?: CpuResult;
	n8n?: RealN8nResults;
	errors: string[];
}

export type Row = [measurement: string, target: string, measured: string, verdict: string, notes: string];

const verdict = (ok: boolean | undefined) => (ok === undefined ? '—' : ok ? 'meets' : 'MISSES');
const sizeName = (bytes: number) => (bytes >= 1024 ** 3 ? `${bytes / 1024 ** 3} GiB` : `${bytes / 1024 ** 2} MiB`);
const MiB = (bytes: number) => `${fmt(bytes / 1024 ** 2, 1)} MiB`;

export function buildRows(results: Results, config: BenchConfig): Row[] {
	const rows: Row[] = [];
	const interval = config.pollSeconds * 1000;
	const D = `D ≈ ${config.jobMs / 1000} s ± ${config.jitterMs / 1000} s`;
	const reps = (n: number) => `median of ${n} run${n === 1 ? '' : 's'}`;
	const boundRatio = (run: RunTiming) => run.wallMs / (run.maxJobMs + interval);
	const { batch, n8n, memory, cpu } = results;

	if (batch) {
		const ours = median(batch.ours.map(boundRatio));
		rows.push([
			`1. Batch wall time, ours (Create and Wait, Personate, N=${config.batchItems}, ${D}, poll ${config.pollSeconds} s; in-process n8n-core)`,
			'≤ 1.10 × (max D + 1 interval)',
			`${fmt(ours)} × (${fmt(median(batch.ours.map((r) => r.wallMs)) / 1000, 1)} s)`,
			verdict(ours <= 1.1),
			reps(batch.ours.length),
		]);
		const seq = median(batch.sequential.map(boundRatio));
		const perItem = median(batch.sequential.map((r) => r.wallMs / r.items));
		const at = config.batchItems;
		const bound = median(batch.ours.map((r) => r.maxJobMs + interval));
		rows.push([
			`1. One item at a time (today's nodes: our engine per item, concurrency 1), measured at N=${config.sequentialItems}`,
			'baseline',
			`${fmt(seq)} × at N=${config.sequentialItems}; ≈ ${fmt((perItem * at) / bound, 1)} × extrapolated to N=${at} (≈ ${fmt((perItem * at) / 60_000, 0)} min)`,
			'—',
			`${reps(batch.sequential.length)}; SCALED DOWN: grows linearly with N (${fmt(perItem / 1000, 1)} s per item)`,
		]);
		const vozoBound = (r: RunTiming) => Math.ceil(r.items / 10) * config.jobMs;
		const vozo = median(batch.vozo.map((r) => r.wallMs / vozoBound(r)));
		rows.push([
			`1. Batch wall time, ours, Vozo (10 running jobs max), N=${config.vozoItems}, ${D}`,
			'≤ 1.10 × ceil(N/10)·D',
			`${fmt(vozo)} × (${fmt(median(batch.vozo.map((r) => r.wallMs)) / 1000, 1)} s; max running at Vozo ${Math.max(...batch.vozo.map((r) => r.maxActive))})`,
			verdict(vozo <= 1.1),
			`${reps(batch.vozo.length)}; SCALED DOWN from N=200; bound uses nominal D and no polling; ` +
				`${fmt(median(batch.vozo.map((r) => r.statusPerJob)), 1)} status requests per job (running jobs polled every ` +
				`${fmt(Math.min(config.pollSeconds, Math.max(1, config.pollSeconds / 4)), 2)} s while items wait for a slot); ` +
				`vs ceil(N/10)·(max D + interval): ${fmt(median(batch.vozo.map((r) => r.wallMs / (Math.ceil(r.items / 10) * (r.maxJobMs + interval)))))} ×`,
		]);
	}
	if (n8n) {
		const loop = median(n8n.loop.map(boundRatio));
		rows.push([
			`1. Hand-built n8n loop (HTTP Request → Wait ${config.pollSeconds} s → HTTP Request → If → back), real n8n, N=${config.batchItems}`,
			'baseline',
			`${fmt(loop)} × (${fmt(median(n8n.loop.map((r) => r.wallMs)) / 1000, 1)} s, n8n's startedAt→stoppedAt)`,
			'—',
			`${reps(n8n.loop.length)}; ${fmt(median(n8n.loop.map((r) => r.statusPerJob)))} status requests per job`,
		]);
	}
	if (batch) {
		const perJob = median(batch.economy.map((e) => e.statusPerJob));
		const ideal = median(batch.economy.map((e) => e.idealPerJob));
		rows.push([
			`2. Status requests per completed job (ours, N=${config.batchItems})`,
			'≤ 1.2 × ideal ceil(D/interval)+1',
			`${fmt(perJob)} vs ideal ${fmt(ideal)} = ${fmt(perJob / ideal)} ×`,
			verdict(perJob / ideal <= 1.2),
			`${reps(batch.economy.length)}; from the sandbox request log`,
		]);
		const notice = batch.economy.flatMap((e) => e.noticeMs);
		const med = median(notice);
		rows.push([
			'2. Completion noticed after (sandbox completion → first status answer reporting it)',
			`median ≤ 1 interval (${config.pollSeconds} s)`,
			`median ${fmt(med / 1000)} s, p95 ${fmt(percentile(notice, 95) / 1000)} s`,
			verdict(med <= interval),
			`${notice.length} jobs over ${batch.economy.length} run(s)`,
		]);
	}
	if (memory) rows.push(...memoryRows(memory));
	if (cpu) {
		rows.push([
			'4. CPU per create',
			'—',
			`${fmt(cpu.createMs)} ms`,
			'—',
			`${cpu.items} creates in one Create run (n8n-core execution overhead included)`,
		]);
		rows.push([
			'4. CPU per status cycle',
			'—',
			`${fmt(cpu.pollStatusMs)} ms while waiting; ${fmt(cpu.getMs)} ms via Get`,
			'—',
			`${cpu.statusCalls} status calls over 3 poll rounds with ${cpu.heapJobs} jobs waiting; Get over ${cpu.items} ids`,
		]);
		rows.push([
			`4. Heap growth per 1000 jobs in flight`,
			'—',
			`${MiB(cpu.heapPer1000)} (${cpu.heapPerRound >= 0 ? '+' : '−'}${MiB(Math.abs(cpu.heapPerRound))} per poll round, noise)`,
			'—',
			`${cpu.heapJobs} jobs waiting in Create and Wait, heapUsed after gc vs before`,
		]);
	}
	if (n8n) rows.push(...triggerRows(n8n, config));
	return rows;
}

function memoryRows(memory: MemoryCase[]): Row[] {
	const rows: Row[] = [];
	/** Medians over the runs of a case, with how many runs there were. */
	const find = (mode: MemoryCase['mode'], warm: boolean, size: number, gc = 0) => {
		const runs = memory.filter((m) => m.mode === mode && m.warm === warm && m.size === size && m.minorGcEveryMs === gc);
		if (runs.length === 0) return undefined;
		return { growth: median(runs.map((m) => m.growth)), baseline: median(runs.map((m) => m.baseline)), runs: runs.length };
	};
	type Found = NonNullable<ReturnType<typeof find>>;
	const runsNote = (m: { runs: number }) => (m.runs === 1 ? '1 run' : `median of ${m.runs} runs`);
	const sizes = [...new Set(memory.filter((m) => m.size > TINY_SIZE).map((m) => m.size))].sort((a, b) => a - b);
	const warmOurs = sizes.map((size) => find('ours', true, size)).filter((m): m is Found => m !== undefined);
	const spread = warmOurs.length > 1 ? Math.max(...warmOurs.map((m) => m.growth)) - Math.min(...warmOurs.map((m) => m.growth)) : 0;
	const method = 'child process, VmHWM after clear_refs, gc before the baseline';
	const tinyCold = find('ours', false, TINY_SIZE);
	const tinyWarm = find('ours', true, TINY_SIZE);
	if (tinyCold && tinyWarm) {
		rows.push([
			'3. Fixed first-use cost: ours, 1 MiB result, first download in a fresh process (cold) vs after one download (warm)',
			'—',
			`cold ${MiB(tinyCold.growth)}, warm ${MiB(tinyWarm.growth)}`,
			'—',
			`${runsNote(tinyCold)} each; ${method}; cold = loading the download path (binary data service, HTTP client) once per process`,
		]);
	}
	for (const size of sizes) {
		const warm = find('ours', true, size);
		const cold = find('ours', false, size);
		const plain = find('plain', true, size);
		const buffered = find('buffered', true, size);
		if (warm) {
			rows.push([
				`3. Peak RSS growth, ours: Get + Download Video (streamed), ${sizeName(size)} result, WARM (after a 1 MiB download in the same process)`,
				'≤ 64 MiB, flat in file size',
				`${MiB(warm.growth)} (baseline RSS ${MiB(warm.baseline)})`,
				verdict(warm.growth <= 64 * 1024 ** 2),
				`${runsNote(warm)}; ${method}; spread across sizes ${MiB(spread)}; plain Node stream (node:http → fs, no n8n) same size, same method: ${plain ? `${MiB(plain.growth)} (${runsNote(plain)})` : 'n/a'}`,
			]);
		}
		if (cold) {
			rows.push([
				`3. Peak RSS growth, ours, ${sizeName(size)} result, COLD (the process's first download)`,
				'— (first-use cost included)',
				`${MiB(cold.growth)} (baseline RSS ${MiB(cold.baseline)})`,
				'—',
				`${runsNote(cold)}; ${method}`,
			]);
		}
		if (buffered) {
			rows.push([
				`3. Peak RSS growth, buffered download (httpRequest arraybuffer → prepareBinaryData), ${sizeName(size)} result`,
				'comparison',
				`${MiB(buffered.growth)} (baseline RSS ${MiB(buffered.baseline)})`,
				'—',
				'1 run; same method, warm',
			]);
		}
	}
	const held = memory.find((m) => m.mode === 'ours' && m.minorGcEveryMs > 0);
	if (held) {
		rows.push([
			`3. Memory the streamed download holds: ours, ${sizeName(held.size)}, warm, young-generation gc every ${held.minorGcEveryMs} ms`,
			'comparison',
			`${MiB(held.growth)}`,
			'—',
			'1 run; the rest of the WARM growth is dead 64 KiB socket chunks that V8 collects only once about 64 MiB of them have piled up (plain Node shows the same)',
		]);
	}
	return rows;
}

function triggerRows(n8n: RealN8nResults, config: BenchConfig): Row[] {
	const runs = n8n.trigger;
	const rate = (name: TriggerTarget) => median(runs[name].map((r) => r.perSecond));
	const cpu = (name: TriggerTarget) => `${fmt(median(runs[name].map((r) => r.cpuMsPerDelivery)), 0)} ms`;
	const failed = Object.values(runs).flat().reduce((sum, r) => sum + r.failed, 0);
	const [t, w, we] = [rate('trigger'), rate('webhook'), rate('webhookExpression')];
	const how = `median of ${runs.trigger.length} runs of ${config.triggerSeconds} s at concurrency ${config.triggerConcurrency}, order rotated; ${failed} non-2xx`;
	return [
		[
			'5. Trigger throughput, Lip Sync Trigger (JoggAI, signatures checked, duplicates dropped) vs n8n Webhook node, real n8n',
			'≥ 0.8 × Webhook node',
			`${fmt(t, 1)}/s vs ${fmt(w, 1)}/s = ${fmt(t / w)} ×`,
			verdict(t / w >= 0.8),
			`${how}; n8n CPU per delivery: ours ${cpu('trigger')}, Webhook node ${cpu('webhook')}`,
		],
		[
			"5. Control: Lip Sync Trigger vs n8n Webhook node with one expression parameter (n8n then runs its webhook phase in a V8 isolate, as for every trigger node but the plain Webhook node)",
			'comparison',
			`${fmt(t, 1)}/s vs ${fmt(we, 1)}/s = ${fmt(t / we)} ×`,
			'—',
			`same runs; n8n CPU per delivery: Webhook node with expression ${cpu('webhookExpression')}`,
		],
	];
}

const HEAD = ['Measurement', 'Target', 'Measured', 'Verdict', 'Notes'];

export function consoleTable(rows: Row[]): string {
	const widths = HEAD.map((h, i) => Math.min(70, Math.max(h.length, ...rows.map((r) => r[i].length))));
	const cut = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
	const line = (cells: string[]) => cells.map((c, i) => cut(c, widths[i])).join(' │ ');
	return [line(HEAD), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...rows.map(line)].join('\n');
}

export function markdownTable(rows: Array<string[]>, head: string[] = HEAD): string {
	const esc = (c: string) => c.replace(/\|/g, '\\|');
	return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}
