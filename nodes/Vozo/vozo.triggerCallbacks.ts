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
 *
 * Bounded: at most MAX_DISTINCT_STATUSES intermediate words per reference, each kept as its first
 * MAX_STATUS_CHARS characters (Vozo documents three: pending, processing, done). Further distinct
 * words start nothing, so a sender cannot grow one reference's memory, however many callbacks
 * it sends; references are bounded by the trigger memory's window.
 */

export const MAX_DISTINCT_STATUSES = 8;
export const MAX_STATUS_CHARS = 64;

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
	const word = reported.providerStatus.trim().toLowerCase().slice(0, MAX_STATUS_CHARS);
	if (!final && !includeIntermediate) {
		return { admitted: false, note: `Status "${word}" is not final; the workflow was not started` };
	}
	// Without a reference there is nothing to tell two jobs apart by.
	if (reference === undefined) return { admitted: true, release: NOTHING, settle: NOTHING };

	const state = callbacks.get(triggerKey, reference);
	if (state?.final) {
		return {
			admitted: false,
			note: `The job of ${VOZO_CALLBACK_REFERENCE_PARAM} ${reference} already finished ("${state.final}"); this "${word}" callback started nothing`,
		};
	}
	if (!final) {
		if (state?.seen.includes(word)) {
			return { admitted: false, note: `Status "${word}" was already received for this job; nothing started` };
		}
		if ((state?.seen.length ?? 0) >= MAX_DISTINCT_STATUSES) {
			return { admitted: false, note: `This job already reported ${MAX_DISTINCT_STATUSES} different statuses; "${word}" started nothing` };
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

/** How many references and status words this server remembers for a trigger (memory checks). */
export function rememberedCallbacks(triggerKey: string): { references: number; statusWords: number; characters: number } {
	let statusWords = 0;
	let characters = 0;
	for (const [reference, state] of callbacks.entriesFor(triggerKey)) {
		statusWords += state.seen.length;
		characters += reference.length + state.seen.reduce((sum, word) => sum + word.length, 0);
	}
	return { references: callbacks.entriesFor(triggerKey).length, statusWords, characters };
}
