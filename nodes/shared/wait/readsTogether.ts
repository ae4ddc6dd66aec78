import { lookNow } from './longPoll';
import type { SchedulerState } from './scheduler';

/**
 * Whether the running jobs are read together (the adapter's StatusOfMany capability, grouped
 * reads: groupedReads.ts). One request looks at up to the adapter's ids a request, so a look costs
 * a share of a request only when jobs are looked at at the same moment: they keep one grid, each
 * grouped read takes along the jobs not yet due, and no look is planned apart from it (neither a
 * first look right after the create nor one at a job's expected completion, expectedCompletion.ts).
 * The Poll Interval stays the latest a completion is noticed, at a few requests per interval for
 * the whole batch.
 *
 * With long-polling, a held read looks at one job and costs a request each time it ends (at most
 * the vendor's longest hold): cheaper than grouped reads only while each job can have one. So
 * jobs are read together while more may run at once than status requests may be open (counting
 * items still to be created, as far as the account's free running-job slots let them start), and
 * each gets a held read once they fit: at once, not at the grid's next read, since a held read
 * notices a completion the moment it happens (so the batch's last jobs add nothing to its wall).
 */

export const groupsReads = (state: SchedulerState): boolean => (state.plan.maxIdsPerStatusRead ?? 0) >= 2 && !state.groupedReadsOff;

/** More jobs may run at once (running, or still to be created) than status requests may be open. */
export function crowded(state: SchedulerState): boolean {
	let started = 0;
	let pending = 0;
	for (const slot of state.slots) {
		if (slot.phase === 'running' || slot.phase === 'submitting') started++;
		else if (slot.phase === 'pending' && state.accountRefusal === undefined) pending++;
	}
	return started + Math.min(pending, state.freeAccountSlots ?? Infinity) > state.plan.maxConcurrentPolls;
}

export const readsTogether = (state: SchedulerState): boolean => groupsReads(state) && (!state.plan.longPollMaxMs || crowded(state));

/**
 * Whether jobs are read together is decided once per decision (`state.readingTogether`, what the
 * events between decisions go by). When the crowd has just thinned to what the open requests fit,
 * every running job that waited for the grid's next read is looked at (held) at once.
 */
export function decideReadsTogether(state: SchedulerState, now: number): void {
	const together = readsTogether(state);
	if (state.readingTogether && !together && state.plan.longPollMaxMs) {
		for (const slot of state.slots) {
			const waitsForGrid = slot.phase === 'running' && !slot.polling && slot.failedPolls === 0 && !slot.singleReadDue && !slot.job?.resultPending;
			if (waitsForGrid && slot.nextPollAt > now) lookNow(slot, now);
		}
	}
	state.readingTogether = together;
}
