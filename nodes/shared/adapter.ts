import type { ICredentialType, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { NormalizedJob, ProviderId } from './job';

/**
 * The contract between the vendor-neutral engine (transport, waiting, errors, binary data,
 * output) and one vendor. An adapter knows the vendor's fields, request bodies, status words,
 * error codes and limits; it never loops, retries, sleeps or downloads — the engine does.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * A request to the vendor API; `path` is relative to the credential's base URL, or an absolute
 * URL the vendor handed out (sent only when it has the base URL's origin: the key never leaves
 * the vendor's host; another origin moves on to the alternatives).
 */
export interface VendorRequest {
	method: HttpMethod;
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/**
	 * A path the vendor does not document, which the user may correct without a release: the
	 * credential field of this name may hold a path template (`{name}` placeholders filled from
	 * `pathValues`, URL-encoded); empty, the field leaves `path` as it is (nodes/shared/requestPath.ts).
	 */
	pathSetting?: string;
	pathValues?: Record<string, string>;
	/**
	 * Requests tried in order when this one is answered HTTP 404 (no such route or record: a 404
	 * created nothing, so a create may try another route). Identical paths are sent once.
	 */
	alternatives?: VendorRequest[];
}

/** A vendor response as the transport hands it to the adapter (HTTP errors included). */
export interface VendorResponse {
	/** The method of the request this answers: the same error body may refuse a create and be a hiccup of a read. */
	method?: HttpMethod;
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/**
 * How the engine classifies every vendor error, once, so it can render what to do
 * and decide whether a status call may be retried.
 */
export type VendorErrorKind =
	| 'auth' // invalid or revoked key
	| 'credit' // insufficient credit / balance
	| 'permission' // plan, membership or API permission missing
	| 'rateLimit' // too many requests: retried on status calls, never on create
	| 'concurrencyLimit' // the account already has as many running jobs as the vendor allows
	| 'invalidInput' // the vendor rejected the parameters
	| 'notFound' // unknown job id
	| 'server' // vendor 5xx / system error: retried on status calls, never on create
	| 'unknown'; // an error answer no documented rule places: no refusal, so after a create a paid job may exist

export interface VendorErrorInfo {
	kind: VendorErrorKind;
	code?: string | number;
	/** The vendor's own words. */
	message: string;
	requestId?: string;
	/** From Retry-After / X-RateLimit-Reset, when the vendor says when to come back. */
	retryAfterMs?: number;
	/** Overrides the engine's default advice for this kind ("top up at …"). */
	hint?: string;
	/**
	 * A job the error answer names. For an uncertain answer to a keyed create (IdempotentCreates),
	 * the job the vendor may be making: the engine polls it instead of sending the create again.
	 */
	jobId?: string;
}

/**
 * A running-job limit that depends on the account's plan, which the user picks in the credential:
 * `planField` holds the plan option, `plans` its limit; `custom` is the option whose number the
 * user types (a contract of their own) in the credential field `custom.field`. A plan option
 * without a number here (e.g. "unknown") leaves the limit to `maxRunningJobs`, or to the vendor's
 * refusals (nodes/shared/wait/runningJobSlots.ts).
 */
export interface RunningJobsFromCredential {
	planField: string;
	plans: Record<string, number>;
	custom?: { option: string; field: string };
}

export interface VendorLimits {
	/** Jobs an account may have queued or running at once. */
	maxRunningJobs?: number;
	/** The same limit read from the credential's plan field; overrides `maxRunningJobs` when it names one. */
	runningJobsFromCredential?: RunningJobsFromCredential;
	/** POST requests per minute per key, uploads included. */
	postsPerMinute?: number;
	/** Requests of any kind per minute per key. */
	requestsPerMinute?: number;
}

export interface WaitDefaults {
	pollIntervalSeconds: number;
	waitLimitMinutes: number;
}

/** The create request for one item, plus fields the engine copies into that item's output. */
export interface CreateRequest extends VendorRequest {
	outputExtras?: IDataObject;
}

/** What an adapter may do before its create request (e.g. upload binary input). */
export interface CreateToolkit {
	/** An authenticated vendor request that is never retried; throws the mapped vendor error. */
	send(request: VendorRequest): Promise<unknown>;
	/** Streams a binary property of the item to a presigned URL with an unauthenticated PUT. */
	uploadBinary(
		url: string,
		binaryPropertyName: string,
		headers?: Record<string, string>,
	): Promise<void>;
}

/**
 * The callback capability: a vendor that calls a URL of ours when a job's status changes.
 *
 * With it, Create and Wait offers "Wait By: Vendor Callback" (operations/callbackWait.ts): the
 * engine creates the job with the execution's resume URL as its callback (`attach`), parks the
 * execution, and on the vendor's call (operations/callbackResume.ts) reads the body (`parse`)
 * only to know *when* to look: the outcome always comes from one authenticated status request.
 *
 * A vendor whose callbacks carry no job id needs a correlation of its own: `createRequest` gets a
 * per-item `reference` from the engine (put it into the callback URL), may return it in
 * `outputExtras` (copied into the item's output row), and `correlate` is told the job id the
 * create answered with those extras, so a Lip Sync Trigger mode can match later callbacks to it.
 */
export interface VendorCallbacks {
	/** The create request with `url` as the job's callback URL (n8n's resume URL: use it verbatim). */
	attach(request: CreateRequest, url: string): CreateRequest;
	/** Reads a callback body as a job status; without it the body is read with `parseStatus`. */
	parse?(jobId: string, body: unknown): NormalizedJob;
	/** Told every job id the moment its create is answered, with the request's `outputExtras`. */
	correlate?(jobId: string, extras: IDataObject | undefined): void;
	/**
	 * The name of the vendor's own callback URL option in Options (e.g. `callbackUrl`), if it has
	 * one: hidden with "Wait By: Vendor Callback", and refused there when filled (a job has one
	 * callback URL).
	 */
	urlOption?: string;
	/** The vendor calls https URLs only: an http resume URL (n8n's WEBHOOK_URL) is refused before anything is sent. */
	httpsOnly?: boolean;
}

/**
 * The long-polling capability: a vendor that can hold a status request open until the job's
 * status changes or a timeout the request names passes, then answers with the job as it is.
 *
 * With it, the engine asks for the job's status with a hold (`statusRequest`) instead of the plain
 * `VendorAdapter.statusRequest`, gives that request the hold on top of its normal timeout, and —
 * once an answer came back held — asks again at once instead of waiting a poll interval: a job's
 * completion is seen the moment it happens, with one request per hold instead of one per interval.
 */
export interface LongPolling {
	/** The longest hold the vendor allows, in whole seconds (the engine never asks for more, nor for less than 1). */
	maxHoldSeconds: number;
	/** The status request asking the vendor to hold it up to `holdSeconds` (a whole number from 1 to maxHoldSeconds). */
	statusRequest(jobId: string, holdSeconds: number): VendorRequest;
}

/**
 * The status-of-many capability: a vendor that answers the status of several jobs, named by id, in
 * one read.
 *
 * With it, jobs due for a plain (not held) look at the same time go out as one request of up to
 * `maxIds` (nodes/shared/wait/groupedReads.ts): with long-polling, the jobs that have no held read
 * open while more jobs run than reads may be open at once; without it, every look. A job the
 * answer does not name gets its own read (`VendorAdapter.statusRequest`), never a failure; a
 * grouped read the vendor refuses (invalid or not found) turns grouping off for the rest of the run.
 */
export interface StatusOfMany {
	/** The most job ids one request names (the URL's length, not only the vendor's own cap). */
	maxIds: number;
	/** The read of these jobs' statuses (2 to maxIds distinct ids). */
	request(jobIds: string[]): VendorRequest;
	/** The jobs the answer carries, each read as `parseStatus` reads one; any order, any subset. Throws on an unreadable answer. */
	parse(body: unknown): NormalizedJob[];
}

/**
 * The idempotent-create capability: the vendor takes a client-chosen key on its create request
 * and answers every create carrying a key it has seen with the job that key made, never a new one.
 *
 * With it, a paid create that got no clear answer (5xx, timeout, connection reset, an unreadable
 * or unknown answer) may safely go out again, so the engine does not end it as "may have been
 * created" (operations/paidCreate.ts):
 * - the key is derived per item and node run (n8n instance, workflow, execution, node, run index,
 *   item): Retry On Fail of the same item in the same run sends the same key; another item, run
 *   or execution another key. It is 1–64 characters of `[A-Za-z0-9._~-]`.
 * - it is written to the job ledger (n8n's log) before the create leaves, and sent on every try;
 * - an uncertain create is sent again with the same key and the same request, a bounded number
 *   of tries with backoff, within the wait limit; an uncertain answer naming a job
 *   (VendorErrorInfo.jobId) is followed by polling that job instead;
 * - a create still uncertain after the last try is remembered with its request, and Retry On Fail
 *   sends that request again with the same key (without the capability it is never resent).
 * A definite refusal (the adapter's detectError: invalid input, auth, credit…; a malformed key
 * included) ends the item as before.
 */
export interface IdempotentCreates {
	/** The request header that carries the key (e.g. `Idempotency-Key`). */
	header: string;
}

/**
 * The request every vendor accepts, asked for once by the Lip Sync node: a face (a video or a
 * photo, by URL or in a binary field of the item) and a speech track.
 */
export interface CoreCreateInput {
	face: { source: 'videoUrl' | 'imageUrl' | 'binary'; url: string; binaryPropertyName: string };
	speech: { source: 'audioUrl' | 'binary'; url: string; binaryPropertyName: string };
}

/** How a vendor's own create fields take the core input (the Lip Sync node's Face and Speech). */
export interface CoreInputMapping {
	/**
	 * The vendor's create parameters for this core input, read by its own `readCreateInput`; or,
	 * for an input the vendor cannot take (e.g. a photo where it needs a video), why: nothing is sent.
	 */
	parameters(core: CoreCreateInput): IDataObject | { refused: string };
	/** Names of the vendor's create fields the Lip Sync node offers in the vendor's own section (model, playback type…). */
	settings: string[];
}

export interface VendorAdapter<Input extends IDataObject = IDataObject, Provider extends ProviderId = ProviderId> {
	/** The vendor's id in job rows, the sandbox and the examples: lower case (CONTRIBUTING.md, "Names"). */
	provider: Provider;
	displayName: string;
	/** The n8n credential type name, `<name>Api`: it names the vendor's folder and files too (CONTRIBUTING.md). */
	credentialName: string;
	/**
	 * An instance of that credential's class (`credentials/<Name>Api.credentials.ts`): its
	 * `authenticate` is the one definition of the vendor's auth, which the transport renders once
	 * per run (nodes/shared/auth.ts).
	 */
	credentialType: ICredentialType;
	limits: VendorLimits;
	waitDefaults: WaitDefaults;
	/** Where users fix money and key problems, for error advice. */
	dashboardUrl: string;

	/**
	 * The vendor's create fields. The engine shows them for the create and createAndWait
	 * operations (it merges `operation` into each field's displayOptions.show).
	 */
	createProperties: INodeProperties[];

	/** The core input (face and speech) as this vendor's create parameters, for the Lip Sync node. */
	coreInput: CoreInputMapping;

	/**
	 * Reads and validates one item's create fields. Throws NodeOperationError naming the field
	 * and the item; sends nothing.
	 */
	readCreateInput(ctx: IExecuteFunctions, itemIndex: number): Promise<Input> | Input;

	/** Optional step after validation and before create (may send requests, e.g. uploads). */
	prepareCreateInput?(input: Input, toolkit: CreateToolkit): Promise<Input>;

	/**
	 * `reference` is a per-item correlation id the engine generates (e.g. for the vendor's callback
	 * URL); `credentials` is the run's decrypted credential, for an adapter that signs that URL
	 * with a secret held in it (the secret must never be put into the request as such).
	 */
	createRequest(input: Input, reference: string, credentials?: IDataObject): CreateRequest;

	/** Reads the job id (and, when the vendor gives one, the first status) from the create answer. */
	parseCreated(body: unknown): { jobId: string; job?: NormalizedJob };

	statusRequest(jobId: string): VendorRequest;

	parseStatus(jobId: string, body: unknown): NormalizedJob;

	/** Present when the vendor can hold a status request until the job changes (LongPolling). */
	longPoll?: LongPolling;

	/**
	 * Present when the vendor calls a URL when a job's status changes (VendorCallbacks): turns on
	 * Create and Wait's "Wait By: Vendor Callback".
	 */
	callback?: VendorCallbacks;

	/** Present when the vendor reads the status of several jobs in one request (StatusOfMany). */
	statusOfMany?: StatusOfMany;

	/** Present when the vendor deduplicates creates by a client key (IdempotentCreates). */
	idempotentCreates?: IdempotentCreates;

	/**
	 * Classifies a response as an error — an HTTP error status or an error envelope inside an
	 * HTTP 200 (e.g. a `code != 0` envelope) — or returns undefined when it is fine.
	 */
	detectError(response: VendorResponse): VendorErrorInfo | undefined;
}
