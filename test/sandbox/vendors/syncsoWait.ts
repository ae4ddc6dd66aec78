/**
 * sync.so's long-polling status read (docs/vendors.md § sync.so, the status row):
 * `GET /v2/generate/{id}?wait=true&timeout=<s>` is held until the generation is COMPLETED, FAILED
 * or REJECTED, or `<s>` seconds pass (1–10, default 5; a value outside → 400), then answered 200
 * with the generation as it is, and the headers `Retry-After: 2`, `X-Sync-Wait-Mode: long_poll`,
 * `X-Sync-Wait-Timeout-Seconds: <s>`. `include=progress` cannot be combined with `wait` (400).
 *
 * ASSUMPTIONS (undocumented; the sandbox picks one):
 * - `wait` is on for the value `true` only (`wait=1` and others are a plain read).
 * - The 400 for a bad `timeout` or `wait` with `include=progress` is sync.so's validation refusal
 *   (`generation_input_validation_failed`, like a create's).
 * - A held read the client gives up on (it closes the connection) ends there.
 */
import type { Ctx } from '../http';
import type { SandboxJob } from '../jobs';

const DEFAULT_WAIT_SECONDS = 5;
const MAX_WAIT_SECONDS = 10;
/** How often a held read looks at its job (jobs end on the sandbox's own timers). */
const LOOK_EVERY_MS = 20;

/** The hold a status read asks for: none, its seconds, or why it is refused. */
export function heldReadOf(url: URL): { seconds: number } | { refused: string } | undefined {
	if (url.searchParams.get('wait') !== 'true') return undefined;
	if ((url.searchParams.get('include') ?? '').split(',').includes('progress')) return { refused: 'wait cannot be combined with include=progress' };
	const raw = url.searchParams.get('timeout');
	const seconds = raw === null ? DEFAULT_WAIT_SECONDS : Number(raw);
	if (!Number.isFinite(seconds) || seconds < 1 || seconds > MAX_WAIT_SECONDS) return { refused: `timeout must be a number from 1 to ${MAX_WAIT_SECONDS}` };
	return { seconds };
}

const ended = (job: SandboxJob) => job.phase === 'succeeded' || job.phase === 'failed';

/** Holds the read until the job ended, the hold passed, or the client went away. */
export async function holdRead(ctx: Ctx, job: SandboxJob, seconds: number): Promise<void> {
	const until = Date.now() + seconds * 1000;
	let gone = false;
	const leave = () => (gone = true);
	ctx.res.once('close', leave);
	try {
		while (!ended(job) && !gone && Date.now() < until) {
			await new Promise((resolve) => setTimeout(resolve, Math.min(LOOK_EVERY_MS, until - Date.now())));
		}
	} finally {
		ctx.res.off('close', leave);
	}
}

export const heldReadHeaders = (seconds: number): Record<string, string | number> => ({
	'Retry-After': 2,
	'X-Sync-Wait-Mode': 'long_poll',
	'X-Sync-Wait-Timeout-Seconds': seconds,
});
