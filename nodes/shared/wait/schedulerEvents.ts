import type { FailureKind } from '../errors';
import { isTerminal, type NormalizedJob } from '../job';
import { learnDuration, planNextLook } from './expectedCompletion';
import { answeredHeld, lookNow } from './longPoll';
import type { OutcomeState, SchedulerState, Slot } from './scheduler';

/**
 * What happened to a slot (a submission or a poll answered or failed), recorded into the
 * scheduler's state. Plain functions of the state: no HTTP, no clock.
 */


export function startSubmit(slot: Slot, holdsAccountSlot: boolean): void {
	slot.phase = 'submitting';
	slot.holdsAccountSlot = holdsAccountSlot;
}

export function finish(slot: Slot, state: OutcomeState, error?: unknown): void {
	slot.phase = 'done';
	slot.state = state;
	if (error !== undefined) slot.error = error;
}

/** Why a job that the vendor reports finished, but without a video URL we can read, was given up on. */
export const NO_VIDEO_URL = 'the vendor reports the job finished, but its answer has no video URL the node can read';

/**
 * Applies a job status (from a create answer or a poll); returns true when the job just ended.
 * A job reported successful without a readable video URL is looked at a few more times; then it
 * is given up on as one we lost track of (its id and the vendor's word kept), never called
 * failed: the vendor said it succeeded, and a `failed` row invites paying for it again.
 */
export function recordJob(state: SchedulerState, slot: Slot, job: NormalizedJob): boolean {
	slot.job = job;
	if (isTerminal(job.status)) {
		finish(slot, 'finished');
		return true;
	}
	if (job.resultPending) {
		slot.resultPendingPolls++;
		if (slot.resultPendingPolls > state.plan.maxResultPendingPolls) {
			finish(slot, 'pollFailed', new Error(NO_VIDEO_URL));
			return true;
		}
	} else slot.resultPendingPolls = 0;
	return false;
}

/**
 * The next look at a job: around its expected completion as the batch's finished jobs tell it,
 * never later than the interval (expectedCompletion.ts); soon when it reported success without a URL.
 */
function scheduleNextPoll(state: SchedulerState, slot: Slot, now: number): void {
	slot.heardAt = now;
	if (slot.job?.resultPending) {
		slot.nextPollAt = now + state.plan.firstPollDelayMs;
		slot.lookPlanned = false;
		return;
	}
	planNextLook(state, slot, now);
}

/** Returns true when the slot no longer needs its account slot (the job ended at once). */
export function submitSucceeded(
	state: SchedulerState,
	slot: Slot,
	created: { jobId: string; job?: NormalizedJob },
	now: number,
): boolean {
	slot.jobId = created.jobId;
	slot.error = undefined;
	slot.phase = 'running';
	if (created.job && recordJob(state, slot, created.job)) return true;
	if (!created.job) slot.job = undefined;
	slot.heardAt = now;
	slot.startedAt = now;
	slot.cadenceAt = now;
	if (state.readingTogether) {
		// Its first look is the next grouped read, which leaves within the interval.
		slot.lookPlanned = false;
		slot.nextPollAt = now + state.plan.pollIntervalMs;
	} else if (state.plan.longPollMaxMs) {
		// Looked at at once, held: an instant failure is seen as soon as a quick first look would see it.
		lookNow(slot, now);
	} else if (state.learnedDurationsMs.length === 0) {
		// A quick first look catches instant failures before anything is known of the batch; once
		// jobs have finished, the first look is planned like any other (never later than the interval).
		slot.lookPlanned = false;
		slot.nextPollAt = now + state.plan.firstPollDelayMs;
	} else {
		planNextLook(state, slot, now);
	}
	return false;
}

const TRY_LATER: ReadonlySet<FailureKind> = new Set<FailureKind>(['rateLimit', 'concurrencyLimit']);
const ACCOUNT_REFUSALS: ReadonlySet<FailureKind> = new Set<FailureKind>(['auth', 'credit', 'permission']);

/**
 * A submission failed. "Try later" refusals (nothing was created) put the item back in line
 * after the vendor's delay; account refusals stop further submissions; anything else is this
 * item's own outcome.
 */
export function submitFailed(
	state: SchedulerState,
	slot: Slot,
	kind: FailureKind,
	error: unknown,
	now: number,
	retryAfterMs?: number,
): void {
	slot.error = error;
	if (TRY_LATER.has(kind)) {
		slot.phase = 'pending';
		if (kind === 'concurrencyLimit') {
			// The item waits with the others for a slot: until one of the jobs ends, or the delay passes.
			slot.nextSubmitAt = now;
			state.slotsFullUntil = Math.max(state.slotsFullUntil, now + Math.max(state.plan.concurrencyRetryMs, retryAfterMs ?? 0));
		} else {
			slot.nextSubmitAt = now + (retryAfterMs ?? state.plan.rateLimitRetryMs);
			state.rateLimitedUntil = Math.max(state.rateLimitedUntil, slot.nextSubmitAt);
		}
		return;
	}
	if (kind === 'uncertainCreate') return finish(slot, 'maybeCreated');
	if (kind === 'cancelled') return finish(slot, 'cancelled');
	if (kind === 'deadline') return finish(slot, 'notSubmitted');
	if (ACCOUNT_REFUSALS.has(kind) && state.accountRefusal === undefined) state.accountRefusal = error;
	finish(slot, 'submitFailed');
}

/** A status request leaves at `now`; the vendor may hold it `holdMs` (long-polling; 0 = plain). */
export function startPoll(slot: Slot, now = slot.pollSentAt, holdMs = 0): void {
	slot.polling = true;
	slot.pollSentAt = now;
	slot.pollHoldMs = holdMs;
}

/** Returns true when the job just ended (its account slot can be released). */
export function pollSucceeded(state: SchedulerState, slot: Slot, job: NormalizedJob, now: number): boolean {
	slot.polling = false;
	slot.failedPolls = 0;
	slot.error = undefined;
	const before = slot.job;
	if (recordJob(state, slot, job)) {
		learnDuration(state, slot, job, now);
		// A running-job slot may have freed: waiting items may try at once.
		state.slotsFullUntil = Math.min(state.slotsFullUntil, now);
		return true;
	}
	// A held answer (long-polling) was a look that lasted: the next one goes out at once.
	if (!job.resultPending && answeredHeld(slot, before, job, now)) lookNow(slot, now);
	else scheduleNextPoll(state, slot, now);
	return false;
}

/** The longest pause between two status checks of a job whose checks keep failing. */
const MAX_FAILED_POLL_BACKOFF_MS = 5 * 60_000;

/**
 * A status check failed (after the transport's own retries). Whatever the error — one the vendor
 * did not document, an unknown code, even a refused key — the job still exists and only the vendor
 * can say it failed: it is checked again, each time later (doubling from the poll interval), until
 * `maxFailedPolls` checks in a row failed or the wait limit passes. A job given up on comes out
 * with its id, its last known status and the last error (outcome `pollFailed`), never as failed.
 * Returns true when the scheduler gave up on the job.
 */
export function pollFailed(state: SchedulerState, slot: Slot, kind: FailureKind, error: unknown, now: number): boolean {
	slot.polling = false;
	slot.error = error;
	if (kind === 'cancelled' || kind === 'deadline') {
		scheduleNextPoll(state, slot, now);
		return false;
	}
	slot.failedPolls++;
	slot.lookPlanned = false;
	if (slot.failedPolls >= state.plan.maxFailedPolls) {
		finish(slot, 'pollFailed', error);
		return true;
	}
	const { pollIntervalMs } = state.plan;
	const backoff = Math.min(pollIntervalMs * 2 ** (slot.failedPolls - 1), Math.max(pollIntervalMs, MAX_FAILED_POLL_BACKOFF_MS));
	slot.nextPollAt = now + backoff;
	return false;
}

