/** Request context, routes and replies shared by the server and the vendor files. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeliveryLog, JobCallbacks } from './deliveries';
import type { EndpointKind, FaultBoard } from './faults';
import type { JobClock } from './jobs';
import type { Limits } from './limits';
import type { Vendor, RuntimeOptions } from './options';
import type { LogEntry, RequestLog } from './requestLog';

/** What every vendor file can reach: the sandbox's shared machinery. */
export interface SandboxCore {
	readonly url: string;
	options(): RuntimeOptions;
	keys(vendor: Vendor): string[];
	jobs: JobClock;
	faults: FaultBoard;
	log: RequestLog;
	limits: Limits;
	deliveries: DeliveryLog;
}

export interface Ctx {
	req: IncomingMessage;
	res: ServerResponse;
	url: URL;
	params: Record<string, string>;
	/** Parsed JSON body (undefined when absent or not JSON). */
	body: unknown;
	/** True when a body was sent but is not valid JSON. */
	badJson: boolean;
	/** The caller's API key once authenticated ('' on routes without auth). */
	key: string;
	entry: LogEntry;
	core: SandboxCore;
	json(status: number, body: unknown, headers?: Record<string, string | number>): void;
	text(status: number, body: string, contentType?: string, headers?: Record<string, string | number>): void;
}

export interface Route {
	method: string;
	/** Below the vendor prefix; `:name` segments become params. */
	path: string;
	endpoint: string;
	kind: EndpointKind;
	/** Default true. */
	auth?: boolean;
	/** The handler reads the request stream itself (uploads). */
	streamBody?: boolean;
	handler(ctx: Ctx): void | Promise<void>;
}

export interface VendorFaultBodies {
	/** Body (and extra headers, e.g. Modellix's X-RateLimit-Reset) of a 429 answer. */
	rateLimit(ctx: Ctx, retryAfterSeconds: number): { body: unknown; headers?: Record<string, string | number> };
	serverError(ctx: Ctx, status: number): unknown;
	errorEnvelope(ctx: Ctx): unknown;
	/** The vendor's "invalid parameters" refusal of a request (nothing is created). */
	invalidInput(ctx: Ctx): { status: number; body: unknown };
}

export interface VendorModule {
	vendor: Vendor;
	routes: Route[];
	/** The key the request carries (undefined when none). */
	readKey(ctx: Ctx): string | undefined;
	/** Answers a missing or wrong key the way the vendor does. */
	rejectKey(ctx: Ctx): void;
	/** Vendor limits checked after auth; answers and returns false when the request is refused. */
	beforeHandle?(ctx: Ctx): boolean;
	notFound(ctx: Ctx): void;
	faultBodies: VendorFaultBodies;
	/** The vendor calls a job's callback URL (given at create) when its status changes (deliveries.ts). */
	callbacks?: JobCallbacks;
	/** Maps path aliases (JoggAI's /open/v2) onto the canonical path. */
	rewritePath?(path: string): string;
	/** Forget all vendor state (endpoints, uploads, quotas…). */
	reset?(): void;
}

export const MAX_JSON_BODY = 1024 * 1024;

export class BodyTooLargeError extends Error {}

export async function readJsonBody(req: IncomingMessage): Promise<{ body: unknown; badJson: boolean }> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > MAX_JSON_BODY) throw new BodyTooLargeError('request body too large');
		chunks.push(chunk);
	}
	if (size === 0) return { body: undefined, badJson: false };
	const text = Buffer.concat(chunks).toString('utf8');
	try {
		return { body: JSON.parse(text), badJson: false };
	} catch {
		return { body: text, badJson: true };
	}
}

export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
	const want = pattern.split('/');
	const got = path.split('/');
	if (want.length !== got.length) return undefined;
	const params: Record<string, string> = {};
	for (let i = 0; i < want.length; i++) {
		if (want[i].startsWith(':')) {
			if (!got[i]) return undefined;
			params[want[i].slice(1)] = decodeURIComponent(got[i]);
		} else if (want[i] !== got[i]) return undefined;
	}
	return params;
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

export const asString = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() !== '' ? value : undefined;

export const unixSeconds = (ms: number): number => Math.floor(ms / 1000);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
