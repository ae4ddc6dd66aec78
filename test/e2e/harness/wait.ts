import type { ManagedProcess } from './processes';
import { tail } from './processes';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns a value other than undefined. Fails with `what` and, when
 * given, the tail of the log of a process that died or did not get there in time.
 */
export async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined>,
	options: { timeoutMs: number; intervalMs?: number; process?: ManagedProcess },
): Promise<T> {
	const deadline = Date.now() + options.timeoutMs;
	let lastError: unknown;
	for (;;) {
		if (options.process?.hasExited()) {
			throw new Error(
				`${what}: ${options.process.name} exited (${await options.process.exited})\n` +
					`--- ${options.process.logFile} ---\n${tail(options.process.log())}`,
			);
		}
		try {
			const value = await check();
			if (value !== undefined) return value;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
			const log = options.process
				? `\n--- ${options.process.logFile} ---\n${tail(options.process.log())}`
				: '';
			throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}${reason}${log}`);
		}
		await sleep(options.intervalMs ?? 250);
	}
}

/** Waits until GET `url` answers 200. */
export function waitForHttpOk(url: string, options: { timeoutMs: number; process?: ManagedProcess }) {
	return waitFor(
		`${url} to answer 200`,
		async () => {
			const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
			await res.arrayBuffer();
			return res.status === 200 ? true : undefined;
		},
		{ ...options, intervalMs: 300 },
	);
}
