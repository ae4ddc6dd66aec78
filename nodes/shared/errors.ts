import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import type { VendorAdapter, VendorErrorKind } from './adapter';

/**
 * Every failure is classified once (here) and rendered once (here): what went wrong, what the
 * user should do, and the vendor's code, request id and job id so support can find it.
 */
export type FailureKind =
	| VendorErrorKind
	| 'network' // no answer: connection reset, timeout, DNS
	| 'malformed' // an answer that is not the JSON the vendor promises
	| 'uncertainCreate' // a create without a clear answer (5xx, no answer, stopped on the wire): a paid job may exist
	| 'redirect' // the vendor API answered with a redirect the node does not follow
	| 'config' // the credential cannot be used as it is (e.g. a plain-http base URL)
	| 'deadline' // the wait limit passed while the request waited for the vendor's rate limit
	| 'jobFailed' // the vendor ran the job and it failed
	| 'notSubmitted' // the wait limit passed before a slot for the job freed
	| 'stillRunning' // the job was still running at the wait limit
	| 'cancelled'
	| 'unknown';

export interface FailureFacts {
	kind: FailureKind;
	/** The vendor's own words, or what the transport saw. */
	message: string;
	code?: string | number;
	requestId?: string;
	httpStatus?: number;
	retryAfterMs?: number;
	hint?: string;
	jobId?: string;
	/** Technical detail for the description only (e.g. a socket error code). */
	detail?: string;
}

const TRANSIENT: ReadonlySet<FailureKind> = new Set(['rateLimit', 'server', 'network', 'malformed']);

/** Failures a status call may retry; a create never retries, whatever the kind. */
export const isTransient = (kind: FailureKind): boolean => TRANSIENT.has(kind);

type VendorNames = Pick<VendorAdapter, 'displayName' | 'dashboardUrl'>;

function advice(kind: FailureKind, vendor: VendorNames): string {
	const name = vendor.displayName;
	switch (kind) {
		case 'auth':
			return `invalid or revoked API key — check the ${name} credential`;
		case 'credit':
			return `insufficient credit — top up at ${vendor.dashboardUrl}`;
		case 'permission':
			return `this API key or plan may not use this feature — check your plan and API access at ${vendor.dashboardUrl}`;
		case 'rateLimit':
			return 'rate limit reached — too many requests for this API key; wait a minute or send fewer items per execution';
		case 'concurrencyLimit':
			return 'too many jobs are running on this account — wait until running jobs finish, then try again';
		case 'invalidInput':
			return `${name} rejected the parameters — check the node's fields`;
		case 'notFound':
			return `job not found — check the job id and that it belongs to this ${name} account`;
		case 'server':
			return `${name} had an internal error — try again later`;
		case 'network':
			return `could not reach ${name} — check the credential's base URL and the network, then try again`;
		case 'malformed':
			return `${name} sent a response that could not be read — try again later`;
		case 'uncertainCreate':
			return `the create request got no clear answer, so a paid job may have been created at ${name} — check ${vendor.dashboardUrl} before running this item again (the node does not send it again)`;
		case 'redirect':
			return `${name} answered with a redirect to another address; the node does not follow it, so the API key never goes to another host — if the new address is right, put it in the credential's Base URL`;
		case 'config':
			return 'the credential cannot be used as it is';
		case 'deadline':
			return `the wait limit passed while this request waited for ${name}'s rate limit`;
		case 'jobFailed':
			return 'the job failed';
		case 'notSubmitted':
			return `not submitted: ${name}'s limits (running jobs or requests per minute) stayed full until the wait limit, so nothing was created — run this item again later`;
		case 'stillRunning':
			return 'the job is still running at the wait limit — check it later with the Get operation, or raise the wait limit';
		case 'cancelled':
			return 'the execution was stopped';
		default:
			return 'the request failed';
	}
}

/** Replaces every secret (the API key and other credential values) in a text. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const secret of secrets) {
		// Looking costs no copy; most texts (every job ledger line) hold no secret.
		if (secret.length >= 6 && out.includes(secret)) out = out.split(secret).join('***');
	}
	return out;
}

function references(facts: FailureFacts): string {
	const parts: string[] = [];
	if (facts.code !== undefined && facts.code !== '') parts.push(`code ${facts.code}`);
	if (facts.requestId) parts.push(`request ${facts.requestId}`);
	if (facts.jobId) parts.push(`job ${facts.jobId}`);
	return parts.join(', ');
}

/** What the user should do about these facts (the vendor-specific hint, else the kind's advice). */
export const adviceFor = (facts: FailureFacts, vendor: VendorNames): string => facts.hint ?? advice(facts.kind, vendor);

function renderMessage(facts: FailureFacts, vendor: VendorNames): string {
	const head = `${vendor.displayName}: ${adviceFor(facts, vendor)}`;
	const said = facts.message && facts.kind !== 'cancelled' ? `"${facts.message}"` : '';
	const refs = references(facts);
	const tail = [said, refs].filter(Boolean).join(', ');
	return tail ? `${head} (${tail})` : head;
}

function renderDescription(facts: FailureFacts, vendor: VendorNames): string {
	const lines: string[] = [];
	if (facts.message) lines.push(`${vendor.displayName} said: ${facts.message}`);
	if (facts.code !== undefined) lines.push(`Vendor code: ${facts.code}`);
	if (facts.httpStatus !== undefined) lines.push(`HTTP status: ${facts.httpStatus}`);
	if (facts.requestId) lines.push(`Request id: ${facts.requestId}`);
	if (facts.jobId) lines.push(`Job id: ${facts.jobId} (use the Get operation to check it later)`);
	if (facts.detail) lines.push(`Detail: ${facts.detail}`);
	return lines.join('\n');
}

/**
 * The only error the engine throws for vendor trouble. Built from plain strings, never from a
 * caught HTTP error: those carry the request options, and with them the API key header.
 */
export class VendorFailure extends NodeApiError {
	readonly facts: FailureFacts;

	constructor(
		node: INode,
		vendor: VendorNames,
		facts: FailureFacts,
		secrets: readonly string[],
		itemIndex?: number,
	) {
		const clean: FailureFacts = {
			...facts,
			message: scrubSecrets(facts.message ?? '', secrets),
			detail: facts.detail === undefined ? undefined : scrubSecrets(facts.detail, secrets),
		};
		const message = scrubSecrets(renderMessage(clean, vendor), secrets);
		const description = scrubSecrets(renderDescription(clean, vendor), secrets);
		const response: JsonObject = { message: clean.message, kind: clean.kind };
		if (clean.code !== undefined) response.vendorCode = clean.code;
		if (clean.requestId) response.requestId = clean.requestId;
		if (clean.jobId) response.jobId = clean.jobId;
		super(node, response, {
			message,
			description,
			httpCode: clean.httpStatus === undefined ? undefined : String(clean.httpStatus),
			itemIndex,
		});
		// NodeApiError may replace a message that mentions a socket error code; ours is final.
		this.message = message;
		this.description = description;
		this.facts = clean;
	}
}

/** Factory form, usable inside catch blocks. */
export function vendorFailure(
	node: INode,
	vendor: VendorNames,
	facts: FailureFacts,
	secrets: readonly string[],
	itemIndex?: number,
): VendorFailure {
	return new VendorFailure(node, vendor, facts, secrets, itemIndex);
}

/** The facts of any error the engine meets; unknown errors are never transient. */
export function factsOf(error: unknown): FailureFacts {
	if (error instanceof VendorFailure) return error.facts;
	const message = error instanceof Error ? error.message : String(error);
	return { kind: 'unknown', message };
}

/**
 * Renders an item's error for output or throwing, with the item index and job id. Errors the
 * adapters raise during validation (NodeOperationError) keep their text; everything else is
 * rebuilt from strings so nothing from a raw HTTP error (headers, request options) leaks.
 */
export function renderItemError(
	node: INode,
	vendor: VendorNames,
	error: unknown,
	secrets: readonly string[],
	itemIndex: number,
	jobId?: string,
): NodeApiError | NodeOperationError {
	if (error instanceof VendorFailure) {
		return new VendorFailure(node, vendor, { ...error.facts, jobId: jobId ?? error.facts.jobId }, secrets, itemIndex);
	}
	const raw = error instanceof Error ? error.message : String(error);
	const description =
		error instanceof NodeOperationError || error instanceof NodeApiError ? error.description : undefined;
	const suffix = jobId ? ` (job ${jobId})` : '';
	return new NodeOperationError(node, scrubSecrets(raw, secrets) + suffix, {
		itemIndex,
		description: description ? scrubSecrets(description, secrets) : undefined,
	});
}
