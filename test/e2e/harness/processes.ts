import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

/**
 * Child processes of the harness. Each one runs in its own process group (n8n starts task
 * runners of its own) with stdout+stderr in a log file; all of them are killed when the test
 * process exits or is interrupted, so no n8n outlives a test run.
 */
export interface ManagedProcess {
	readonly name: string;
	readonly logFile: string;
	readonly child: ChildProcess;
	/** Resolves with the exit code (or the signal name) once the process has ended. */
	readonly exited: Promise<number | string>;
	hasExited(): boolean;
	/** SIGTERM, then SIGKILL to the whole group after `graceMs`. */
	stop(graceMs?: number): Promise<void>;
	log(): string;
}

const live = new Set<ManagedProcess>();

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
	if (!pid) return;
	try {
		process.kill(-pid, signal);
	} catch (error) {
		// ESRCH: the group is already gone, which is what we want.
		if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
	}
}

function killAllNow(): void {
	for (const proc of live) signalGroup(proc.child.pid, 'SIGKILL');
	live.clear();
}

process.once('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.once(signal, () => {
		// Someone else handles it (npm start stops n8n gracefully): the exit handler is the backstop.
		if (process.listenerCount(signal) > 0) return;
		killAllNow();
		process.exit(128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal]);
	});
}

export function readLog(file: string): string {
	return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** n8n's JSON log lines as `hh:mm:ss level message [error]`; other lines unchanged. */
export function readableLog(text: string): string {
	return text
		.split('\n')
		.map((line) => {
			if (!line.startsWith('{"level"')) return line;
			try {
				const { level, message, metadata } = JSON.parse(line) as {
					level: string;
					message: string;
					metadata?: { timestamp?: string; error?: unknown };
				};
				const error = metadata?.error ? ` ${JSON.stringify(metadata.error)}` : '';
				return `${metadata?.timestamp?.slice(11, 19) ?? ''} ${level} ${message}${error}`;
			} catch {
				return line; // a JSON-looking line cut short by the process dying: show it as it is
			}
		})
		.join('\n');
}

export function tail(text: string, lines = 80): string {
	return readableLog(text).split('\n').slice(-lines).join('\n');
}

export function spawnLogged(
	name: string,
	command: string,
	args: string[],
	options: { env: NodeJS.ProcessEnv; cwd: string; logFile: string },
): ManagedProcess {
	const fd = openSync(options.logFile, 'a');
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env,
		stdio: ['ignore', fd, fd],
		detached: true,
	});
	closeSync(fd);
	let done = false;
	const exited = new Promise<number | string>((resolve) => {
		child.once('exit', (code, signal) => {
			done = true;
			live.delete(proc);
			resolve(code ?? signal ?? 'unknown');
		});
		child.once('error', (error) => {
			done = true;
			live.delete(proc);
			resolve(`spawn error: ${error.message}`);
		});
	});
	const proc: ManagedProcess = {
		name,
		logFile: options.logFile,
		child,
		exited,
		hasExited: () => done,
		log: () => readLog(options.logFile),
		async stop(graceMs = 10_000) {
			if (!done) {
				signalGroup(child.pid, 'SIGTERM');
				const timer = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
				await Promise.race([exited, timer]);
			}
			// Also reaps what the process left behind in its group (task runners).
			signalGroup(child.pid, 'SIGKILL');
			await exited;
		},
	};
	live.add(proc);
	return proc;
}

export interface CommandResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs a command to completion with captured output; kills its group after `timeoutMs`. */
export function runCommand(
	command: string,
	args: string[],
	options: { env?: NodeJS.ProcessEnv; cwd: string; timeoutMs: number },
): Promise<CommandResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		const entry = { child } as ManagedProcess;
		live.add(entry);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const timer = setTimeout(() => {
			signalGroup(child.pid, 'SIGKILL');
			reject(
				new Error(
					`"${command} ${args.join(' ')}" timed out after ${options.timeoutMs} ms\n${tail(stdout + stderr, 40)}`,
				),
			);
		}, options.timeoutMs);
		child.once('error', (error) => {
			clearTimeout(timer);
			live.delete(entry);
			reject(error);
		});
		child.once('close', (code) => {
			clearTimeout(timer);
			live.delete(entry);
			signalGroup(child.pid, 'SIGKILL');
			resolve({ code, stdout, stderr });
		});
	});
}
