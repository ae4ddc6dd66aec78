/** Runs a bench/*Child.ts file in its own Node process and returns the JSON it prints last. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// tsx's loader registered in the child's own Node, not through the tsx CLI: the CLI starts yet
// another Node process without our flags, so `--expose-gc` was lost and every `gc()` in the
// children was silently a no-op (baselines and heap figures were taken without a collection).
const TSX_LOADER = pathToFileURL(join(__dirname, '..', 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export function runChild<T>(file: string, env: Record<string, string>, timeoutMs: number): Promise<T> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--expose-gc', '--import', TSX_LOADER, join(__dirname, file)], {
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.stderr.on('data', (chunk) => (err += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const line = out.trim().split('\n').pop() ?? '';
			if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as T);
			else reject(new Error(`${file} exited ${code ?? signal}: ${err.slice(-2000)}`));
		});
	});
}

/** Children call this first: a measurement that relies on gc() must not run without it. */
export function requireGc(): () => void {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (typeof gc !== 'function') throw new Error('bench child started without --expose-gc: gc() would be a silent no-op');
	return gc;
}
