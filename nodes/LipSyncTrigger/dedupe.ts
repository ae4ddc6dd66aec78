/**
 * JoggAI may deliver one event more than once (a retry 5 s after a slow answer, or its own
 * at-least-once delivery), so the trigger remembers the event ids it started a workflow for.
 *
 * The memory is this n8n server's own (module state), per trigger (workflow id + node name), the
 * newest DEDUPE_WINDOW ids each. Checking and recording happen with no await in between, so
 * two copies arriving at the same moment are caught too, and a delivery costs no database write.
 *
 * Why not the workflow's static data (what this file did before): measured against a real
 * n8n 2.41.1, ids written to static data from webhook() never reached the next delivery (n8n
 * loads the workflow afresh for every call; 0 of 400 re-deliveries 5 s later were caught), and
 * even when saved it would be a read-modify-write of the whole list per delivery, in which
 * concurrent deliveries overwrite each other's ids. It could only have helped queue mode with
 * several `n8n webhook` servers (a retry landing on another one): there this memory misses such
 * a retry and the workflow may start twice for one event. The output carries `event_id` for
 * workflows that must be exactly-once across servers.
 */

export const DEDUPE_WINDOW = 1000;
/** Triggers remembered at once; the least recently used one is forgotten first. */
export const MAX_REMEMBERED_TRIGGERS = 200;

/** trigger key → event ids; Maps and Sets iterate in insertion order, oldest first. */
const seenByTrigger = new Map<string, Set<string>>();

export function dedupeKey(workflowId: string | undefined, nodeName: string): string {
	return `${workflowId ?? ''}\u0000${nodeName}`;
}

/** True when `eventId` was seen before for this trigger; otherwise records it. */
export function isDuplicateDelivery(
	triggerKey: string,
	eventId: string,
	windowSize: number = DEDUPE_WINDOW,
): boolean {
	let seen = seenByTrigger.get(triggerKey);
	if (seen) {
		// Re-insert: the most recently used trigger goes last, so eviction takes the stalest.
		seenByTrigger.delete(triggerKey);
	} else {
		seen = new Set();
	}
	seenByTrigger.set(triggerKey, seen);
	if (seenByTrigger.size > MAX_REMEMBERED_TRIGGERS) {
		const stalest = seenByTrigger.keys().next().value;
		if (stalest !== undefined) seenByTrigger.delete(stalest);
	}

	if (seen.has(eventId)) return true;
	seen.add(eventId);
	while (seen.size > windowSize) {
		const oldest = seen.values().next().value;
		if (oldest === undefined) break;
		seen.delete(oldest);
	}
	return false;
}
