import { factsOf } from '../errors';
import type { NormalizedJob } from '../job';
import type { SlotPool } from './runningJobSlots';
import type { Clock } from './clock';
import { groupedReadAnswered, groupedReadFailed, startGroupedRead } from './groupedReads';
import {
	decide,
	initialState,
	pollFailed,
	pollSucceeded,
	startPoll,
	startSubmit,
	submitFailed,
	submitSucceeded,
	type Decision,
	type Slot,
	type WaitPlan,
} from './scheduler';
import { outcomes, type JobOutcome } from './outcomes';

export type { JobOutcome } from './outcomes';
export type { OutcomeState, WaitPlan } from './scheduler';

/**
 * Performs the scheduler's decisions: every item's job is in flight at once, submitted as the
 * account's limits allow and polled on its own clock, until each ends, the wait limit passes or
 * the user stops the execution. One job's trouble never ends another job's wait.
 */

export interface JobTask {
	itemIndex: number;
	/** Known when the job already exists (Get/Wait, or a Retry On Fail re-run). */
	jobId?: string;
	job?: NormalizedJob;
	/** Sends the paid create; called again only after a "try later" refusal (nothing was created). */
	submit?: (deadline: number) => Promise<{ jobId: string; job?: NormalizedJob }>;
}

export interface WaitDeps {
	clock: Clock;
	isCancelled: () => boolean;
	/** Reads a job's status; `holdMs` > 0: with the vendor's long-polling, held up to that long (adapter.ts, LongPolling). */
	poll: (jobId: string, deadline: number, holdMs: number) => Promise<NormalizedJob>;
	/**
	 * Reads the status of several jobs in one request (adapter.ts, StatusOfMany): the jobs its answer
	 * names. Without it, a plan's `maxIdsPerStatusRead` is ignored.
	 */
	pollMany?: (jobIds: string[], deadline: number) => Promise<NormalizedJob[]>;
	/** Told about every job id the moment it exists (so Retry On Fail never submits it again). */
	onSubmitted?: (itemIndex: number, jobId: string) => void;
	/**
	 * The account's running-job slots, shared with other executions: their limit is declared (the
	 * credential's plan) or learned from the vendor's "too many running jobs" refusals.
	 */
	runningJobs?: SlotPool;
}

/** Longest sleep between two looks at the state, so a stop is noticed promptly. */
const TICK_MS = 250;

export async function waitForJobs(tasks: JobTask[], waitPlan: WaitPlan, deps: WaitDeps): Promise<JobOutcome[]> {
	const { clock } = deps;
	const plan = deps.pollMany ? waitPlan : { ...waitPlan, maxIdsPerStatusRead: undefined };
	const state = initialState(
		tasks.map((task) => ({ itemIndex: task.itemIndex, jobId: task.jobId, job: task.job, canSubmit: task.submit !== undefined })),
		plan,
		clock.now(),
	);
	const taskOf = new Map<Slot, JobTask>(state.slots.map((slot, index) => [slot, tasks[index]]));
	const inflight = new Set<Promise<void>>();
	const track = (work: Promise<void>) => {
		const done = work.finally(() => inflight.delete(done));
		inflight.add(done);
	};
	const releaseAccountSlot = (slot: Slot) => {
		if (!slot.holdsAccountSlot) return;
		slot.holdsAccountSlot = false;
		deps.runningJobs?.release();
	};

	async function submitOne(slot: Slot): Promise<void> {
		try {
			const created = await taskOf.get(slot)!.submit!(plan.deadline);
			deps.onSubmitted?.(slot.itemIndex, created.jobId);
			if (submitSucceeded(state, slot, created, clock.now())) releaseAccountSlot(slot);
		} catch (error) {
			const facts = factsOf(error);
			// Refused as "too many running jobs" (nothing created): the account is full with the others.
			if (facts.kind === 'concurrencyLimit' && slot.holdsAccountSlot) {
				deps.runningJobs?.refused(clock.now(), Math.max(plan.concurrencyRetryMs, facts.retryAfterMs ?? 0));
			}
			submitFailed(state, slot, facts.kind, error, clock.now(), facts.retryAfterMs);
			// A job that may exist keeps its slot until the run ends: the vendor may count it.
			if (slot.state !== 'maybeCreated') releaseAccountSlot(slot);
		}
	}

	async function pollOne(slot: Slot): Promise<void> {
		try {
			const job = await deps.poll(slot.jobId!, plan.deadline, slot.pollHoldMs);
			if (pollSucceeded(state, slot, job, clock.now())) releaseAccountSlot(slot);
		} catch (error) {
			const facts = factsOf(error);
			if (pollFailed(state, slot, facts.kind, error, clock.now())) releaseAccountSlot(slot);
		}
	}

	/** One request for the jobs of `slots`; a group of one is that job's own plain read. */
	async function pollGroup(slots: Slot[]): Promise<void> {
		try {
			const jobs = slots.length === 1 ? [await deps.poll(slots[0].jobId!, plan.deadline, 0)] : await deps.pollMany!(slots.map((slot) => slot.jobId!), plan.deadline);
			for (const slot of groupedReadAnswered(state, slots, jobs, clock.now())) releaseAccountSlot(slot);
		} catch (error) {
			const facts = factsOf(error);
			for (const slot of groupedReadFailed(state, slots, facts.kind, error, clock.now())) releaseAccountSlot(slot);
		}
	}

	let end: Decision['end'];
	try {
		for (;;) {
			const now = clock.now();
			const slots = deps.runningJobs;
			slots?.update(now);
			const decision = decide(state, { now, cancelled: deps.isCancelled(), freeAccountSlots: slots?.capped ? slots.free : undefined });
			if (decision.end) {
				end = decision.end;
				break;
			}
			for (const slot of decision.submit) {
				const holds = deps.runningJobs?.tryAcquire() ?? false;
				if (deps.runningJobs && !holds) break;
				startSubmit(slot, holds);
				track(submitOne(slot));
			}
			for (const slot of decision.poll) {
				startPoll(slot, now, decision.pollHoldMs);
				track(pollOne(slot));
			}
			for (const group of decision.pollGroups) {
				startGroupedRead(state, group, now);
				track(pollGroup(group));
			}
			const wait = Math.max(1, Math.min(TICK_MS, decision.wakeAt - now));
			if (inflight.size > 0) await Promise.race([...inflight, clock.sleep(wait)]);
			else await clock.sleep(wait);
		}
		// Requests on the wire settle before the outcome is read: a status call is bounded by the
		// wait limit plus a short grace, a create by its own timeout (cut off, its job id would be
		// lost), and n8n aborts them on Stop (a create aborted so becomes "maybe created"; its
		// item was already marked in the job ledger before it was sent).
		await Promise.all([...inflight]);
	} finally {
		for (const slot of state.slots) releaseAccountSlot(slot);
	}
	return outcomes(state, end);
}
