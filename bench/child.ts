/** Runs a bench/*Child.ts file in its own Node process (tsx) and returns the JSON it prints last. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const TSX = join(__dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');

export function runChild<T>(file: string, env: Record<string, string>, timeoutMs: number): Promise<T> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--expose-gc', TSX, join(__dirname, file)], {
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
