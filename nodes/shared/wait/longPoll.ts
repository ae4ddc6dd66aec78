import type { NormalizedJob } from '../job';
import type { SchedulerState, Slot } from './scheduler';

/**
 * Long-polling (the adapter's LongPolling capability), as pure decisions: how long the vendor may
 * hold the next status request, and whether an answer came back held, so that the next request
 * goes out at once instead of after a poll delay.
 *
 * A held request is a look that lasts: while it is open the job's completion is seen the moment it
 * happens, so the Poll Interval (the latest a completion may be noticed) is kept as long as every
 * running job has one open. When more jobs run than status requests may be open at once, some
 * wait for a free one; then holds last no longer than the interval, so none waits longer — unless
 * the adapter reads several jobs in one request (StatusOfMany): then no read is held until the jobs
 * fit, and they are read together at the interval (readsTogether.ts). The wait
 * limit bounds every hold; Stop aborts the open ones (the transport passes n8n's cancel signal);
 * the vendor's read rate limit paces them in the transport like any request.
 */

/** Vendors take holds in whole seconds; a shorter one would be a plain request. */
const HOLD_UNIT_MS = 1_000;

/**
 * The hold for a status request sent at `now` (0 = a plain request): the vendor's longest, never
 * past the wait limit, and no longer than the poll interval while jobs wait for a request slot.
 */
export function holdFor(state: SchedulerState, now: number, jobsWaitForRequestSlot: boolean): number {
	const { longPollMaxMs, pollIntervalMs, deadline } = state.plan;
	if (!longPollMaxMs) return 0;
	let hold = Math.min(longPollMaxMs, deadline - now);
	if (jobsWaitForRequestSlot) hold = Math.min(hold, pollIntervalMs);
	return Math.max(0, Math.floor(hold / HOLD_UNIT_MS) * HOLD_UNIT_MS);
}

/**
 * Whether a status answer came back held, so the next request may go out at once: it answered a
 * held request and either the job changed or the vendor kept the request at least half its hold.
 * A vendor that answers a held request at once with nothing new did not hold it: asking again at
 * once would be a tight loop, so the job goes back to the normal cadence.
 */
export function answeredHeld(slot: Slot, before: NormalizedJob | undefined, job: NormalizedJob, now: number): boolean {
	if (slot.pollHoldMs <= 0) return false;
	if (before?.status !== job.status || before?.providerStatus !== job.providerStatus) return true;
	return now - slot.pollSentAt >= slot.pollHoldMs / 2;
}

/** A job to look at at once: its next status request goes out (held) without a poll delay. */
export function lookNow(slot: Slot, now: number): void {
	slot.heardAt = now;
	slot.nextPollAt = now;
	slot.lookPlanned = false;
}
