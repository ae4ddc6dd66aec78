/** Outgoing calls: Vozo's unsigned per-job callbacks and JoggAI's signed, retried webhooks. */
import { createHmac, randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, request } from 'undici';
import type { RuntimeOptions } from './options';

export interface DeliveryRecord {
	id: number;
	kind: 'vozo-callback' | 'joggai-webhook';
	time: number;
	/** The URL as registered / given. */
	url: string;
	/** Where it was actually sent (after webhookHostRewrite). */
	targetUrl: string;
	event?: string;
	eventId?: string;
	/** 1 for the first try, 2.. for retries. */
	attempt: number;
	/** True for the deliberate second delivery of an already delivered event. */
	duplicate?: boolean;
	statusCode?: number;
	error?: string;
	durationMs: number;
	body: unknown;
	headers: Record<string, string>;
}

export interface WebhookEvent {
	url: string;
	secret: string;
	event: string;
	data: Record<string, unknown>;
	eventId?: string;
}

export const signJoggAiBody = (secret: string, rawBody: string): string =>
	createHmac('sha256', secret).update(rawBody).digest('hex');

/** Sends deliveries for a public-looking host to a local base instead (path and query kept). */
export function rewriteHost(url: string, rewrites: Record<string, string>): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return url;
	}
	for (const [from, to] of Object.entries(rewrites)) {
		if (new URL(from).origin === parsed.origin) {
			return to.replace(/\/+$/, '') + url.slice(parsed.origin.length);
		}
	}
	return url;
}

type SendOutcome = Pick<DeliveryRecord, 'statusCode' | 'error' | 'durationMs'>;

export class DeliveryLog {
	private records: DeliveryRecord[] = [];
	private nextId = 1;
	private readonly agent = new Agent({ keepAliveTimeout: 1000 });
	private readonly closing = new AbortController();

	constructor(private readonly options: () => RuntimeOptions) {}

	list(filter: { kind?: DeliveryRecord['kind']; event?: string } = {}): DeliveryRecord[] {
		return this.records.filter(
			(r) => (!filter.kind || r.kind === filter.kind) && (!filter.event || r.event === filter.event),
		);
	}

	clear(): void {
		this.records = [];
	}

	/** Vozo: POST the status body, once, no signature, no retry. */
	async vozoCallback(url: string, body: Record<string, unknown>): Promise<DeliveryRecord> {
		const raw = JSON.stringify(body);
		const headers = { 'content-type': 'application/json' };
		const targetUrl = rewriteHost(url, this.options().webhookHostRewrite);
		const time = Date.now();
		const outcome = await this.send(targetUrl, raw, headers, this.options().callbackTimeoutMs);
		return this.record({ kind: 'vozo-callback', time, url, targetUrl, attempt: 1, body, headers, ...outcome });
	}

	/**
	 * Vozo misbehaving as it was seen to: a callback it already sent, sent again to the same URL
	 * (optionally with another body, e.g. a stale `{status: "processing"}` after `done`). Recorded
	 * like any callback.
	 */
	async redeliverVozoCallback(record: DeliveryRecord, body: Record<string, unknown> = record.body as Record<string, unknown>): Promise<DeliveryRecord> {
		if (record.kind !== 'vozo-callback') throw new Error(`delivery ${record.id} is not a Vozo callback`);
		return await this.vozoCallback(record.url, body);
	}

	/** JoggAI: signed POST, retried on non-2xx/timeouts, sometimes delivered twice. */
	async joggAiEvent(input: WebhookEvent): Promise<DeliveryRecord[]> {
		const options = this.options();
		const payload = {
			event_id: input.eventId ?? `evt_${randomUUID()}`,
			event: input.event,
			timestamp: Math.floor(Date.now() / 1000),
			data: input.data,
		};
		const raw = JSON.stringify(payload);
		const headers = {
			'content-type': 'application/json',
			'user-agent': 'JoggAI-Webhook/2.0',
			'x-webhook-event': input.event,
			'x-webhook-signature': signJoggAiBody(input.secret, raw),
		};
		const targetUrl = rewriteHost(input.url, options.webhookHostRewrite);
		const records: DeliveryRecord[] = [];
		const attemptOnce = async (attempt: number, duplicate: boolean) => {
			const time = Date.now();
			const outcome = await this.send(targetUrl, raw, headers, this.options().webhookTimeoutMs);
			const record = this.record({
				kind: 'joggai-webhook',
				time,
				url: input.url,
				targetUrl,
				event: input.event,
				eventId: payload.event_id,
				attempt,
				...(duplicate ? { duplicate } : {}),
				body: payload,
				headers,
				...outcome,
			});
			records.push(record);
			return isSuccess(record);
		};

		let delivered = false;
		for (let attempt = 1; attempt <= 1 + options.webhookRetries && !this.closing.signal.aborted; attempt++) {
			if (attempt > 1 && !(await this.wait(this.options().webhookRetryDelayMs))) break;
			delivered = await attemptOnce(attempt, false);
			if (delivered) break;
		}
		const { webhookAlwaysDuplicate, webhookDuplicateProbability } = this.options();
		if (delivered && (webhookAlwaysDuplicate || Math.random() < webhookDuplicateProbability)) {
			await attemptOnce(1, true);
		}
		return records;
	}

	async close(): Promise<void> {
		this.closing.abort();
		await this.agent.destroy().catch(() => undefined);
	}

	private async send(url: string, raw: string, headers: Record<string, string>, timeoutMs: number): Promise<SendOutcome> {
		const started = Date.now();
		try {
			const res = await request(url, {
				method: 'POST',
				body: raw,
				headers,
				dispatcher: this.agent,
				headersTimeout: timeoutMs,
				bodyTimeout: timeoutMs,
				signal: AbortSignal.any([this.closing.signal, AbortSignal.timeout(timeoutMs)]),
			});
			await res.body.dump();
			return { statusCode: res.statusCode, durationMs: Date.now() - started };
		} catch (error) {
			return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), durationMs: Date.now() - started };
		}
	}

	/** Resolves false when the sandbox closes during the wait. */
	private async wait(ms: number): Promise<boolean> {
		try {
			await delay(ms, undefined, { signal: this.closing.signal });
			return true;
		} catch {
			return false;
		}
	}

	private record(fields: Omit<DeliveryRecord, 'id'>): DeliveryRecord {
		const record = { id: this.nextId++, ...fields };
		this.records.push(record);
		return record;
	}
}

const isSuccess = (record: DeliveryRecord): boolean =>
	record.statusCode !== undefined && record.statusCode >= 200 && record.statusCode < 300;

/**
 * `sb.deliveries` of a running sandbox as the full log (the Sandbox interface shows only
 * list/clear), for the misbehaviour helpers above.
 */
export function deliveryLogOf(deliveries: Pick<DeliveryLog, 'list' | 'clear'>): DeliveryLog {
	if (!(deliveries instanceof DeliveryLog)) throw new Error('not a sandbox delivery log');
	return deliveries;
}
