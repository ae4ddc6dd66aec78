import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { VendorAdapter, VendorRequest, VendorResponse } from './adapter';
import { isTransient, vendorFailure, type FailureFacts } from './errors';
import { pause, systemClock, type Clock } from './wait/clock';
import { SlidingWindowLimiter } from './wait/limiter';

/** How status calls are retried. Creates are never retried, whatever this says. */
export interface RetryPolicy {
	attempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A vendor asking us to come back later than this is treated as a failure of this call. */
	maxRetryAfterMs: number;
	random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
	attempts: 5,
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 120_000,
	random: Math.random,
};

export interface EngineDeps {
	clock: Clock;
	retry: RetryPolicy;
	requestTimeoutMs: number;
}

export const defaultEngineDeps: EngineDeps = {
	clock: systemClock,
	retry: defaultRetryPolicy,
	requestTimeoutMs: 60_000,
};

/** What one node run knows about its vendor connection, read once (not once per poll). */
export interface VendorSession {
	baseUrl: string;
	/** Credential values to scrub from any text we show. */
	secrets: string[];
	deps: EngineDeps;
	limiters: SlidingWindowLimiter[];
	postLimiters: SlidingWindowLimiter[];
	isCancelled: () => boolean;
}

const sessions = new WeakMap<object, VendorSession>();

/**
 * Rate-limit windows, per credential and execution. Module level because n8n hands every run
 * of the node (Retry On Fail included) a new context object, and the vendor's window does not
 * restart when the node does. Keyed by `provider|credential id|execution id`; windows that are
 * idle for a whole minute are dropped on the next lookup, so the map stays small.
 */
const windows = new Map<string, { posts?: SlidingWindowLimiter; any?: SlidingWindowLimiter }>();
/** A minute plus a margin: the vendor stamps a request when it arrives, we when it leaves. */
const WINDOW_MS = 61_000;

function limitersFor(ctx: IExecuteFunctions, adapter: VendorAdapter, now: number) {
	for (const [key, entry] of windows) {
		if ((entry.posts?.isIdle(now) ?? true) && (entry.any?.isIdle(now) ?? true)) windows.delete(key);
	}
	const credentialId = ctx.getNode().credentials?.[adapter.credentialName]?.id ?? adapter.credentialName;
	const key = `${adapter.provider}|${credentialId}|${ctx.getExecutionId?.() ?? ''}`;
	let entry = windows.get(key);
	if (!entry) {
		entry = {};
		if (adapter.limits.postsPerMinute) entry.posts = new SlidingWindowLimiter(adapter.limits.postsPerMinute, WINDOW_MS);
		if (adapter.limits.requestsPerMinute) entry.any = new SlidingWindowLimiter(adapter.limits.requestsPerMinute, WINDOW_MS);
		windows.set(key, entry);
	}
	return entry;
}

function collectSecrets(credentials: IDataObject): string[] {
	return Object.entries(credentials)
		.filter(([key, value]) => typeof value === 'string' && key !== 'baseUrl' && value.length >= 6)
		.map(([, value]) => value as string);
}

/** Opens (or returns) the session of this node run: credentials are read here, once. */
export async function openSession(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	deps: EngineDeps = defaultEngineDeps,
): Promise<VendorSession> {
	const existing = sessions.get(ctx);
	if (existing) return existing;
	const credentials = (await ctx.getCredentials(adapter.credentialName)) as IDataObject;
	const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	const entry = limitersFor(ctx, adapter, deps.clock.now());
	const session: VendorSession = {
		baseUrl,
		secrets: collectSecrets(credentials),
		deps,
		limiters: entry.any ? [entry.any] : [],
		postLimiters: entry.posts ? [entry.posts] : [],
		isCancelled: () => ctx.getExecutionCancelSignal?.()?.aborted === true,
	};
	sessions.set(ctx, session);
	return session;
}

export function getSession(ctx: IExecuteFunctions): VendorSession | undefined {
	return sessions.get(ctx);
}

export interface VendorRequestOptions {
	/** Status GETs only: retry 429, 5xx and network failures with backoff. */
	retry: boolean;
	timeoutMs?: number;
}

type Attempt = { ok: true; body: unknown } | { ok: false; facts: FailureFacts };

function header(headers: VendorResponse['headers'], name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** Retry-After (seconds or HTTP date) or X-RateLimit-Reset (unix seconds), as a delay. */
export function retryAfterFromHeaders(headers: VendorResponse['headers'], now: number): number | undefined {
	const retryAfter = header(headers, 'retry-after');
	if (retryAfter !== undefined) {
		if (/^\d+(\.\d+)?$/.test(retryAfter.trim())) return Number(retryAfter) * 1000;
		const date = Date.parse(retryAfter);
		if (!Number.isNaN(date)) return Math.max(0, date - now);
	}
	const reset = header(headers, 'x-ratelimit-reset');
	if (reset !== undefined && /^\d+(\.\d+)?$/.test(reset.trim())) {
		const value = Number(reset);
		// Unix seconds when large, else a number of seconds to wait.
		return value > 1e9 ? Math.max(0, value * 1000 - now) : value * 1000;
	}
	return undefined;
}

function kindFromStatus(statusCode: number): FailureFacts['kind'] {
	if (statusCode === 401) return 'auth';
	if (statusCode === 402) return 'credit';
	if (statusCode === 403) return 'permission';
	if (statusCode === 404) return 'notFound';
	if (statusCode === 429) return 'rateLimit';
	if (statusCode >= 500) return 'server';
	return 'invalidInput';
}

/** Bodies arrive parsed when they are JSON; a string where JSON was due means a broken answer. */
function readBody(body: unknown): { body: unknown; malformed: boolean } {
	if (typeof body !== 'string') return { body, malformed: false };
	const text = body.trim();
	if (text === '') return { body: undefined, malformed: true };
	try {
		return { body: JSON.parse(text) as unknown, malformed: false };
	} catch (error) {
		return { body: error instanceof Error ? text.slice(0, 200) : text, malformed: true };
	}
}

function networkFacts(error: unknown): FailureFacts {
	const err = error as { cause?: { code?: string; message?: string }; code?: string; message?: string };
	const code = err?.cause?.code ?? err?.code;
	const text = err?.cause?.message ?? err?.message ?? 'no response';
	return { kind: 'network', message: 'no response', detail: [code, text].filter(Boolean).join(': ') };
}

async function attemptOnce(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	session: VendorSession,
	request: VendorRequest,
	timeoutMs: number,
): Promise<Attempt> {
	const { clock } = session.deps;
	const limiters = request.method === 'GET' ? session.limiters : [...session.limiters, ...session.postLimiters];
	for (const limiter of limiters) {
		if (!(await limiter.acquire(clock, session.isCancelled))) {
			return { ok: false, facts: { kind: 'cancelled', message: '' } };
		}
	}
	const options: IHttpRequestOptions = {
		method: request.method,
		url: session.baseUrl + (request.path.startsWith('/') ? request.path : `/${request.path}`),
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: timeoutMs,
	};
	if (request.body !== undefined) options.body = request.body;
	if (request.qs !== undefined) options.qs = request.qs;
	let response: { statusCode: number; headers?: VendorResponse['headers']; body: unknown };
	try {
		response = await ctx.helpers.httpRequestWithAuthentication.call(ctx, adapter.credentialName, options);
	} catch (error) {
		if (session.isCancelled()) return { ok: false, facts: { kind: 'cancelled', message: '' } };
		// Never keep the caught error: it carries the request options, API key header included.
		return { ok: false, facts: networkFacts(error) };
	}
	const headers = response.headers ?? {};
	const { body, malformed } = readBody(response.body);
	const statusCode = Number(response.statusCode);
	if (malformed) {
		const kind = statusCode >= 500 ? 'server' : statusCode === 429 ? 'rateLimit' : 'malformed';
		return {
			ok: false,
			facts: {
				kind,
				message: kind === 'malformed' ? 'the response was not valid JSON' : `HTTP ${statusCode}`,
				httpStatus: statusCode,
				retryAfterMs: retryAfterFromHeaders(headers, clock.now()),
			},
		};
	}
	const info = adapter.detectError({ statusCode, headers, body });
	if (info) {
		return {
			ok: false,
			facts: {
				kind: info.kind,
				message: info.message,
				code: info.code,
				requestId: info.requestId,
				hint: info.hint,
				httpStatus: statusCode,
				retryAfterMs: info.retryAfterMs ?? retryAfterFromHeaders(headers, clock.now()),
			},
		};
	}
	if (statusCode >= 400) {
		return {
			ok: false,
			facts: {
				kind: kindFromStatus(statusCode),
				message: `HTTP ${statusCode}`,
				httpStatus: statusCode,
				retryAfterMs: retryAfterFromHeaders(headers, clock.now()),
			},
		};
	}
	return { ok: true, body };
}

/** Capped exponential backoff with full jitter; a vendor's Retry-After wins when longer. */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	const backoff = ceiling / 2 + (policy.random() * ceiling) / 2;
	return retryAfterMs !== undefined ? Math.max(retryAfterMs, backoff) : backoff;
}

/**
 * One vendor API call. Throws a VendorFailure with the mapped kind. Only `retry: true` calls
 * (status GETs) are retried; a POST that got no answer is reported as `uncertainCreate`, since
 * a paid job may exist.
 */
export async function vendorRequest(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	request: VendorRequest,
	options: VendorRequestOptions,
): Promise<unknown> {
	const session = await openSession(ctx, adapter);
	const { retry: policy, clock } = session.deps;
	const retry = options.retry && request.method === 'GET';
	const attempts = retry ? Math.max(1, policy.attempts) : 1;
	let facts: FailureFacts = { kind: 'unknown', message: '' };
	for (let attempt = 1; attempt <= attempts; attempt++) {
		const result = await attemptOnce(ctx, adapter, session, request, options.timeoutMs ?? session.deps.requestTimeoutMs);
		if (result.ok) return result.body;
		facts = result.facts;
		if (facts.kind === 'cancelled' || !retry || !isTransient(facts.kind) || attempt === attempts) break;
		if (facts.retryAfterMs !== undefined && facts.retryAfterMs > policy.maxRetryAfterMs) break;
		if (!(await pause(clock, retryDelay(policy, attempt, facts.retryAfterMs), session.isCancelled))) {
			facts = { kind: 'cancelled', message: '' };
			break;
		}
	}
	if (request.method !== 'GET' && (facts.kind === 'network' || facts.kind === 'malformed')) {
		facts = { ...facts, kind: 'uncertainCreate' };
	}
	throw vendorFailure(ctx.getNode(), adapter, facts, session.secrets);
}
