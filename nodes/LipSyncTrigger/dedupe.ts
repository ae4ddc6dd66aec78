import type { IWebhookFunctions } from 'n8n-workflow';

/**
 * Vendors deliver one event more than once (JoggAI retries a slow answer after 5 s and delivers
 * at least once; Vozo was seen sending "done" twice, then a stale "processing"), so the trigger
 * remembers what it already started a workflow for.
 *
 * The memory is this n8n server's own (module state), per trigger endpoint (workflow id + node
 * name + test or production URL),
 * bounded: the newest entries per trigger, the most recently used triggers. Checking and
 * recording happen with no await in between, so two copies arriving at the same moment are
 * caught too, and a delivery costs no database write.
 *
 * Why not the workflow's static data: measured against a real n8n 2.41.1, values written to
 * static data from webhook() never reached the next delivery (n8n loads the workflow afresh for
 * every call; 0 of 400 re-deliveries 5 s later were caught), and even when saved it would be a
 * read-modify-write of the whole list per delivery, in which concurrent deliveries overwrite each
 * other. It could only have helped queue mode with several `n8n webhook` servers (a retry landing
 * on another one): there this memory misses such a retry, and after a restart it starts empty.
 * The outputs carry the vendor's ids (`event_id`, `callbackReference`) for workflows that must be
 * exactly-once across servers.
 */

export const DEDUPE_WINDOW = 1000;
/** Triggers remembered at once; the least recently used one is forgotten first. */
export const MAX_REMEMBERED_TRIGGERS = 200;

/**
 * The memory of one endpoint of one trigger: workflow id, node name, and test or production URL.
 * n8n runs a delivery to the test URL (while someone listens in the editor) in mode "manual", and
 * one to the production URL in mode "webhook"; a vendor delivering one event to both must start
 * both, or the production run is skipped because the test run saw the event first.
 */
export function dedupeKey(ctx: Pick<IWebhookFunctions, 'getWorkflow' | 'getNode' | 'getMode'>): string {
	const endpoint = ctx.getMode() === 'manual' ? 'test' : 'production';
	return [ctx.getWorkflow().id ?? '', ctx.getNode().name, endpoint].join('\u0000');
}

/** Per trigger, the newest `windowSize` keys with a value each; Maps iterate oldest first. */
export class TriggerMemory<V> {
	private readonly byTrigger = new Map<string, Map<string, V>>();

	constructor(private readonly windowSize: number = DEDUPE_WINDOW) {}

	/** The entries of one trigger; using a trigger makes it the most recently used one. */
	private entriesOf(triggerKey: string): Map<string, V> {
		let entries = this.byTrigger.get(triggerKey);
		if (entries) {
			this.byTrigger.delete(triggerKey);
		} else {
			entries = new Map();
		}
		this.byTrigger.set(triggerKey, entries);
		if (this.byTrigger.size > MAX_REMEMBERED_TRIGGERS) {
			const stalest = this.byTrigger.keys().next().value;
			if (stalest !== undefined) this.byTrigger.delete(stalest);
		}
		return entries;
	}

	get(triggerKey: string, key: string): V | undefined {
		return this.entriesOf(triggerKey).get(key);
	}

	set(triggerKey: string, key: string, value: V): void {
		const entries = this.entriesOf(triggerKey);
		entries.delete(key);
		entries.set(key, value);
		while (entries.size > this.windowSize) {
			const oldest = entries.keys().next().value;
			if (oldest === undefined) break;
			entries.delete(oldest);
		}
	}

	delete(triggerKey: string, key: string): void {
		this.entriesOf(triggerKey).delete(key);
	}

	/** A copy of one trigger's entries, oldest first (for memory checks; uses nothing). */
	entriesFor(triggerKey: string): Array<[string, V]> {
		return [...(this.byTrigger.get(triggerKey) ?? new Map<string, V>()).entries()];
	}
}

/**
 * An event is `started` once n8n answered its delivery 2xx (n8n answers an accepted delivery only
 * after it started the execution), and `pending` from the moment the trigger accepted it until
 * then. If n8n answers that delivery with an error instead (it could not start the execution:
 * measured under bursts in n8n 2.41.1, "There was a problem executing the workflow"), the event is
 * forgotten, so the vendor's re-send starts it: otherwise the re-send would be taken for a
 * duplicate and the event lost.
 */
type EventState = { state: 'pending' | 'started'; since: number };

/**
 * A pending delivery whose answer was never seen counts as started after this long: the default
 * Max Delivery Age, after which a JoggAI re-send is refused as too old anyway.
 */
export const PENDING_LIMIT_MS = 300_000;

const seenEvents = new TriggerMemory<EventState>(DEDUPE_WINDOW);

/** What n8n's response object (express) offers to learn how a delivery was finally answered. */
interface AnswerEvents {
	statusCode?: number;
	once?(event: 'finish' | 'close', listener: () => void): unknown;
}

export type Claim = 'new' | 'seen' | 'inFlight';

/**
 * `new`: the first delivery of `eventId` for this trigger (recorded as pending until n8n's answer
 * to it is known; with no `response` to watch — the trigger answers it itself, at once — recorded
 * as started); `seen`: its workflow was started; `inFlight`: an earlier copy is still being
 * started, so this copy must not be acknowledged yet (the vendor re-sends it later).
 */
export function claimDelivery(triggerKey: string, eventId: string, response: unknown, now: number): Claim {
	const known = seenEvents.get(triggerKey, eventId);
	if (known?.state === 'started') return 'seen';
	if (known && now - known.since < PENDING_LIMIT_MS) return 'inFlight';
	if (known) return 'seen';
	const answer = response as AnswerEvents | undefined;
	if (typeof answer?.once !== 'function') {
		seenEvents.set(triggerKey, eventId, { state: 'started', since: now });
		return 'new';
	}
	seenEvents.set(triggerKey, eventId, { state: 'pending', since: now });
	let settled = false;
	const settle = () => {
		if (settled) return;
		settled = true;
		const code = Number(answer.statusCode ?? 200);
		if (code >= 200 && code < 300) seenEvents.set(triggerKey, eventId, { state: 'started', since: now });
		else seenEvents.delete(triggerKey, eventId);
	};
	// 'close' without 'finish': the sender went away first; the status is what n8n had set by then.
	answer.once('finish', settle);
	answer.once('close', settle);
	return 'new';
}

/** True when `eventId` was claimed before for this trigger; otherwise claims it (no answer to watch). */
export function isDuplicateDelivery(triggerKey: string, eventId: string): boolean {
	return claimDelivery(triggerKey, eventId, undefined, Date.now()) !== 'new';
}
