/**
 * `npm run bench`: runs the measurements bench/README.md describes against the provider sandbox (and a real n8n
 * for the hand-built loop and the trigger), prints one table and writes BENCHMARKS.md.
 * Not part of `npm test`. BENCH_QUICK=1 for a short smoke run; see bench/README.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { runBatch } from './batch';
import { config, wants } from './config';
import { runCpu } from './cpu';
import { describeMachine } from './machine';
import { runMemory } from './memory';
import { runRealN8n } from './realN8n';
import { buildRows, consoleTable, markdownTable, type Results } from './report';

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function step<T>(name: string, results: Results, work: () => Promise<T>): Promise<T | undefined> {
	const started = Date.now();
	try {
		const value = await work();
		log(`${name} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
		return value;
	} catch (error) {
		const message = `${name} failed: ${(error as Error).stack ?? error}`;
		log(message);
		results.errors.push(message.split('\n').slice(0, 3).join(' '));
		return undefined;
	}
}

function command(): string {
	const env = Object.entries(process.env)
		.filter(([key]) => key.startsWith('BENCH_'))
		.map(([key, value]) => `${key}=${value}`);
	return [...env, 'npm run bench'].join(' ');
}

async function main() {
	const started = Date.now();
	const machine = describeMachine(command());
	const results: Results = { errors: [] };
	log(`${config.quick ? 'QUICK smoke run' : 'full run'}: ${JSON.stringify(config)}`);

	// The real-n8n part first: it starts while nothing else loads the machine.
	if (wants('n8n') && !config.skipN8n) results.n8n = await step('real n8n (hand-built loop, trigger)', results, () => runRealN8n(config, log));
	if (wants('batch')) results.batch = await step('batch wall time + request economy', results, () => runBatch(config, log));
	if (wants('memory')) results.memory = await step('memory', results, () => runMemory(config, log));
	if (wants('cpu')) results.cpu = await step('cpu + heap', results, () => runCpu(config, log));

	const rows = buildRows(results, config);
	const minutes = ((Date.now() - started) / 60_000).toFixed(1);
	process.stdout.write(`\n${consoleTable(rows)}\n\n`);
	if (results.errors.length) process.stdout.write(`Errors:\n${results.errors.map((e) => `- ${e}`).join('\n')}\n`);

	const title = config.quick
		? '# Benchmarks — QUICK smoke run (BENCH_QUICK=1: scaled-down sizes, not the full-size numbers)'
		: '# Benchmarks';
	const markdown = [
		title,
		'',
		'Produced by `npm run bench` (bench/README.md says what each row measures and how). Sandbox = the',
		'local fake vendor APIs over loopback HTTP; ratios are wall time over the physical bound.',
		'',
		markdownTable(rows),
		'',
		'Where the time and memory of the rows that miss go, measured: bench/README.md, "What the missed targets come from".',
		'',
		results.errors.length ? `**Errors in this run:**\n\n${results.errors.map((e) => `- ${e}`).join('\n')}\n` : '',
		'## Machine',
		'',
		markdownTable(machine, ['', '']),
		'',
		`Total bench time: ${minutes} min. Sizes: ${JSON.stringify({ ...config, only: undefined })}`,
		'',
	].join('\n');
	const target = process.env.BENCH_OUTPUT ?? join(__dirname, '..', 'BENCHMARKS.md');
	writeFileSync(target, markdown);
	log(`wrote ${target} (${minutes} min)`);
	return results.errors.length ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		process.stderr.write(`${(error as Error).stack ?? error}\n`);
		process.exit(1);
	},
);
