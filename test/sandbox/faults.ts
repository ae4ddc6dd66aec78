/** Faults tests switch on per target (vendor, 'files' or 'all'), optionally per endpoint kind. */

export type FaultKind =
	| 'rateLimit'
	| 'serverError'
	| 'reset'
	| 'slow'
	| 'malformedJson'
	| 'errorEnvelope'
	| 'unknownStatus'
	| 'neverFinish'
	| 'expiringUrls'
	| 'shortBody'
	| 'trickle'
	| 'wrongType'
	| 'unannounced'
	| 'invalidInput'
	| 'urlLate'
	/** sync.so, keyed creates only: 503 IDEMPOTENCY_OUTCOME_UNKNOWN (vendors/syncsoIdempotency.ts); `createdFirst`: the generation is made and named in `generationId`. */
	| 'idempotencyOutcomeUnknown';

export type EndpointKind = 'create' | 'status' | 'download' | 'other';
export type FaultTarget = string; // a Vendor, 'files' or 'all'

export interface Fault {
	kind: FaultKind;
	/** Which endpoints of the target it hits (default 'any'). */
	endpoint?: 'create' | 'status' | 'download' | 'any';
	/** Only the next N matching requests (default: until cleared). */
	times?: number;
	retryAfterSeconds?: number;
	httpStatus?: 500 | 502 | 503 | 504;
	/**
	 * Request faults on a create: the vendor creates the job first (auth and handler run), then the
	 * fault answers instead of the real answer (`slow`: the real answer comes late). What a gateway
	 * timeout or a dropped connection after the vendor accepted the job looks like to the caller.
	 */
	createdFirst?: boolean;
	/** Only requests whose JSON body contains this text (e.g. one row's audio URL). */
	matchBody?: string;
	/** shortBody: bytes sent before the connection is destroyed (default half of the file). */
	bytes?: number;
	/** shortBody: send no Content-Length (chunked), so only the aborted connection tells. */
	chunked?: boolean;
	/** unannounced: the whole file gzip-compressed (Content-Encoding: gzip), so no length tells its real size. */
	gzip?: boolean;
	/** trickle: bytes per chunk (default 1024) sent every delayMs (default 200). */
	chunkBytes?: number;
	delayMs?: number;
	status?: string;
	staleUrls?: number;
	ttlMs?: number;
}

/** Faults that act on the request before auth and before the handler runs. */
export const REQUEST_FAULTS: ReadonlySet<FaultKind> = new Set<FaultKind>([
	'rateLimit',
	'serverError',
	'reset',
	'slow',
	'malformedJson',
	'errorEnvelope',
	'invalidInput',
]);

interface ActiveFault extends Fault {
	remaining: number;
}

export class FaultBoard {
	private byTarget = new Map<FaultTarget, ActiveFault[]>();

	set(target: FaultTarget, fault: Fault | Fault[] | null): void {
		this.byTarget.delete(target);
		if (fault) for (const one of Array.isArray(fault) ? fault : [fault]) this.add(target, one);
	}

	add(target: FaultTarget, fault: Fault): void {
		if (!fault || typeof fault.kind !== 'string') throw new Error('a fault needs a kind');
		const list = this.byTarget.get(target) ?? [];
		list.push({ ...fault, remaining: fault.times ?? Infinity });
		this.byTarget.set(target, list);
	}

	clear(): void {
		this.byTarget.clear();
	}

	snapshot(): Record<string, Fault[]> {
		const out: Record<string, Fault[]> = {};
		for (const [target, list] of this.byTarget) {
			out[target] = list.map(({ remaining, ...fault }) => ({
				...fault,
				...(Number.isFinite(remaining) ? { times: remaining } : {}),
			}));
		}
		return out;
	}

	/** The first active fault of these kinds for this target and endpoint, without using it up. */
	peek(target: FaultTarget, endpoint: EndpointKind, kinds: ReadonlySet<FaultKind> | FaultKind): Fault | undefined {
		return this.find(target, endpoint, kinds)?.fault;
	}

	/** Like peek, but counts one use against `times`. */
	take(
		target: FaultTarget,
		endpoint: EndpointKind,
		kinds: ReadonlySet<FaultKind> | FaultKind,
		matches: (fault: Fault) => boolean = (fault) => fault.matchBody === undefined,
	): Fault | undefined {
		const found = this.find(target, endpoint, kinds, matches);
		if (!found) return undefined;
		found.fault.remaining -= 1;
		if (found.fault.remaining <= 0) {
			found.list.splice(found.list.indexOf(found.fault), 1);
			if (found.list.length === 0) this.byTarget.delete(found.target);
		}
		return found.fault;
	}

	private find(
		target: FaultTarget,
		endpoint: EndpointKind,
		kinds: ReadonlySet<FaultKind> | FaultKind,
		matches: (fault: Fault) => boolean = (fault) => fault.matchBody === undefined,
	) {
		const wanted = typeof kinds === 'string' ? new Set([kinds]) : kinds;
		for (const key of [target, 'all']) {
			const list = this.byTarget.get(key);
			const fault = list?.find(
				(f) =>
					wanted.has(f.kind) &&
					(!f.endpoint || f.endpoint === 'any' || f.endpoint === endpoint) &&
					matches(f),
			);
			if (list && fault) return { target: key, list, fault };
		}
		return undefined;
	}
}
