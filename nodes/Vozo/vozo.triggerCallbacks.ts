import { isTerminal, type JobStatus, type NormalizedJob } from '../shared/job';
import { DEDUPE_WINDOW, TriggerMemory } from '../LipSyncTrigger/dedupe';
import { VOZO_CALLBACK_REFERENCE_PARAM } from './vozo.adapter';

/**
 * One execution per Vozo job and final status. Vozo was seen sending "done" twice and a stale
 * "processing" after it; both must be acknowledged (2xx, or Vozo may count the callback as
 * failed) and start nothing. Key: the callback reference (`lipsync_ref`, one per job) in the
 * trigger's memory (dedupe.ts: per trigger, bounded, no await between check and record).
 * A final status is claimed before it is confirmed with Vozo, so a copy arriving during the
 * status request is dropped; a claim Vozo does not confirm is released again.
 */

interface CallbackState {
	/** The final status the workflow started for (or is being confirmed). */
	final?: JobStatus;
	/** Intermediate statuses that started the workflow (Include Intermediate Statuses). */
	seen: string[];
}

const callbacks = new TriggerMemory<CallbackState>(DEDUPE_WINDOW);

export type Admission =
	| { admitted: true; release(): void; settle(status: JobStatus): void }
	| { admitted: false; note: string };

const NOTHING = (): void => {};

export function admitCallback(
	triggerKey: string,
	reference: string | undefined,
	reported: NormalizedJob,
	includeIntermediate: boolean,
): Admission {
	const final = isTerminal(reported.status);
	const word = reported.providerStatus.trim().toLowerCase();
	if (!final && !includeIntermediate) {
		return { admitted: false, note: `Status "${reported.providerStatus}" is not final; the workflow was not started` };
	}
	// Without a reference there is nothing to tell two jobs apart by.
	if (reference === undefined) return { admitted: true, release: NOTHING, settle: NOTHING };

	const state = callbacks.get(triggerKey, reference);
	if (state?.final) {
		return {
			admitted: false,
			note: `The job of ${VOZO_CALLBACK_REFERENCE_PARAM} ${reference} already finished ("${state.final}"); this "${reported.providerStatus}" callback started nothing`,
		};
	}
	if (!final) {
		if (state?.seen.includes(word)) {
			return { admitted: false, note: `Status "${reported.providerStatus}" was already received for this job; nothing started` };
		}
		callbacks.set(triggerKey, reference, { seen: [...(state?.seen ?? []), word] });
		return { admitted: true, release: NOTHING, settle: NOTHING };
	}

	const claimed: CallbackState = { final: reported.status, seen: state?.seen ?? [] };
	callbacks.set(triggerKey, reference, claimed);
	return {
		admitted: true,
		release: () => {
			if (state) callbacks.set(triggerKey, reference, state);
			else callbacks.delete(triggerKey, reference);
		},
		settle: (status) => {
			claimed.final = status;
		},
	};
}
