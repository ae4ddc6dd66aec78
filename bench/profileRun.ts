/**
 * Developer tool, not part of `npm run bench`: runs one bench part against a real n8n whose
 * processes write V8 CPU profiles (--cpu-prof) into BENCH_PROFILE_DIR, to find where n8n's CPU
 * goes. `BENCH_PROFILE_DIR=/tmp/prof BENCH_ONLY=pipeline node_modules/.bin/tsx bench/profileRun.ts`
 */
import { config } from './config';
import { PARTS } from './partList';
import { startBenchN8n } from './realN8n';
import type { RealN8n } from './realN8n';

const log = (line: string) => process.stderr.write(`[profile] ${line}\n`);

async function main() {
	const dir = process.env.BENCH_PROFILE_DIR;
	if (!dir) throw new Error('set BENCH_PROFILE_DIR');
	const part = PARTS.find((p) => p.key === config.only[0]);
	if (!part?.sharedN8n) throw new Error('BENCH_ONLY must name one part that uses the shared n8n');
	const n8n = await startBenchN8n({ env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` } }, log);
	try {
		const shared = { instance: async () => n8n, stop: async () => {} } as unknown as RealN8n;
		const rows = await part.run({ config, log, n8n: shared });
		for (const row of rows) log(row.join(' | '));
	} finally {
		await n8n.stop();
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`${(error as Error).stack ?? error}\n`);
		process.exit(1);
	},
);
