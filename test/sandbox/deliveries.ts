/**
 * Outgoing calls: the per-job callbacks of every vendor module that declares `callbacks` (Vozo's
 * unsigned ones, …) and JoggAI's signed, retried account webhooks.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, request } from 'undici';
import type { SandboxCore } from './http';
import { isLoopbackUrl } from './inputFiles';
import type { JobPhase, SandboxJob } from './jobs';
import type { RuntimeOptions, Vendor } from './options';

/** A vendor's per-job callbacks are `<provider>-callback`; JoggAI's account webhooks `joggai-webhook`. */
export type DeliveryKind = `${Vendor}-callback` | 'joggai-webhook';

export interface DeliveryRecord {
	id: number;
	kind: DeliveryKind;
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

/**
 * A vendor module's per-job callbacks (`VendorModule.callbacks`): when a job's phase changes, the
 * job's `callbackUrl` (given at create) gets `body(job)` as JSON, once, with the headers `sign`
 * makes for those exact bytes (none: unsigned).
 */
export interface JobCallbacks {
	/** Whether this change is announced (default: every change after the create). */
	announces?(job: SandboxJob, from: JobPhase | null): boolean;
	body(job: SandboxJob): Record<string, unknown>;
	sign?(job: SandboxJob, rawBody: string): Record<string, string>;
}

/** The headers a callback's signature adds for its raw body. */
type CallbackSigner = (rawBody: string) => Record<string, string>;

/**
 * Sends `vendor`'s job callbacks on the job clock's transitions; one job's callbacks go out in
 * order (the next waits for the previous answer), as a vendor's queue would send them.
 */
export function deliverJobCallbacks(core: SandboxCore, vendor: Vendor, callbacks: JobCallbacks): void {
	const chains = new Map<string, Promise<unknown>>();
	const announces = callbacks.announces ?? ((_job: SandboxJob, from: JobPhase | null) => from !== null);
	core.jobs.onTransition((job, from) => {
		if (job.vendor !== vendor || !job.callbackUrl || !announces(job, from)) return;
		const url = job.callbackUrl;
		const body = callbacks.body(job);
		const sign = callbacks.sign ? (raw: string) => callbacks.sign!(job, raw) : undefined;
		const previous = chains.get(job.id) ?? Promise.resolve();
		const next = previous.then(() => core.deliveries.callback(vendor, url, body, sign));
		chains.set(job.id, next);
		if (job.phase === 'succeeded' || job.phase === 'failed') void next.then(() => chains.delete(job.id));
	});
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
	/** How each signed callback was signed, for its redelivery. */
	private signers = new Map<number, CallbackSigner>();
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
		this.signers.clear();
	}

	/** A vendor's job callback: POST the body, once, no retry; `sign` adds its signature headers. */
	async callback(vendor: Vendor, url: string, body: Record<string, unknown>, sign?: CallbackSigner): Promise<DeliveryRecord> {
		const raw = JSON.stringify(body);
		const headers = { 'content-type': 'application/json', ...(sign?.(raw) ?? {}) };
		const targetUrl = rewriteHost(url, this.options().webhookHostRewrite);
		const time = Date.now();
		const outcome = await this.send(targetUrl, raw, headers, this.options().callbackTimeoutMs);
		const record = this.record({ kind: `${vendor}-callback`, time, url, targetUrl, attempt: 1, body, headers, ...outcome });
		if (sign) this.signers.set(record.id, sign);
		return record;
	}

	/**
	 * A vendor misbehaving as Vozo was seen to: a callback it already sent, sent again to the same
	 * URL (optionally with another body, e.g. a stale `{status: "processing"}` after `done`),
	 * signed again the vendor's way. Recorded like any callback.
	 */
	async redeliverCallback(record: DeliveryRecord, body: Record<string, unknown> = record.body as Record<string, unknown>): Promise<DeliveryRecord> {
		const vendor = /^(.+)-callback$/.exec(record.kind)?.[1] as Vendor | undefined;
		if (!vendor) throw new Error(`delivery ${record.id} is not a job callback`);
		return await this.callback(vendor, record.url, body, this.signers.get(record.id));
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
		// The sandbox sends only to this machine, as inputFiles.ts fetches: a callback URL of a
		// public-looking host (a test's WEBHOOK_URL) reaches n8n only through webhookHostRewrite.
		if (!isLoopbackUrl(url)) return { error: `not sent: ${url} is not a loopback URL (set webhookHostRewrite)`, durationMs: 0 };
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
