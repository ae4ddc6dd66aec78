import type { NormalizedJob } from '../job';
import { planLooks } from './groupedReads';
import { replanAfterLearning } from './expectedCompletion';
import { holdFor } from './longPoll';
import { decideReadsTogether, readsTogether } from './readsTogether';
import { recordJob } from './schedulerEvents';

export {
	pollFailed,
	pollSucceeded,
	startPoll,
	startSubmit,
	submitFailed,
	submitSucceeded,
} from './schedulerEvents';

/**
 * The scheduler's decisions, apart from their effects: a plain state, `decide` (state + now →
 * what to submit, what to poll, whether to end, when to look again) and, in schedulerEvents.ts,
 * what happened. No HTTP, no clock, no promises here; `waitForJobs` performs the decisions.
 */

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
	/**
	 * The vendor caps running jobs per account: only then are running jobs polled while submitting
	 * (also whenever the account's slots know a limit, declared by the credential or learned).
	 */
	capsRunningJobs: boolean;
	/**
	 * The vendor counts status reads in the same requests a minute that bound its creates: while
	 * items wait to be created, a read (of a job most likely still rendering) would take a create's
	 * place and start a job a window later, so reads wait until every item is sent.
	 */
	readsShareCreateBudget?: boolean;
	maxConcurrentPolls: number;
	maxConcurrentSubmits: number;
	/** After a "too many running jobs" refusal, when to try the next submission. */
	concurrencyRetryMs: number;
	/** After a rate-limit refusal without a Retry-After, when to try again. */
	rateLimitRetryMs: number;
	/** Consecutive poll rounds whose calls failed (after their own retries), further apart each time, before giving up on a job. */
	maxFailedPolls: number;
	/** Polls that may still report "success" without a video URL before the job counts as failed. */
	maxResultPendingPolls: number;
	/** The vendor can hold a status request this long until the job changes (long-polling, longPoll.ts); absent: it cannot. */
	longPollMaxMs?: number;
	/** The vendor reads the status of this many jobs in one request (groupedReads.ts); absent: one job a request. */
	maxIdsPerStatusRead?: number;
}

export type OutcomeState =
	| 'finished' // reached succeeded/failed
	| 'submitted' // untilSubmitted mode: the job exists, its status is its first one
	| 'timedOut' // still queued/processing at the wait limit
	| 'pollFailed' // its status calls kept failing: lost track of a job that exists; last known status kept
	| 'submitFailed' // the vendor refused the create (or an upload before it): nothing was created
	| 'maybeCreated' // the create got no clear answer: a paid job may exist, never resent
	| 'notSubmitted' // never sent: limits stayed full until the wait limit, or the account was refused
	| 'cancelled';

export interface Slot {
	itemIndex: number;
	phase: 'pending' | 'submitting' | 'running' | 'done';
	state?: OutcomeState;
	jobId?: string;
	job?: NormalizedJob;
	/** The last error met (kept for the outcome even when the item later recovers or waits). */
	error?: unknown;
	nextSubmitAt: number;
	/** Next poll at the normal cadence. */
	nextPollAt: number;
	/** When the job was last heard of (last poll answered, or submitted): the base of the short cadence. */
	heardAt: number;
	/** When the job was known to exist (its create answered; for a job handed in, when waiting began): its age's origin. */
	startedAt: number;
	/** nextPollAt is a look planned at the job's expected completion (expectedCompletion.ts), not the blind cadence. */
	lookPlanned: boolean;
	/** The blind cadence's next look (one interval after the last one): the latest the job is looked at. */
	cadenceAt: number;
	/** A look was already planned before cadenceAt (at most one per interval). */
	plannedInCadence: boolean;
	polling: boolean;
	/** When the status request in flight (or the last one) was sent, and how long the vendor may hold it (0 = plain). */
	pollSentAt: number;
	pollHoldMs: number;
	/** The grouped read (several jobs in one request) the status request in flight belongs to. */
	pollGroup?: number;
	/** A grouped answer did not name the job: its next look is a read of its own. */
	singleReadDue: boolean;
	failedPolls: number;
	resultPendingPolls: number;
	/** Holds one of the account's running-job slots (released when the job ends). */
	holdsAccountSlot: boolean;
}

export interface SchedulerState {
	plan: WaitPlan;
	slots: Slot[];
	/** No submission starts before this: the vendor's rate limit said "try later". */
	rateLimitedUntil: number;
	/** No submission starts before this unless a job ends first: the account's running-job cap was full. */
	slotsFullUntil: number;
	/** An account-level refusal (bad key, no credit, no permission): nothing more is submitted. */
	accountRefusal?: unknown;
	/** Durations of this batch's succeeded jobs, sorted (expectedCompletion.ts). */
	learnedDurationsMs: number[];
	/** How many durations were learned at the last decision (expectedCompletion.ts re-plans when more are). */
	learnedAtLastDecision: number;
	/** Grouped reads sent so far (their ids); the vendor refused one: the run reads one job a request. */
	groupedReads: number;
	groupedReadsOff: boolean;
	/** The account's free running-job slots at the last decision (undefined: no known cap). */
	freeAccountSlots?: number;
	/** The running jobs are read together, as of the last decision (readsTogether.ts). */
	readingTogether: boolean;
}

export interface TaskSeed {
	itemIndex: number;
	jobId?: string;
	job?: NormalizedJob;
	canSubmit: boolean;
}

const MIN_SLOT_WAIT_POLL_MS = 1_000;

export function initialState(seeds: TaskSeed[], plan: WaitPlan, now: number): SchedulerState {
	const state: SchedulerState = { plan, slots: [], rateLimitedUntil: now, slotsFullUntil: now, learnedDurationsMs: [], learnedAtLastDecision: 0, groupedReads: 0, groupedReadsOff: false, readingTogether: false };
	for (const seed of seeds) {
		const slot: Slot = {
			itemIndex: seed.itemIndex,
			phase: seed.jobId ? 'running' : seed.canSubmit ? 'pending' : 'done',
			state: seed.jobId || seed.canSubmit ? undefined : 'notSubmitted',
			jobId: seed.jobId,
			job: seed.job,
			nextSubmitAt: now,
			// A held first look sees an instant failure as soon as a delayed one would, and sooner.
			nextPollAt: now + (seed.job && !plan.longPollMaxMs ? plan.firstPollDelayMs : 0),
			heardAt: now,
			startedAt: now,
			lookPlanned: false,
			cadenceAt: now,
			plannedInCadence: false,
			polling: false,
			pollSentAt: now,
			pollHoldMs: 0,
			singleReadDue: false,
			failedPolls: 0,
			resultPendingPolls: 0,
			holdsAccountSlot: false,
		};
		state.slots.push(slot);
		if (slot.phase === 'running' && slot.job) recordJob(state, slot, slot.job);
	}
	state.readingTogether = readsTogether(state);
	return state;
}

/** What `decide` sees of the world beyond the state. */
export interface Surroundings {
	now: number;
	cancelled: boolean;
	/** Running-job slots the account has free now (all executions together); undefined = no known cap. */
	freeAccountSlots?: number;
}

export interface Decision {
	submit: Slot[];
	poll: Slot[];
	/** Plain reads of several jobs each (a group of one: that job's own plain read); groupedReads.ts. */
	pollGroups: Slot[][];
	/** How long the vendor may hold each of these status requests (long-polling; 0 = plain requests). */
	pollHoldMs: number;
	/** Set when waiting ends: everything settled, the wait limit passed, or the user stopped it. */
	end?: 'settled' | 'deadline' | 'cancelled';
	/** When something may next become due (the loop also wakes when work in flight settles). */
	wakeAt: number;
}

const count = (state: SchedulerState, phase: Slot['phase']) => state.slots.filter((s) => s.phase === phase).length;
const inFlight = (state: SchedulerState) => count(state, 'submitting') + state.slots.filter((s) => s.polling).length;

function submissionsOpen(state: SchedulerState): boolean {
	return state.accountRefusal === undefined;
}

const capsRunningJobs = (state: SchedulerState, surroundings: Surroundings) =>
	state.plan.capsRunningJobs || surroundings.freeAccountSlots !== undefined;

/**
 * In untilSubmitted mode jobs are polled only to learn when a capped account frees a slot; with
 * a request budget shared by creates and reads, not while items wait to be created (unless a
 * capped account needs reads to free its slots).
 */
function pollsWanted(state: SchedulerState, surroundings: Surroundings): boolean {
	const createsWaiting = state.slots.some((s) => s.phase === 'pending' || s.phase === 'submitting');
	if (state.plan.readsShareCreateBudget && createsWaiting && submissionsOpen(state) && !capsRunningJobs(state, surroundings)) return false;
	if (state.plan.mode === 'untilDone') return true;
	return capsRunningJobs(state, surroundings) && submissionsOpen(state) && count(state, 'pending') > 0;
}

/**
 * Items wait for one of the account's running-job slots. Then every finished job noticed sooner
 * starts the next item sooner, so running jobs are polled at the short cadence; otherwise the
 * normal interval keeps the request count down.
 */
function waitingForSlot(state: SchedulerState, surroundings: Surroundings): boolean {
	if (!capsRunningJobs(state, surroundings) || !submissionsOpen(state) || count(state, 'pending') === 0) return false;
	return (surroundings.freeAccountSlots ?? 1) === 0 || state.slotsFullUntil > surroundings.now;
}

function slotWaitInterval(plan: WaitPlan): number {
	return Math.min(
		plan.pollIntervalMs,
		plan.slotWaitPollIntervalMs ?? Math.max(MIN_SLOT_WAIT_POLL_MS, plan.pollIntervalMs / 4),
	);
}

/**
 * A job whose last status call failed keeps the normal interval: its give-up count is in rounds.
 * A look planned at the job's expected completion beats the short cadence, and the short cadence
 * starts only once the job is as old as the batch's shortest finished job: looking sooner would
 * only cost requests for a job the batch says is still running.
 */
function pollDueAt(state: SchedulerState, slot: Slot, shortCadence: boolean): number {
	if (!shortCadence || slot.failedPolls > 0 || slot.lookPlanned) return slot.nextPollAt;
	const shortLook = Math.max(slot.heardAt + slotWaitInterval(state.plan), slot.startedAt + (state.learnedDurationsMs[0] ?? 0));
	return Math.min(slot.nextPollAt, shortLook);
}

function settled(state: SchedulerState, surroundings: Surroundings): boolean {
	if (inFlight(state) > 0) return false;
	const open = submissionsOpen(state);
	return state.slots.every((s) => {
		if (s.phase === 'done') return true;
		if (s.phase === 'pending') return !open;
		return s.phase === 'running' && state.plan.mode === 'untilSubmitted' && !pollsWanted(state, surroundings);
	});
}

export function decide(state: SchedulerState, surroundings: Surroundings): Decision {
	const { now } = surroundings;
	const { plan } = state;
	state.freeAccountSlots = surroundings.freeAccountSlots;
	decideReadsTogether(state, now);
	replanAfterLearning(state, now);
	if (surroundings.cancelled) return { submit: [], poll: [], pollGroups: [], pollHoldMs: 0, end: 'cancelled', wakeAt: now };
	if (settled(state, surroundings)) return { submit: [], poll: [], pollGroups: [], pollHoldMs: 0, end: 'settled', wakeAt: now };
	if (now >= plan.deadline) return { submit: [], poll: [], pollGroups: [], pollHoldMs: 0, end: 'deadline', wakeAt: now };

	const submit: Slot[] = [];
	let wakeAt = plan.deadline;
	if (submissionsOpen(state)) {
		let capacity = plan.maxConcurrentSubmits - count(state, 'submitting');
		if (surroundings.freeAccountSlots !== undefined) capacity = Math.min(capacity, surroundings.freeAccountSlots);
		for (const slot of state.slots) {
			if (slot.phase !== 'pending') continue;
			const dueAt = Math.max(slot.nextSubmitAt, state.rateLimitedUntil, state.slotsFullUntil);
			if (dueAt > now) wakeAt = Math.min(wakeAt, dueAt);
			else if (capacity > 0) {
				submit.push(slot);
				capacity--;
			}
		}
	}

	let looks: ReturnType<typeof planLooks> = { single: [], groups: [], jobsWaitForRequestSlot: false };
	let pollHoldMs = 0;
	if (pollsWanted(state, surroundings)) {
		const shortCadence = waitingForSlot(state, surroundings);
		const due: Slot[] = [];
		const candidates = state.slots
			.filter((s) => s.phase === 'running' && !s.polling)
			.sort((a, b) => pollDueAt(state, a, shortCadence) - pollDueAt(state, b, shortCadence));
		for (const slot of candidates) {
			const dueAt = pollDueAt(state, slot, shortCadence);
			if (dueAt > now) {
				wakeAt = Math.min(wakeAt, dueAt);
				break;
			}
			due.push(slot);
		}
		looks = planLooks(state, due, candidates);
		// More jobs than status requests may be open at once, none looked at by grouped reads: some
		// wait for a request, so holds stay short.
		pollHoldMs = holdFor(state, now, looks.jobsWaitForRequestSlot);
	}
	return { submit, poll: looks.single, pollGroups: looks.groups, pollHoldMs, wakeAt: Math.max(now, wakeAt) };
}
