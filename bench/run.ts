/**
 * `npm run bench`: runs the parts (parts.ts) against the provider sandbox and a real n8n, prints
 * one table and writes BENCHMARKS.md after every part, so a part that fails (a row with its
 * error) or a run cut short never loses the rows of the parts that ran. Not part of `npm test`.
 * BENCH_QUICK=1 for a short smoke run; see bench/README.md.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import { config, wants } from './config';
import { describeMachine } from './machine';
import { failedRow, type Part, type PartContext, type Row } from './parts';
import { PARTS, STAGES } from './partList';
import { RealN8n } from './realN8n';
import { consoleTable, markdownDocument } from './report';

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function command(): string {
	const env = Object.entries(process.env)
		.filter(([key]) => key.startsWith('BENCH_'))
		.map(([key, value]) => `${key}=${value}`);
	return [...env, 'npm run bench'].join(' ');
}

async function main() {
	const started = Date.now();
	const machine = describeMachine(command());
	const target = process.env.BENCH_OUTPUT ?? join(__dirname, '..', 'BENCHMARKS.md');
	const selected = PARTS.filter((part) => wants(part.key) && !(part.realN8n && config.skipN8n));
	const rowsOf = new Map<string, Row[]>();
	const failed: string[] = [];
	const loads: number[] = [loadavg()[0]];
	const sampler = setInterval(() => loads.push(loadavg()[0]), 30_000);
	const ctx: PartContext = { config, log, n8n: new RealN8n(log) };
	log(`${config.quick ? 'QUICK smoke run' : 'full run'}: parts ${selected.map((p) => p.key).join(', ')}; ${JSON.stringify(config)}`);

	const write = () => {
		const rows = selected.flatMap((part) => rowsOf.get(part.key) ?? []);
		const markdown = markdownDocument({
			quick: config.quick,
			pending: selected.filter((part) => !rowsOf.has(part.key)).map((part) => part.key),
			rows,
			machine,
			load: `min ${Math.min(...loads).toFixed(2)}, median ${[...loads].sort((a, b) => a - b)[loads.length >> 1].toFixed(2)}, max ${Math.max(...loads).toFixed(2)}`,
			minutes: ((Date.now() - started) / 60_000).toFixed(1),
			sizes: JSON.stringify({ ...config, only: undefined }),
		});
		writeFileSync(target, markdown);
		return rows;
	};

	const runPart = async (part: Part) => {
		const partStarted = Date.now();
		log(`${part.key}: ${part.title}…`);
		try {
			rowsOf.set(part.key, await part.run(ctx));
			log(`${part.key} done in ${((Date.now() - partStarted) / 1000).toFixed(0)} s`);
		} catch (error) {
			log(`${part.key} FAILED: ${(error as Error).stack ?? error}`);
			failed.push(part.key);
			rowsOf.set(part.key, [failedRow(part, error)]);
		}
		write();
	};

	try {
		write();
		const needs = (key: string) => selected.some((part) => part.key === key);
		const burstsIn = (...settings: string[]) => needs('triggerBursts') && (config.burstSettings.length === 0 || settings.some((s) => config.burstSettings.includes(s)));
		ctx.n8n.prestart(
			selected.some((part) => part.sharedN8n && (part.key !== 'triggerBursts' || burstsIn('defaults'))),
			needs('triggerLegacy'),
			burstsIn('lazy', 'lazyThen'),
		);
		// Stages one after another; in a stage its lanes side by side, each lane's parts in order (partList.ts says why).
		for (const [index, stage] of STAGES.entries()) {
			const lanes = stage.map((lane) => lane.flatMap((key) => selected.filter((part) => part.key === key)));
			await Promise.all(lanes.map(async (lane) => {
				for (const part of lane) await runPart(part);
			}));
			const later = STAGES.slice(index + 1).flat(2);
			if (!selected.some((part) => part.sharedN8n && later.includes(part.key))) await ctx.n8n.stop();
		}
	} finally {
		clearInterval(sampler);
		await ctx.n8n.stop();
	}
	const rows = write();
	process.stdout.write(`\n${consoleTable(rows)}\n\n`);
	log(`wrote ${target} (${((Date.now() - started) / 60_000).toFixed(1)} min)${failed.length ? `; FAILED parts: ${failed.join(', ')}` : ''}`);
	return failed.length ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		process.stderr.write(`${(error as Error).stack ?? error}\n`);
		process.exit(1);
	},
);
