import type { NormalizedJob } from '../job';
import type { Decision, OutcomeState, SchedulerState } from './scheduler';

export interface JobOutcome {
	itemIndex: number;
	state: OutcomeState;
	jobId?: string;
	job?: NormalizedJob;
	error?: unknown;
}

/** The outcome of every item once waiting ended (`end` says why it ended). */
export function outcomes(state: SchedulerState, end: Decision['end']): JobOutcome[] {
	return state.slots.map((slot) => {
		let outcome: OutcomeState;
		if (slot.phase === 'done') outcome = slot.state!;
		else if (slot.phase === 'pending') outcome = end === 'cancelled' ? 'cancelled' : 'notSubmitted';
		else if (end === 'cancelled') outcome = 'cancelled';
		else if (end === 'deadline') outcome = 'timedOut';
		else outcome = 'submitted';
		const result: JobOutcome = { itemIndex: slot.itemIndex, state: outcome, jobId: slot.jobId, job: slot.job };
		const error = slot.phase === 'pending' && state.accountRefusal !== undefined ? state.accountRefusal : slot.error;
		if (error !== undefined) result.error = error;
		return result;
	});
}
