import { sleep } from 'n8n-workflow';

/**
 * Time as the engine sees it. Injected so tests can drive the scheduler, the retry policy and
 * the rate limiters with a fake clock instead of real minutes.
 */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms: number) => await sleep(ms),
};

/** Longest single sleep, so that stopping the execution is noticed within a second. */
const SLEEP_SLICE_MS = 250;

/**
 * Sleeps `ms` in slices of at most SLEEP_SLICE_MS, checking `isCancelled` between slices.
 * Returns false when it stopped early because of cancellation.
 */
export async function pause(clock: Clock, ms: number, isCancelled: () => boolean): Promise<boolean> {
	const until = clock.now() + Math.max(0, ms);
	while (clock.now() < until) {
		if (isCancelled()) return false;
		await clock.sleep(Math.min(SLEEP_SLICE_MS, until - clock.now()));
	}
	return !isCancelled();
}
