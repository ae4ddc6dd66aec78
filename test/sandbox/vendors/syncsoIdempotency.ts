/**
 * sync.so's `Idempotency-Key` on `POST /v2/generate` (docs/vendors.md, sync.so, Idempotency), as
 * hooks of the sync.so module (SyncSoHooks in ./syncso.ts):
 * - documented: the key is optional, 1–128 characters of `[A-Za-z0-9._~-]`, case-sensitive, one
 *   header; empty, duplicated or malformed → 400 `INVALID_IDEMPOTENCY_KEY`. Keys are scoped to the
 *   organization (here: the API key). The same key with the same inputs makes no second
 *   generation. A keyed create whose outcome is uncertain is answered 503
 *   `IDEMPOTENCY_OUTCOME_UNKNOWN`, possibly with the `generationId` to poll.
 * - ASSUMPTION (SYNCSO_IDEMPOTENT_REPLAY in nodes/SyncSo/syncSo.assumptions.ts): a replay (known
 *   key, same body) answers like the first create did — HTTP 201 with the generation, in its
 *   current state.
 * - ASSUMPTION (SYNCSO_IDEMPOTENCY_CONFLICT): a known key with another body is refused with HTTP
 *   422 `IDEMPOTENCY_KEY_REUSED` (the IETF idempotency-key draft's status; sync.so's code for it is
 *   not retrievable) and makes nothing.
 * - ASSUMPTION: a refused keyed create (validation, 429) leaves the key unused; only a create that
 *   made a generation binds it.
 *
 * The fault `idempotencyOutcomeUnknown` (test/sandbox/faults.ts) answers a keyed create 503
 * `IDEMPOTENCY_OUTCOME_UNKNOWN`; with `createdFirst` the generation is made first and its id is in
 * the answer's `generationId`. A lost answer after the generation was made is the generic
 * `createdFirst` fault (`reset`, `serverError`).
 *
 * Generations per key are counted: each generation made under a key carries it in `meta.idempotencyKey`
 * (`sb.jobs.list('syncso')`, `GET /__sandbox/jobs?vendor=syncso`), and every create's key is in the
 * request log's headers (`idempotency-key`): "billed once" is one generation for the key however
 * many creates carried it.
 */
import type { Ctx } from '../http';
import { generationOf, syncError, type SyncSoHooks } from './syncso';

const HEADER = 'idempotency-key';
const KEY_FORMAT = /^[A-Za-z0-9._~-]{1,128}$/;

/** A body as a canonical string: the same inputs in another key order are the same inputs. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
		return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

/** The request's key: undefined without the header, '' when it cannot be one key (empty, sent twice). */
function keyOf(ctx: Ctx): string | undefined {
	const raw = ctx.req.headersDistinct?.[HEADER] ?? (ctx.req.headers[HEADER] === undefined ? undefined : [String(ctx.req.headers[HEADER])]);
	if (raw === undefined) return undefined;
	return raw.length === 1 ? raw[0] : '';
}

interface KeyRecord {
	jobId: string;
	body: string;
}

export function createSyncSoIdempotency(): SyncSoHooks & { reset(): void } {
	/** Generations by organization (API key) and idempotency key. */
	const byKey = new Map<string, KeyRecord>();
	const scoped = (ctx: Ctx, key: string) => `${ctx.key}\u0000${key}`;

	return {
		beforeCreate(ctx, body) {
			const key = keyOf(ctx);
			if (key === undefined) return false;
			if (!KEY_FORMAT.test(key)) {
				ctx.json(400, syncError(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be one header of 1-128 characters from [A-Za-z0-9._~-]'));
				return true;
			}
			const known = byKey.get(scoped(ctx, key));
			if (known) {
				if (known.body !== canonical(body)) {
					ctx.json(422, syncError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with different inputs'));
					return true;
				}
				const job = ctx.core.jobs.get('syncso', known.jobId);
				if (job) {
					ctx.json(201, generationOf(ctx.core, job));
					return true;
				}
			}
			const fault = ctx.core.faults.take('syncso', 'create', 'idempotencyOutcomeUnknown');
			if (!fault) return false;
			ctx.entry.fault = 'idempotencyOutcomeUnknown';
			const unknown = (generationId?: string) =>
				({ ...syncError(503, 'IDEMPOTENCY_OUTCOME_UNKNOWN', 'The outcome of this request is not known yet; retry with the same Idempotency-Key or poll the generation'), ...(generationId ? { generationId } : {}) });
			if (!fault.createdFirst) {
				ctx.json(503, unknown());
				return true;
			}
			// The generation is made, then its 201 becomes the uncertain 503 naming it.
			const answer = ctx.json;
			ctx.json = (status, reply, headers) => {
				const id = (reply as { id?: unknown } | undefined)?.id;
				if (status === 201 && typeof id === 'string') answer(503, unknown(id), headers);
				else answer(status, reply, headers);
			};
			return false;
		},
		afterCreate(ctx, job) {
			const key = keyOf(ctx);
			if (key === undefined || !KEY_FORMAT.test(key)) return;
			job.meta.idempotencyKey = key;
			byKey.set(scoped(ctx, key), { jobId: job.id, body: canonical(ctx.body) });
		},
		reset: () => byKey.clear(),
	};
}
