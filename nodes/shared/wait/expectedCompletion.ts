import type { NormalizedJob } from '../job';
import type { SchedulerState, Slot } from './scheduler';

/**
 * Completion-aware polling, as pure arithmetic. The jobs of one batch are alike (same vendor,
 * same model, similar inputs), so the durations of those that finished say when the others will:
 * each remaining job is looked at around its expected completion instead of on a blind grid.
 *
 * The poll interval stays the ceiling: no job ever goes longer than the interval without a look
 * (so a completion is never noticed later than the interval after it happened, whatever was
 * learned); what is learned only moves looks earlier, to land just after a likely completion.
 * Before anything finished, and for a job older than every duration learned and the batch's
 * spread, polling is the plain interval.
 *
 * Why not fewer requests than a blind grid: with the interval as a hard ceiling, a job that takes
 * D needs ceil(D / interval) looks whatever is known, which a grid already spends; what learning
 * buys is where the last look lands (just after the completion instead of up to an interval
 * later), and fewer looks where the engine otherwise looks faster than the interval (while items
 * wait for a running-job slot). Long-polling (a status call the vendor holds open until the job
 * changes) notices at once with fewer requests: where the adapter offers it (longPoll.ts), a held
 * answer is followed by the next held request at once and these planned looks do not apply; nor
 * do they where jobs are read together (readsTogether.ts).
 */

/** A look planned at a learned duration lands this much after it (answers take a moment to flip). */
const LANDING_MARGIN_MS = 250;
/** Never two looks at one job closer than this, whatever the learned spread. */
const MIN_STEP_MS = 500;
/** Which part of the durations still possible the next look waits for: most of them, not all. */
const TARGET_QUANTILE = 0.75;
/** Looks at a job past every learned duration are planned only once this share of the batch finished. */
const MIN_FINISHED_SHARE = 0.25;
/** A job past every learned duration is looked at no sooner than this part of the interval. */
const MIN_OVERDUE_STEP = 0.5;

function parseTime(value: unknown): number | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? undefined : ms;
}

/** The vendor's own account of how long the job ran, when its answer carries both timestamps. */
export function vendorDurationMs(job: NormalizedJob): number | undefined {
	const created = parseTime(job.createdAt);
	const completed = parseTime(job.completedAt);
	if (created === undefined || completed === undefined || completed < created) return undefined;
	return completed - created;
}

/**
 * A job just succeeded (answer read at `now`): its duration joins what the batch knows. The
 * vendor's timestamps are exact; without them the completion lies between the last answer that
 * said "running" and this one, and the middle of that span is taken. Failures are not learned:
 * a job that fails (a bad input URL) says nothing about how long the others render.
 */
export function learnDuration(state: SchedulerState, slot: Slot, job: NormalizedJob, now: number): void {
	if (job.status !== 'succeeded') return;
	const exact = vendorDurationMs(job);
	const observed = (slot.heardAt + now) / 2 - slot.startedAt;
	const duration = exact ?? observed;
	if (!(duration >= 0)) return;
	const learned = state.learnedDurationsMs;
	learned.splice(sortedIndex(learned, duration), 0, duration);
}

/** Running jobs of the batch (started no later than `startedBy`, other than `except`). */
const runningJobs = (state: SchedulerState, startedBy = Infinity, except?: Slot) =>
	state.slots.filter((s) => s.phase === 'running' && s !== except && s.startedAt <= startedBy).length;

function sortedIndex(sorted: number[], value: number): number {
	let low = 0;
	let high = sorted.length;
	while (low < high) {
		const mid = (low + high) >> 1;
		if (sorted[mid] <= value) low = mid + 1;
		else high = mid;
	}
	return low;
}

/**
 * When to look at a running job next, after an answer at `now` said it is still running. The
 * blind cadence (one interval after the last look on it) stays the backbone and the ceiling; at
 * most one look per interval is planned before it, at the learned duration most jobs of this age
 * have finished by (the TARGET_QUANTILE of the durations still possible for it) or — once the job
 * outlived every learned duration — after the batch's spread or as long again as it is overdue,
 * whichever is longer. A planned look that finds the job done replaces the blind one (same count,
 * noticed sooner); one that misses costs a single extra request in that interval, never more.
 */
export function planNextLook(state: SchedulerState, slot: Slot, now: number): void {
	const planned = plannedLookAt(state, slot, now);
	slot.lookPlanned = planned !== undefined;
	slot.nextPollAt = planned ?? slot.cadenceAt;
}

/**
 * The batch learned durations since the last decision: the jobs answered earlier in the same
 * round were planned before the batch knew them (a round that notices the first completions
 * answers most jobs before a quarter of the batch has finished), so each of them that still waits
 * for its blind look is planned again, as of its last answer. Without this, those of them still
 * running are noticed up to an interval after they finish, and the batch's wall waits for them.
 */
export function replanAfterLearning(state: SchedulerState, now: number): void {
	const learned = state.learnedDurationsMs.length;
	if (learned === state.learnedAtLastDecision) return;
	state.learnedAtLastDecision = learned;
	if (state.plan.longPollMaxMs || state.readingTogether) return;
	for (const slot of state.slots) {
		const waitsForBlindLook = slot.phase === 'running' && !slot.polling && !slot.lookPlanned && !slot.plannedInCadence;
		if (waitsForBlindLook && slot.failedPolls === 0 && !slot.job?.resultPending && slot.nextPollAt > now) planNextLook(state, slot, slot.heardAt);
	}
}

function plannedLookAt(state: SchedulerState, slot: Slot, now: number): number | undefined {
	const interval = state.plan.pollIntervalMs;
	if (slot.cadenceAt <= now) {
		slot.cadenceAt = now + interval;
		slot.plannedInCadence = false;
	}
	const learned = state.learnedDurationsMs;
	// Jobs read together keep one grid: a look of its own would cost a whole request.
	if (learned.length === 0 || slot.plannedInCadence || state.readingTogether) return undefined;
	const age = now - slot.startedAt;
	const stillPossible = learned.slice(sortedIndex(learned, age));
	let step: number | undefined;
	if (stillPossible.length > 0) {
		// Running jobs at least as old as this one have not told their durations yet; counting
		// them as finishing later keeps a batch's early (short) finishers from pulling looks early.
		const atRisk = stillPossible.length + runningJobs(state, now - age, slot);
		const needed = Math.ceil(TARGET_QUANTILE * atRisk);
		if (needed >= 1 && needed <= stillPossible.length) step = stillPossible[needed - 1] + LANDING_MARGIN_MS - age;
	} else if (learned.length >= MIN_FINISHED_SHARE * (learned.length + runningJobs(state))) {
		// Older than every job that finished, while a good share of the batch has finished: the
		// batch is finishing now, and this job most likely within the batch's spread.
		const longest = learned[learned.length - 1];
		step = Math.max(longest - learned[0], age - longest, interval * MIN_OVERDUE_STEP);
	}
	if (step === undefined) return undefined;
	const planned = now + Math.max(MIN_STEP_MS, step);
	if (planned >= slot.cadenceAt) return undefined;
	slot.plannedInCadence = true;
	return planned;
}
