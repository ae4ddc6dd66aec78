import type { IHttpRequestOptions } from 'n8n-workflow';

import type { VendorAdapter, VendorRequest, VendorResponse } from './adapter';
import { withRenderedAuth } from './auth';
import { isTransient, vendorFailure, type FailureFacts, type FailureKind } from './errors';
import { headerValue, isRedirectStatus, kindForHttpStatus, redirectTarget, retryDelayFromHeaders } from './http';
import { requestCandidates, urlOf } from './requestPath';
import { openSession, type RetryPolicy, type VendorContext, type VendorSession } from './session';
import { pause } from './wait/clock';

export {
	defaultEngineDeps,
	defaultRetryPolicy,
	getSession,
	openSession,
	type EngineDeps,
	type RetryPolicy,
	type VendorContext,
	type VendorSession,
} from './session';

/**
 * The one road to a vendor API, for every n8n context (execute, list search, webhook, trigger
 * activation): URL from the credential, its auth (rendered once per run, ./auth.ts, else n8n's
 * authenticated request helper), the account's rate limits, retries (status GETs only),
 * deadlines, redirects and error classification.
 */

/** A status call in flight at the wait limit may run this much past it, never more. */
const DEADLINE_GRACE_MS = 3_000;
const MAX_SAME_ORIGIN_REDIRECTS = 3;

export interface VendorRequestOptions {
	/** Status GETs only: retry 429, 5xx and network failures with backoff. */
	retry: boolean;
	/**
	 * The paid create: any answer but a definite refusal may have made a job, so such a failure
	 * is reported as `uncertainCreate`; never resent here (operations/paidCreate.ts resends only
	 * under an idempotency key).
	 */
	paidCreate?: boolean;
	/**
	 * Clock time after which no attempt, retry or pause starts (the wait limit). A status call
	 * already sent is cut off a short grace after it; a paid create already sent is not: it keeps
	 * its full timeout, because cutting it off loses the id of a job the vendor may have made.
	 */
	deadline?: number;
	timeoutMs?: number;
	/**
	 * The vendor may hold this request this long before it answers (long-polling): its timeout is
	 * the hold plus the normal allowance, so a held answer is never taken for a vendor that hangs.
	 */
	holdMs?: number;
	/** Called just before the request leaves (after the account's rate limits let it through). */
	onSend?: () => void;
	/** Extra request headers, on the request and its alternatives alike (e.g. an idempotency key). */
	headers?: Record<string, string>;
}

type Attempt =
	| { ok: true; body: unknown }
	| { ok: false; facts: FailureFacts; /** the request may have reached the vendor */ sent: boolean };

/** Connection errors that prove the request never reached the vendor. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function networkFailure(error: unknown): Attempt {
	const err = error as { cause?: { code?: string; message?: string }; code?: string; message?: string };
	const code = err?.cause?.code ?? err?.code;
	const text = err?.cause?.message ?? err?.message ?? 'no response';
	const detail = [code, text].filter(Boolean).join(': ');
	return { ok: false, facts: { kind: 'network', message: 'no response', detail }, sent: !NOT_SENT_CODES.has(String(code)) };
}

/** Bodies arrive parsed when they are JSON; a string where JSON was due means a broken answer. */
function readBody(body: unknown): { body: unknown; malformed: boolean } {
	if (typeof body !== 'string') return { body, malformed: false };
	const text = body.trim();
	if (text === '') return { body: undefined, malformed: true };
	try {
		return { body: JSON.parse(text) as unknown, malformed: false };
	} catch {
		return { body: text.slice(0, 200), malformed: true };
	}
}

interface RawResponse {
	statusCode: number;
	headers?: VendorResponse['headers'];
	body: unknown;
}

/**
 * One request with the credential's auth: the session's rendered headers/query with the plain
 * helper, or n8n's authenticated helper when the auth could not be rendered (./auth.ts).
 */
async function authenticatedRequest(
	ctx: VendorContext,
	adapter: VendorAdapter,
	session: VendorSession,
	options: IHttpRequestOptions,
): Promise<unknown> {
	if (!session.auth) return await ctx.helpers.httpRequestWithAuthentication.call(ctx, adapter.credentialName, options);
	const request = withRenderedAuth(options, session.auth);
	// n8n's authenticated helper puts the execution's cancel signal on the request; the plain one
	// does not, so a Stop would otherwise leave the request running.
	const signal = ctx.getExecutionCancelSignal?.();
	if (signal) request.abortSignal = signal;
	return await ctx.helpers.httpRequest(request);
}

/** Sends one request, following same-origin GET redirects only: the key never leaves the vendor's host. */
async function send(
	ctx: VendorContext,
	adapter: VendorAdapter,
	session: VendorSession,
	request: VendorRequest,
	timeout: number,
	headers?: Record<string, string>,
): Promise<Attempt | RawResponse> {
	const start = urlOf(session.baseUrl, request.path);
	if (!start) return { ok: false, facts: { kind: 'config', message: 'a URL on another host than the base URL: not sent' }, sent: false };
	let url = start;
	for (let hop = 0; ; hop++) {
		const options: IHttpRequestOptions = {
			method: request.method,
			url,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout,
		};
		if (headers !== undefined) options.headers = { ...headers };
		if (request.body !== undefined) options.body = request.body;
		if (request.qs !== undefined) options.qs = request.qs;
		let response: RawResponse;
		try {
			response = (await authenticatedRequest(ctx, adapter, session, options)) as RawResponse;
		} catch (error) {
			if (session.isCancelled()) return { ok: false, facts: { kind: 'cancelled', message: '' }, sent: true };
			// Never keep the caught error: it carries the request options, API key header included.
			return networkFailure(error);
		}
		const statusCode = Number(response.statusCode);
		if (!isRedirectStatus(statusCode)) return response;
		const location = headerValue(response.headers, 'location');
		const target = redirectTarget(location, url);
		if (request.method === 'GET' && target && target.origin === new URL(url).origin && hop < MAX_SAME_ORIGIN_REDIRECTS) {
			url = target.href;
			continue;
		}
		const where = target?.href ?? location ?? 'an address it did not give';
		return {
			ok: false,
			facts: { kind: 'redirect', message: `HTTP ${statusCode} redirect to ${where}`, httpStatus: statusCode },
			sent: true,
		};
	}
}

async function attemptOnce(
	ctx: VendorContext,
	adapter: VendorAdapter,
	session: VendorSession,
	request: VendorRequest,
	timeoutMs: number,
	deadline: number,
	paidCreate: boolean,
	onSend?: () => void,
	extraHeaders?: Record<string, string>,
	holdMs = 0,
): Promise<Attempt> {
	const { clock } = session.deps;
	const { requests, posts } = session.account;
	for (const limiter of request.method === 'GET' ? [requests] : [requests, posts]) {
		if (!limiter) continue;
		const acquired = await limiter.acquire(clock, session.isCancelled, deadline);
		if (acquired === 'cancelled') return { ok: false, facts: { kind: 'cancelled', message: '' }, sent: false };
		if (acquired === 'deadline') return { ok: false, facts: { kind: 'deadline', message: '' }, sent: false };
	}
	// The deadline stops new work, not work in flight.
	if (clock.now() >= deadline) return { ok: false, facts: { kind: 'deadline', message: '' }, sent: false };
	const timeout = paidCreate ? timeoutMs : Math.max(1000, Math.min(timeoutMs + holdMs, deadline - clock.now() + DEADLINE_GRACE_MS));
	onSend?.();
	const sent = await send(ctx, adapter, session, request, timeout, extraHeaders);
	if ('ok' in sent) return sent;
	const headers = sent.headers ?? {};
	const { body, malformed } = readBody(sent.body);
	const statusCode = Number(sent.statusCode);
	const retryAfterMs = retryDelayFromHeaders(headers, clock.now());
	if (malformed) {
		const kind: FailureKind = statusCode >= 500 ? 'server' : statusCode === 429 ? 'rateLimit' : 'malformed';
		const message = kind === 'malformed' ? 'the response was not valid JSON' : `HTTP ${statusCode}`;
		return { ok: false, facts: { kind, message, httpStatus: statusCode, retryAfterMs }, sent: true };
	}
	const info = adapter.detectError({ method: request.method, statusCode, headers, body });
	if (info) {
		const { kind, message, code, requestId, hint, jobId } = info;
		const facts: FailureFacts = { kind, message, code, requestId, hint, jobId, httpStatus: statusCode };
		facts.retryAfterMs = info.retryAfterMs ?? retryAfterMs;
		return { ok: false, facts, sent: true };
	}
	if (statusCode >= 400) {
		const kind = kindForHttpStatus(statusCode) ?? 'invalidInput';
		return { ok: false, facts: { kind, message: `HTTP ${statusCode}`, httpStatus: statusCode, retryAfterMs }, sent: true };
	}
	return { ok: true, body };
}

/** Capped exponential backoff with full jitter; a vendor's Retry-After wins when longer. */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	const backoff = ceiling / 2 + (policy.random() * ceiling) / 2;
	return retryAfterMs !== undefined ? Math.max(retryAfterMs, backoff) : backoff;
}

/** Failures after which a create may still have made a job: anything but a definite refusal. */
const MAY_HAVE_CREATED: ReadonlySet<FailureKind> = new Set<FailureKind>([
	'server',
	'network',
	'malformed',
	'redirect',
	'cancelled',
	'unknown',
]);

/**
 * One vendor API call. Throws a VendorFailure with the mapped kind. Only `retry: true` calls
 * (status GETs) are retried, and no attempt or pause starts after the deadline.
 */
export async function vendorRequest(
	ctx: VendorContext,
	adapter: VendorAdapter,
	request: VendorRequest,
	options: VendorRequestOptions,
): Promise<unknown> {
	const session = await openSession(ctx, adapter);
	// The request, then its alternatives after a 404 (a 404 created nothing); vendor-given URLs of another host are never sent.
	const candidates = requestCandidates(request, session.credentials).filter((candidate) => urlOf(session.baseUrl, candidate.path));
	const { retry: policy, clock } = session.deps;
	const deadline = options.deadline ?? Infinity;
	const retry = options.retry && request.method === 'GET';
	const attempts = retry ? Math.max(1, policy.attempts) : 1;
	let facts: FailureFacts = { kind: 'unknown', message: '' };
	let sent = false;
	for (let attempt = 1; attempt <= attempts; attempt++) {
		const timeoutMs = options.timeoutMs ?? session.deps.requestTimeoutMs;
		let result: Attempt = { ok: false, facts, sent: false };
		for (const [index, candidate] of candidates.entries()) {
			result = await attemptOnce(ctx, adapter, session, candidate, timeoutMs, deadline, options.paidCreate === true, options.onSend, options.headers, options.holdMs);
			if (result.ok || result.facts.httpStatus !== 404 || index === candidates.length - 1) break;
		}
		if (result.ok) return result.body;
		facts = result.facts;
		sent = sent || result.sent;
		if (facts.kind === 'cancelled' || !retry || !isTransient(facts.kind) || attempt === attempts) break;
		if (facts.retryAfterMs !== undefined && facts.retryAfterMs > policy.maxRetryAfterMs) break;
		const delay = retryDelay(policy, attempt, facts.retryAfterMs);
		if (clock.now() + delay > deadline) break;
		if (!(await pause(clock, delay, session.isCancelled))) {
			facts = { kind: 'cancelled', message: '' };
			break;
		}
	}
	if (options.paidCreate && sent && MAY_HAVE_CREATED.has(facts.kind)) {
		const seen = facts.kind === 'cancelled' ? 'the execution was stopped while the request was on its way' : facts.message;
		facts = { ...facts, kind: 'uncertainCreate', message: seen, detail: [facts.kind, facts.detail].filter(Boolean).join(': ') };
	}
	throw vendorFailure(ctx.getNode(), adapter, facts, session.secrets);
}
