import { isTerminal, type NormalizedJob } from '../job';
import { factsOf, isTransient } from '../errors';
import type { Clock } from './clock';

/**
 * The scheduler: every item's job is in flight at once. Items are submitted as the vendor's
 * limits allow (running-job cap, rate windows inside the transport), polled on their own
 * clocks with a bounded number of status calls at a time, until each ends, the wait limit
 * passes, or the user stops the execution. One job's trouble never ends another job's wait.
 */

export interface JobTask {
	itemIndex: number;
	/** Known when the job already exists (Get/Wait, or a Retry On Fail re-run). */
	jobId?: string;
	job?: NormalizedJob;
	/** Sends the paid create; called at most once per task (except after a concurrency refusal). */
	submit?: () => Promise<{ jobId: string; job?: NormalizedJob }>;
}

export type OutcomeState =
	| 'finished' // reached succeeded/failed
	| 'submitted' // untilSubmitted mode: the job exists, its status is its first one
	| 'timedOut' // still queued/processing at the wait limit
	| 'pollFailed' // its status calls kept failing; last known status kept
	| 'submitFailed'
	| 'notSubmitted' // never sent: limit still full at the wait limit, or stopped after another failure
	| 'cancelled';

export interface JobOutcome {
	itemIndex: number;
	state: OutcomeState;
	jobId?: string;
	job?: NormalizedJob;
	error?: unknown;
}

export interface WaitPlan {
	/** `untilDone`: wait for terminal statuses. `untilSubmitted`: stop once every job exists. */
	mode: 'untilDone' | 'untilSubmitted';
	pollIntervalMs: number;
	/**
	 * Poll interval while items wait for a free running-job slot (default: a quarter of
	 * pollIntervalMs, at least 1 s, never more than pollIntervalMs).
	 */
	slotWaitPollIntervalMs?: number;
	firstPollDelayMs: number;
	/** Absolute time (clock ms) when waiting stops. */
	deadline: number;
	maxRunningJobs?: number;
	maxConcurrentPolls: number;
	maxConcurrentSubmits: number;
	/** After a "too many running jobs" refusal, when to try the next submission. */
	concurrencyRetryMs: number;
	/** Consecutive poll rounds whose calls failed (after their own retries) before giving up on a job. */
	maxFailedPolls: number;
	/** Stop submitting new items once one submission fails (the node will throw anyway). */
	stopSubmittingOnFailure: boolean;
}

export interface WaitDeps {
	clock: Clock;
	isCancelled: () => boolean;
	poll: (jobId: string) => Promise<NormalizedJob>;
	/** Told about every job id the moment it exists (so Retry On Fail never submits it again). */
	onSubmitted?: (itemIndex: number, jobId: string) => void;
}

interface Slot {
	task: JobTask;
	phase: 'pending' | 'submitting' | 'running' | 'done';
	state?: OutcomeState;
	jobId?: string;
	job?: NormalizedJob;
	error?: unknown;
	nextSubmitAt: number;
	/** Next poll at the normal cadence. */
	nextPollAt: number;
	/** When the job was last heard of (last poll answered, or submitted): the base of the short cadence. */
	heardAt: number;
	polling: boolean;
	failedPolls: number;
}

const TICK_MS = 250;
const MIN_SLOT_WAIT_POLL_MS = 1_000;

export async function waitForJobs(tasks: JobTask[], plan: WaitPlan, deps: WaitDeps): Promise<JobOutcome[]> {
	const { clock } = deps;
	const start = clock.now();
	const slots: Slot[] = tasks.map((task) => ({
		task,
		phase: task.jobId ? 'running' : task.submit ? 'pending' : 'done',
		state: task.jobId || task.submit ? undefined : 'notSubmitted',
		jobId: task.jobId,
		job: task.job,
		nextSubmitAt: start,
		nextPollAt: start + (task.job ? plan.firstPollDelayMs : 0),
		heardAt: start,
		polling: false,
		failedPolls: 0,
	}));
	for (const slot of slots) {
		if (slot.phase === 'running' && slot.job && isTerminal(slot.job.status)) finish(slot, 'finished');
	}
	const slotWaitIntervalMs = Math.min(
		plan.pollIntervalMs,
		plan.slotWaitPollIntervalMs ?? Math.max(MIN_SLOT_WAIT_POLL_MS, plan.pollIntervalMs / 4),
	);
	const inflight = new Set<Promise<void>>();
	let submissionsBlockedUntil = start;
	let stopSubmitting = false;

	const track = (work: Promise<void>) => {
		const done = work.finally(() => inflight.delete(done));
		inflight.add(done);
	};
	const count = (phase: Slot['phase']) => slots.filter((s) => s.phase === phase).length;

	function finish(slot: Slot, state: OutcomeState, error?: unknown) {
		slot.phase = 'done';
		slot.state = state;
		if (error !== undefined) slot.error = error;
	}

	async function submit(slot: Slot): Promise<void> {
		try {
			const created = await slot.task.submit!();
			slot.jobId = created.jobId;
			slot.job = created.job;
			deps.onSubmitted?.(slot.task.itemIndex, created.jobId);
			if (created.job && isTerminal(created.job.status)) finish(slot, 'finished');
			else if (plan.mode === 'untilSubmitted' && !needsPolling()) finish(slot, 'submitted');
			else {
				slot.phase = 'running';
				slot.heardAt = clock.now();
				slot.nextPollAt = slot.heardAt + plan.firstPollDelayMs;
			}
		} catch (error) {
			const facts = factsOf(error);
			if (facts.kind === 'concurrencyLimit') {
				// Nothing was created: the vendor refused because the account is full (maybe
				// with someone else's jobs). Try again later, not a retry of a paid create.
				slot.phase = 'pending';
				slot.nextSubmitAt = clock.now() + plan.concurrencyRetryMs;
				submissionsBlockedUntil = slot.nextSubmitAt;
				slot.error = error;
				return;
			}
			if (facts.kind === 'cancelled') {
				finish(slot, 'cancelled', error);
				return;
			}
			finish(slot, 'submitFailed', error);
			if (plan.stopSubmittingOnFailure) stopSubmitting = true;
		}
	}

	async function poll(slot: Slot): Promise<void> {
		slot.polling = true;
		try {
			const job = await deps.poll(slot.jobId!);
			slot.job = job;
			slot.failedPolls = 0;
			slot.error = undefined;
			if (isTerminal(job.status)) {
				finish(slot, 'finished');
				submissionsBlockedUntil = clock.now(); // a slot freed up
			}
		} catch (error) {
			const facts = factsOf(error);
			slot.error = error;
			if (facts.kind === 'cancelled') return;
			slot.failedPolls++;
			if (!isTransient(facts.kind) || slot.failedPolls >= plan.maxFailedPolls) finish(slot, 'pollFailed', error);
		} finally {
			slot.polling = false;
			slot.heardAt = clock.now();
			slot.nextPollAt = slot.heardAt + plan.pollIntervalMs;
		}
	}

	/** In untilSubmitted mode we only poll to learn when running jobs free the vendor's slots. */
	function needsPolling(): boolean {
		if (plan.mode === 'untilDone') return true;
		return !stopSubmitting && slots.some((s) => s.phase === 'pending') && plan.maxRunningJobs !== undefined;
	}

	function launchSubmissions(now: number) {
		if (stopSubmitting || now < submissionsBlockedUntil) return;
		for (const slot of slots) {
			if (slot.phase !== 'pending' || slot.nextSubmitAt > now) continue;
			if (!canSubmitMore()) return;
			slot.phase = 'submitting';
			track(submit(slot));
		}
	}

	/**
	 * Items wait for one of the vendor's running-job slots (ours are all taken). Then every
	 * finished job noticed sooner starts the next item sooner, which shortens the whole batch, so
	 * running jobs are polled at the short cadence. Otherwise the normal interval keeps the
	 * request count down.
	 */
	function waitingForSlot(): boolean {
		if (plan.maxRunningJobs === undefined || stopSubmitting) return false;
		if (!slots.some((s) => s.phase === 'pending')) return false;
		return count('running') + count('submitting') >= plan.maxRunningJobs;
	}

	/** A job whose last status call failed keeps the normal interval: its give-up count is in rounds. */
	const pollDueAt = (slot: Slot, shortCadence: boolean): number =>
		shortCadence && slot.failedPolls === 0 ? Math.min(slot.nextPollAt, slot.heardAt + slotWaitIntervalMs) : slot.nextPollAt;

	function launchPolls(now: number) {
		if (!needsPolling()) return;
		const shortCadence = waitingForSlot();
		let polling = slots.filter((s) => s.polling).length;
		const due = slots
			.filter((s) => s.phase === 'running' && !s.polling && pollDueAt(s, shortCadence) <= now)
			.sort((a, b) => pollDueAt(a, shortCadence) - pollDueAt(b, shortCadence));
		for (const slot of due) {
			if (polling >= plan.maxConcurrentPolls) return;
			polling++;
			track(poll(slot));
		}
	}

	function canSubmitMore(): boolean {
		const submitting = count('submitting');
		if (stopSubmitting || submitting >= plan.maxConcurrentSubmits) return false;
		return plan.maxRunningJobs === undefined || count('running') + submitting < plan.maxRunningJobs;
	}

	/** When the next thing that could be started now is due; blocked work waits for in-flight calls. */
	function nextDueAt(): number {
		let next = Infinity;
		const submitOpen = canSubmitMore();
		const pollOpen = needsPolling() && slots.filter((s) => s.polling).length < plan.maxConcurrentPolls;
		const shortCadence = pollOpen && waitingForSlot();
		for (const s of slots) {
			if (s.phase === 'pending' && submitOpen) next = Math.min(next, Math.max(s.nextSubmitAt, submissionsBlockedUntil));
			if (s.phase === 'running' && !s.polling && pollOpen) next = Math.min(next, pollDueAt(s, shortCadence));
		}
		return next;
	}

	function settled(): boolean {
		if (inflight.size > 0) return false;
		// The node is going to fail on that submission: report what exists now, do not wait for it.
		if (stopSubmitting) return true;
		if (slots.every((s) => s.phase === 'done')) return true;
		const pending = !stopSubmitting && slots.some((s) => s.phase === 'pending');
		return plan.mode === 'untilSubmitted' && !pending;
	}

	let endState: OutcomeState | undefined;
	for (;;) {
		if (deps.isCancelled()) {
			endState = 'cancelled';
			break;
		}
		const now = clock.now();
		if (settled()) break;
		if (now >= plan.deadline) {
			endState = 'timedOut';
			break;
		}
		launchSubmissions(now);
		launchPolls(now);
		const wait = Math.max(1, Math.min(TICK_MS, nextDueAt() - now, plan.deadline - now));
		if (inflight.size > 0) await Promise.race([...inflight, clock.sleep(wait)]);
		else if (!settled()) await clock.sleep(wait);
	}
	// A create already on the wire must be heard out: it may have made a paid job.
	await Promise.all([...inflight]);

	return slots.map((slot) => {
		let state = slot.state;
		if (slot.phase !== 'done') {
			if (slot.phase === 'pending') state = endState === 'cancelled' ? 'cancelled' : 'notSubmitted';
			else if (plan.mode === 'untilSubmitted' && !endState) state = 'submitted';
			else state = endState ?? 'submitted';
		}
		const outcome: JobOutcome = { itemIndex: slot.task.itemIndex, state: state!, jobId: slot.jobId, job: slot.job };
		if (slot.error !== undefined) outcome.error = slot.error;
		return outcome;
	});
}
