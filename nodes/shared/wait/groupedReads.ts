import type { FailureKind } from '../errors';
import type { NormalizedJob } from '../job';
import { groupsReads } from './readsTogether';
import type { SchedulerState, Slot } from './scheduler';
import { pollFailed, pollSucceeded } from './schedulerEvents';

/**
 * Grouped status reads (the adapter's StatusOfMany capability), as pure decisions: which of the
 * jobs due for a look go out as one request naming several of them, and what its answer means.
 *
 * When jobs are read together (readsTogether.ts: always without long-polling; with it, while jobs
 * outnumber the status requests that may be open), the jobs due are read in requests of up to the
 * vendor's ids each, together with the running jobs not yet due (soonest first, as far as the open
 * requests allow: they are looked at within the interval anyway), so the batch falls into one
 * grid: the Poll Interval stays the latest a completion is noticed, with a few requests per
 * interval for the whole batch instead of one per job. Otherwise (long-polling,
 * the jobs fit the open requests) each job gets a held read of its own, a look that lasts.
 *
 * A job the answer does not name is not failed for it: its next look, at once, is a read of its
 * own (which says what became of it). A grouped read that failed (after the transport's retries)
 * is a failed look at every job it named, counted in the give-up rounds as any failed poll; one the
 * vendor refused as invalid or not found turns grouping off for the rest of the run (the vendor
 * does not take it as the adapter builds it) and its jobs are read one by one, with no round lost.
 */

export interface PlannedLooks {
	/** Each its own status request, held when the vendor offers it (the decision's pollHoldMs). */
	single: Slot[];
	/** Plain reads of several jobs each; a group of one is that job's own plain read. */
	groups: Slot[][];
	/** Jobs outnumber the status requests that may be open, and no grouped read looks at the others. */
	jobsWaitForRequestSlot: boolean;
}

/** Status requests open now: a grouped read is one, however many jobs it names. */
export function openStatusRequests(state: SchedulerState): number {
	const groups = new Set<number>();
	let single = 0;
	for (const slot of state.slots) {
		if (!slot.polling) continue;
		if (slot.pollGroup === undefined) single++;
		else groups.add(slot.pollGroup);
	}
	return single + groups.size;
}

/**
 * Splits the jobs due for a look now (soonest first) into requests, within the open-request cap.
 * `idle` are all running jobs without a request open (soonest due first): the jobs a grouped
 * read takes along.
 */
export function planLooks(state: SchedulerState, due: Slot[], idle: Slot[]): PlannedLooks {
	const { plan } = state;
	let room = plan.maxConcurrentPolls - openStatusRequests(state);
	if (!groupsReads(state)) {
		const lookedAfter = state.slots.filter((s) => s.phase === 'running' || s.phase === 'submitting').length;
		return { single: due.slice(0, Math.max(0, room)), groups: [], jobsWaitForRequestSlot: lookedAfter > plan.maxConcurrentPolls };
	}
	const single: Slot[] = [];
	const groups: Slot[][] = [];
	// A job a grouped answer left out: a plain read of its own, before anything else.
	const rest = due.filter((slot) => {
		if (!slot.singleReadDue) return true;
		if (room > 0) {
			groups.push([slot]);
			room--;
		}
		return false;
	});
	if (!state.readingTogether) {
		single.push(...rest.slice(0, Math.max(0, room)));
		return { single, groups, jobsWaitForRequestSlot: false };
	}
	if (rest.length > 0) {
		// A job whose reads failed keeps its backoff; one left out of an answer is read on its own.
		const going = new Set(rest);
		rest.push(...idle.filter((slot) => !going.has(slot) && slot.failedPolls === 0 && !slot.singleReadDue));
	}
	const maxIds = plan.maxIdsPerStatusRead!;
	while (rest.length > 0 && room > 0) {
		groups.push(rest.splice(0, maxIds));
		room--;
	}
	return { single, groups, jobsWaitForRequestSlot: false };
}

/** A grouped read of `slots` leaves at `now` (plain: never held). */
export function startGroupedRead(state: SchedulerState, slots: Slot[], now: number): void {
	const group = slots.length > 1 ? ++state.groupedReads : undefined;
	for (const slot of slots) {
		slot.polling = true;
		slot.pollSentAt = now;
		slot.pollHoldMs = 0;
		slot.pollGroup = group;
		slot.singleReadDue = false;
	}
}

/** A grouped read answered with `jobs`; returns the slots whose jobs just ended. */
export function groupedReadAnswered(state: SchedulerState, slots: Slot[], jobs: NormalizedJob[], now: number): Slot[] {
	const byId = new Map(jobs.map((job) => [job.jobId, job]));
	const ended: Slot[] = [];
	for (const slot of slots) {
		slot.pollGroup = undefined;
		const job = byId.get(slot.jobId!);
		if (job) {
			if (pollSucceeded(state, slot, job, now)) ended.push(slot);
			continue;
		}
		slot.polling = false;
		slot.singleReadDue = true;
		slot.nextPollAt = now;
		slot.lookPlanned = false;
	}
	return ended;
}

/** The vendor does not take the grouped read as built: a definite refusal, not trouble on the way. */
const REFUSED: ReadonlySet<FailureKind> = new Set<FailureKind>(['invalidInput', 'notFound']);

/** A grouped read failed (after the transport's retries); returns the slots given up on. */
export function groupedReadFailed(state: SchedulerState, slots: Slot[], kind: FailureKind, error: unknown, now: number): Slot[] {
	for (const slot of slots) slot.pollGroup = undefined;
	if (REFUSED.has(kind) && slots.length > 1) {
		state.groupedReadsOff = true;
		for (const slot of slots) {
			slot.polling = false;
			slot.nextPollAt = now;
			slot.lookPlanned = false;
		}
		return [];
	}
	return slots.filter((slot) => pollFailed(state, slot, kind, error, now));
}
