/**
 * An open-loop sender shaped like JoggAI's webhook deliveries (issue 22): deliveries leave on a
 * fixed schedule whatever n8n's answers do (a closed loop would slow down with n8n and hide the
 * queue), each is timed from the moment it was due to its answer, and a delivery not answered 2xx
 * within JoggAI's 5 s is sent again with the same body (JoggAI re-sends; the duplicate check must
 * then keep the event to one execution).
 */
import { Pool } from 'undici';

import { sleep } from './stats';

/** JoggAI's answer deadline: a delivery not answered 2xx within it counts as failed and is re-sent. */
export const JOGGAI_DEADLINE_MS = 5_000;
/** Re-sends per delivery at most (JoggAI documents no schedule; one per missed deadline). */
const MAX_RESENDS = 2;

export interface BurstDelivery {
	eventId: string;
	/** Due → answer of the first send, ms (Infinity when it never got an answer). */
	answerMs: number;
	/** Status of the first send's answer (0: no answer). */
	status: number;
	/** Re-sends after a missed deadline. */
	resends: number;
	/** Some send of it was answered 2xx. */
	accepted: boolean;
	/** The first non-2xx answer or error of any send (status and the start of the body). */
	refusal?: string;
}

export interface BurstShape {
	/** Deliveries per second while the burst lasts. */
	perSecond: number;
	/** Length of the burst, s. */
	seconds: number;
}

export interface Signed {
	eventId: string;
	path: string;
	headers: Record<string, string>;
	body: string;
}

/**
 * Sends `perSecond × seconds` deliveries on schedule (`next` builds each), re-sending late ones,
 * and resolves once every send has an answer or failed.
 */
export async function sendBurst(origin: string, shape: BurstShape, next: () => Signed): Promise<BurstDelivery[]> {
	const count = Math.round(shape.perSecond * shape.seconds);
	// Enough connections that the sender never queues behind itself (JoggAI sends in parallel).
	const pool = new Pool(origin, { connections: Math.min(512, count), pipelining: 1 });
	const sends: Promise<unknown>[] = [];
	const deliveries: BurstDelivery[] = [];

	const send = async (signed: Signed, delivery: BurstDelivery) => {
		try {
			const res = await pool.request({ method: 'POST', path: signed.path, headers: signed.headers, body: signed.body, headersTimeout: 120_000, bodyTimeout: 120_000 });
			const text = await res.body.text();
			if (res.statusCode < 200 || res.statusCode >= 300) delivery.refusal ??= `HTTP ${res.statusCode} ${text.slice(0, 120)}`;
			return res.statusCode;
		} catch (error) {
			delivery.refusal ??= (error as Error).message;
			return 0;
		}
	};

	const deliver = (signed: Signed, dueAt: number) => {
		const delivery: BurstDelivery = { eventId: signed.eventId, answerMs: Infinity, status: 0, resends: 0, accepted: false };
		deliveries.push(delivery);
		const ok = (status: number) => status >= 200 && status < 300;
		// JoggAI does not wait past its deadline (or accept a refusal): it sends again, while the
		// earlier send may still be answered later.
		const attempt = async (n: number): Promise<void> => {
			const sent = send(signed, delivery);
			if (n === 0) {
				void sent.then((status) => {
					delivery.status = status;
					if (status !== 0) delivery.answerMs = performance.now() - dueAt;
				});
			}
			const inTime = await Promise.race([sent, sleep(JOGGAI_DEADLINE_MS).then(() => -1)]);
			if (ok(inTime)) {
				delivery.accepted = true;
				return;
			}
			if (n < MAX_RESENDS) {
				delivery.resends++;
				await attempt(n + 1);
			}
			if (ok(await sent)) delivery.accepted = true;
		};
		sends.push(attempt(0));
	};

	const started = performance.now();
	for (let i = 0; i < count; i++) {
		const dueAt = started + (i * 1000) / shape.perSecond;
		const wait = dueAt - performance.now();
		if (wait > 0) await sleep(wait);
		deliver(next(), dueAt);
	}
	await Promise.allSettled(sends);
	await pool.close();
	return deliveries;
}
