import type { IDataObject } from 'n8n-workflow';

/**
 * JoggAI may deliver one event more than once (a retry after a slow answer, or its own
 * at-least-once delivery), so the trigger remembers the last event ids it started a workflow for.
 *
 * They live in the node's workflow static data rather than an in-memory LRU because n8n saves
 * that data after every production webhook call: the memory survives restarts and is shared by
 * every process that serves webhooks (queue mode runs several `n8n webhook` processes, and a
 * retry 5 s later may reach another one). The cost is a small write per delivery; the limit is
 * that two copies arriving within the same few milliseconds, before either is saved, both pass.
 */

export const SEEN_EVENT_IDS_KEY = 'joggAiSeenEventIds';
export const DEDUPE_WINDOW = 1000;

/** True when `eventId` was seen before; otherwise records it (keeping only the newest ids). */
export function isDuplicateDelivery(
	staticData: IDataObject,
	eventId: string,
	windowSize: number = DEDUPE_WINDOW,
): boolean {
	const stored = staticData[SEEN_EVENT_IDS_KEY];
	const seen = Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
	if (seen.includes(eventId)) return true;
	seen.push(eventId);
	// Assign a new array: n8n notices changes to static data by assignment and only then saves it.
	staticData[SEEN_EVENT_IDS_KEY] = seen.slice(-windowSize);
	return false;
}
