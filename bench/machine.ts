/** The machine and software the numbers were measured on. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

const versionOf = (packageJson: string): string => {
	const file = join(ROOT, packageJson);
	return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : 'not installed';
};

function gitCommit(): string {
	try {
		return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
	} catch (error) {
		return `unknown (${(error as Error).message.split('\n')[0]})`;
	}
}

export function describeMachine(command: string): Array<[string, string]> {
	const cpu = cpus();
	return [
		['CPU', `${cpu[0]?.model ?? 'unknown'}`],
		['Cores', String(cpu.length)],
		['Memory', `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`],
		['Load average at start (1/5/15 min)', loadavg().map((l) => l.toFixed(2)).join(' / ')],
		['Node', process.version],
		['n8n (real instance)', versionOf('test/n8n/node_modules/n8n/package.json')],
		['n8n-core / n8n-workflow (in-process)', `${versionOf('node_modules/n8n-core/package.json')} / ${versionOf('node_modules/n8n-workflow/package.json')}`],
		['Commit', gitCommit()],
		['Date', new Date().toISOString()],
		['Command', command],
	];
}
