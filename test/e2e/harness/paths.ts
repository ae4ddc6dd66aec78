import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Repository root (this file lives in test/e2e/harness). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const N8N_DIR = join(REPO_ROOT, 'test', 'n8n');

/**
 * The folder holding a Node >= 24 binary: n8n 2.41 refuses older ones. Prefer the Node running
 * us (scripts/toolchain.sh put it on PATH); else the one toolchain.sh bootstrapped into .tools/.
 */
export function nodeBinDir(): string {
	if (Number(process.versions.node.split('.')[0]) >= 24) return dirname(process.execPath);
	const tools = join(REPO_ROOT, '.tools', 'node_modules', 'node', 'bin');
	if (existsSync(join(tools, 'node'))) return tools;
	throw new Error(
		`n8n 2.41 needs Node >= 24 but this is Node ${process.versions.node}: run "source scripts/toolchain.sh" first`,
	);
}

let n8nBin: string | undefined;

/** Installs the pinned n8n on first use (test/n8n/install.sh caches it) and returns its binary. */
export function ensureN8nInstalled(): string {
	if (n8nBin) return n8nBin;
	const out = execFileSync('bash', [join(N8N_DIR, 'install.sh')], {
		cwd: REPO_ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		timeout: 20 * 60_000,
	});
	const lines = out.trim().split('\n');
	n8nBin = lines[lines.length - 1];
	if (!n8nBin || !existsSync(n8nBin)) throw new Error(`test/n8n/install.sh did not produce n8n (${out})`);
	return n8nBin;
}

/** Environment for npm and n8n children: Node 24 first on PATH. npm_config_nodedir (set by
 * toolchain.sh for native builds) only makes npm warn, so it is left out. */
export function node24Env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const { npm_config_nodedir: _nodedir, ...env } = process.env;
	return { ...env, PATH: `${nodeBinDir()}:${process.env.PATH ?? ''}`, ...extra };
}
