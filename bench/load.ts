/** A fixed-concurrency HTTP load generator (undici) for the trigger throughput measurement. */
import { Pool } from 'undici';

export interface LoadResult {
	ok: number;
	failed: number;
	seconds: number;
	perSecond: number;
	firstFailure?: string;
}

export interface LoadRequest {
	path: string;
	headers: Record<string, string>;
	body: string;
}

/**
 * `concurrency` senders post back to back for `seconds` (plus a hard cap on the request count);
 * only 2xx answers count as delivered.
 */
export async function runLoad(
	origin: string,
	concurrency: number,
	seconds: number,
	next: (sequence: number) => LoadRequest,
): Promise<LoadResult> {
	const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
	const maxRequests = seconds * 5_000;
	let sequence = 0;
	let ok = 0;
	let failed = 0;
	let firstFailure: string | undefined;
	const started = performance.now();
	const end = started + seconds * 1000;
	const sender = async () => {
		while (performance.now() < end && sequence < maxRequests) {
			const request = next(sequence++);
			try {
				const res = await pool.request({ method: 'POST', ...request, headersTimeout: 30_000, bodyTimeout: 30_000 });
				const text = await res.body.text();
				if (res.statusCode >= 200 && res.statusCode < 300) ok++;
				else {
					failed++;
					firstFailure ??= `HTTP ${res.statusCode} ${text.slice(0, 200)}`;
				}
			} catch (error) {
				failed++;
				firstFailure ??= (error as Error).message;
			}
		}
	};
	await Promise.all(Array.from({ length: concurrency }, sender));
	const elapsed = (performance.now() - started) / 1000;
	await pool.close();
	return { ok, failed, seconds: elapsed, perSecond: ok / elapsed, firstFailure };
}
