/**
 * Idempotent creates (IdempotentCreates in nodes/shared/adapter.ts), on the virtual clock with
 * the fake adapter: a vendor that takes a client key on its create answers every create carrying
 * a key it knows with that key's job, so an uncertain create is sent again under the same key
 * instead of ending "may have been created". A vendor without the capability keeps the rule:
 * an uncertain create is never sent again.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { VendorAdapter, VendorResponse } from '../../nodes/shared/adapter';
import { factsOf } from '../../nodes/shared/errors';
import { idempotencyKeyOf } from '../../nodes/shared/operations/paidCreate';
import { createAndCollect } from '../../nodes/shared/operations/submitAndWait';
import { defaultRetryPolicy, openSession } from '../../nodes/shared/transport';
import { fakeAdapter, fakeContext, fakeNode, FakeClock, type FakeResponse } from './fakes';

const HEADER = 'Idempotency-Key';

/** The fake adapter with the capability; its create body carries the item's `audio`, and an uncertain 503 may name a job. */
const keyedAdapter: VendorAdapter = {
	...fakeAdapter,
	idempotentCreates: { header: HEADER },
	readCreateInput: (ctx, itemIndex) => ({ audio: ctx.getInputData()[itemIndex].json.audio as string }),
	createRequest: (input) => ({ method: 'POST', path: '/jobs', body: { audio: input.audio } }),
	parseCreated: (body) => {
		const id = (body as IDataObject | undefined)?.id;
		if (typeof id !== 'string') throw new Error('no job id');
		return { jobId: id };
	},
	detectError: (response: VendorResponse) => {
		const info = fakeAdapter.detectError(response);
		const body = (response.body ?? {}) as IDataObject;
		return info && typeof body.generationId === 'string' ? { ...info, jobId: body.generationId } : info;
	},
};
/** The same vendor without the capability: today's rule. */
const plainAdapter: VendorAdapter = { ...keyedAdapter, idempotentCreates: undefined };

/** What an answer to a create does at the vendor before it is lost or given. */
type CreateAnswer = (job: () => string) => FakeResponse;

/**
 * A vendor that deduplicates creates by key, as the capability promises: a key it knows gets that
 * key's job back; `answers` script each create's answer in turn (default: the job, HTTP 201).
 */
function fakeVendor(answers: CreateAnswer[] = []) {
	const jobs = new Map<string, string>();
	let unkeyed = 0;
	const creates: Array<{ key?: string; body: IDataObject }> = [];
	const respond = (options: IDataObject): FakeResponse => {
		const url = String(options.url);
		if (options.method === 'GET') return { body: { status: 'done', url: `https://cdn.fake.example/${url.split('/').pop()}.mp4` } };
		const key = (options.headers as IDataObject | undefined)?.[HEADER] as string | undefined;
		creates.push({ key, body: options.body as IDataObject });
		const job = () => {
			if (key === undefined) return `job-${++unkeyed}`;
			if (!jobs.has(key)) jobs.set(key, `job-${jobs.size + 1}`);
			return jobs.get(key)!;
		};
		const answer = answers[creates.length - 1];
		return answer ? answer(job) : { statusCode: 201, body: { id: job() } };
	};
	return { respond, creates, jobsMade: () => jobs.size + unkeyed };
}

const lost502: CreateAnswer = (job) => (job(), { statusCode: 502, body: { message: 'Bad Gateway' } });

interface RunSetup {
	adapter?: VendorAdapter;
	items?: number;
	audio?: (i: number) => string;
	/** The node's context: shared between the tries of a Retry On Fail. */
	nodeContext?: IDataObject;
	executionId?: string;
	runIndex?: number;
	options?: IDataObject;
	clock?: FakeClock;
}

/** One node run of Create and Wait over the fake vendor, on the virtual clock; returns its results and the ledger's log lines. */
async function run(vendor: ReturnType<typeof fakeVendor>, setup: RunSetup = {}, onLog?: (line: string) => void) {
	const adapter = setup.adapter ?? keyedAdapter;
	const clock = setup.clock ?? new FakeClock();
	const { ctx } = fakeContext(vendor.respond);
	const lines: string[] = [];
	const items = Array.from({ length: setup.items ?? 1 }, (_, i) => ({ json: { audio: (setup.audio ?? ((n) => `voice-${n}.mp3`))(i) } }));
	const nodeContext = setup.nodeContext ?? {};
	Object.assign(ctx as unknown as IDataObject, {
		getExecutionId: () => setup.executionId ?? '57',
		getInstanceId: () => 'instance-1',
		getWorkflow: () => ({ id: 'wf-1' }),
		getInputData: () => items,
		getNodeParameter: (name: string, _i: number, fallback: unknown) => (name === 'options' ? (setup.options ?? {}) : fallback),
		continueOnFail: () => false,
		getContext: () => nodeContext,
		getWorkflowDataProxy: () => ({ $runIndex: setup.runIndex ?? 0 }),
		customData: { set() {}, get: () => undefined, getAll: () => ({}), setAll() {} },
		onExecutionCancellation: () => undefined,
		logger: {
			info: (line: string) => (lines.push(line), onLog?.(line)),
			warn: (line: string) => (lines.push(line), onLog?.(line)),
		},
	});
	await openSession(ctx, adapter, { clock, retry: { ...defaultRetryPolicy, random: () => 0.5 }, requestTimeoutMs: 20_000 });
	const { results } = await createAndCollect(ctx, adapter, 'untilDone');
	return { results, lines, clock, ctx: ctx as IExecuteFunctions, nodeContext };
}

describe('idempotent creates: an uncertain create is sent again under the same key', () => {
	it('a create answered 502 is sent again with the same Idempotency-Key and yields one job', async () => {
		const vendor = fakeVendor([lost502]);
		const { results } = await run(vendor);
		expect(vendor.creates).toHaveLength(2);
		expect(vendor.creates[0].key).toMatch(/^[A-Za-z0-9._~-]{1,128}$/);
		expect(vendor.creates[1].key).toBe(vendor.creates[0].key);
		expect(vendor.creates[1].body).toEqual(vendor.creates[0].body);
		expect(vendor.jobsMade()).toBe(1);
		expect(results[0]).toMatchObject({ jobId: 'job-1', job: { status: 'succeeded' } });
		expect(results[0].maybeCreated).toBeUndefined();
	});

	it('the key is in the job ledger before the create is sent', async () => {
		const logged: string[] = [];
		const inLedgerAtSend: boolean[] = [];
		const vendor = fakeVendor([
			(job) => {
				const key = vendor.creates[0].key!;
				inLedgerAtSend.push(logged.some((line) => line.includes('create sent') && line.includes(`idempotency key ${key}`)));
				return lost502(job);
			},
		]);
		await run(vendor, {}, (line) => logged.push(line));
		expect(inLedgerAtSend).toEqual([true]);
		// Each try is written before it leaves.
		expect(logged.filter((line) => line.includes(`idempotency key ${vendor.creates[0].key}`))).toHaveLength(2);
	});

	it('a vendor without the capability still ends maybeCreated: the 502 create is sent once, with no key', async () => {
		const vendor = fakeVendor([lost502]);
		const { results } = await run(vendor, { adapter: plainAdapter });
		expect(vendor.creates).toEqual([{ key: undefined, body: { audio: 'voice-0.mp3' } }]);
		expect(results[0].maybeCreated).toBe(true);
		expect(factsOf(results[0].problem).kind).toBe('uncertainCreate');
	});

	it.each([
		['a connection reset', { throws: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) }],
		['a timeout', { throws: Object.assign(new Error('timeout of 20000ms exceeded'), { code: 'ECONNABORTED' }) }],
		['an answer without a job id', { statusCode: 200, body: { accepted: true } }],
		['a 503 outcome-unknown naming no job', { statusCode: 503, body: { code: 'IDEMPOTENCY_OUTCOME_UNKNOWN', message: 'unknown' } }],
	] as Array<[string, FakeResponse]>)('%s after the job was made is sent again with the same key and yields that job', async (_name, lost) => {
		const vendor = fakeVendor([(job) => (job(), lost)]);
		const { results } = await run(vendor);
		expect(vendor.creates.map((create) => create.key)).toEqual([vendor.creates[0].key, vendor.creates[0].key]);
		expect(vendor.jobsMade()).toBe(1);
		expect(results[0]).toMatchObject({ jobId: 'job-1', job: { status: 'succeeded' } });
	});

	it('a 503 IDEMPOTENCY_OUTCOME_UNKNOWN naming a generation is followed by polling that generation, not by a resend', async () => {
		const vendor = fakeVendor([
			(job) => ({ statusCode: 503, body: { code: 'IDEMPOTENCY_OUTCOME_UNKNOWN', message: 'unknown', generationId: job() } }),
		]);
		const { results } = await run(vendor);
		expect(vendor.creates).toHaveLength(1);
		expect(results[0]).toMatchObject({ jobId: 'job-1', job: { status: 'succeeded', videoUrl: 'https://cdn.fake.example/job-1.mp4' } });
	});

	it('a 400 INVALID_IDEMPOTENCY_KEY is a definite refusal: sent once, the item failed, not "may have been created"', async () => {
		const vendor = fakeVendor([() => ({ statusCode: 400, body: { code: 'INVALID_IDEMPOTENCY_KEY', message: 'malformed key' } })]);
		const { results } = await run(vendor);
		expect(vendor.creates).toHaveLength(1);
		expect(factsOf(results[0].problem)).toMatchObject({ kind: 'invalidInput', code: 'INVALID_IDEMPOTENCY_KEY' });
		expect(results[0].maybeCreated).toBeUndefined();
	});

	it('resends are bounded and back off on the virtual clock: five tries, then "may have been created"', async () => {
		const vendor = fakeVendor(Array.from({ length: 9 }, () => lost502));
		const clock = new FakeClock();
		const start = clock.now();
		const { results } = await run(vendor, { clock });
		expect(vendor.creates).toHaveLength(defaultRetryPolicy.attempts);
		expect(new Set(vendor.creates.map((create) => create.key)).size).toBe(1);
		// Capped exponential backoff with the jitter fixed at its middle: 0.75 s, 1.5 s, 3 s, 6 s.
		expect(clock.now() - start).toBeGreaterThanOrEqual(750 + 1500 + 3000 + 6000);
		expect(results[0].maybeCreated).toBe(true);
		expect(String((results[0].problem as Error).message)).toContain('5 tries with the same idempotency key');
	});

	it('resends stop at the wait limit: with 3 s left, three tries', async () => {
		const vendor = fakeVendor(Array.from({ length: 9 }, () => lost502));
		const { results } = await run(vendor, { options: { waitLimitMinutes: 0.05 } });
		// Tries at 0 s, 0.75 s and 2.25 s; the next would start at 5.25 s, past the limit.
		expect(vendor.creates).toHaveLength(3);
		expect(results[0].maybeCreated).toBe(true);
	});

	it('a concurrency refusal after a try in doubt is tried again under the same key (the first try\'s job may hold the slot)', async () => {
		const vendor = fakeVendor([lost502, () => ({ statusCode: 429, body: { code: 1304, message: 'too many running' } })]);
		const { results } = await run(vendor);
		expect(vendor.creates).toHaveLength(3);
		expect(vendor.jobsMade()).toBe(1);
		expect(results[0]).toMatchObject({ jobId: 'job-1', job: { status: 'succeeded' } });
	});

	it('a refusal on a resend leaves the item "may have been created": the first try may have made the job', async () => {
		const vendor = fakeVendor([lost502, () => ({ statusCode: 400, body: { message: 'in progress' } })]);
		const { results } = await run(vendor);
		expect(vendor.creates).toHaveLength(2);
		expect(results[0].maybeCreated).toBe(true);
	});
});

describe('idempotent creates across Retry On Fail (the submission memory)', () => {
	it('Retry On Fail sends a create still in doubt again with the same key and the same request, even when the item now reads differently', async () => {
		const nodeContext: IDataObject = {};
		const vendor = fakeVendor(Array.from({ length: 5 }, () => lost502));
		const first = await run(vendor, { nodeContext, audio: () => 'voice-at-try-1.mp3' });
		expect(first.results[0].maybeCreated).toBe(true);
		// n8n re-runs the node: same execution, node and run index; `{{ $now }}` in a field reads differently.
		const second = await run(vendor, { nodeContext, audio: () => 'voice-at-try-2.mp3' });
		expect(vendor.creates).toHaveLength(6);
		expect(vendor.creates[5]).toEqual(vendor.creates[0]);
		expect(vendor.jobsMade()).toBe(1);
		expect(second.results[0]).toMatchObject({ jobId: 'job-1', job: { status: 'succeeded' } });
	});

	it('without the capability Retry On Fail still refuses to send a create in doubt again', async () => {
		const nodeContext: IDataObject = {};
		const vendor = fakeVendor([lost502]);
		await run(vendor, { adapter: plainAdapter, nodeContext });
		const second = await run(vendor, { adapter: plainAdapter, nodeContext });
		expect(vendor.creates).toHaveLength(1);
		expect(second.results[0].maybeCreated).toBe(true);
	});
});

describe('the idempotency key of an item', () => {
	const keyOf = (patch: { executionId?: string; runIndex?: number; nodeId?: string; workflowId?: string } = {}, scope = '', item = 0) => {
		const ctx = {
			getInstanceId: () => 'instance-1',
			getWorkflow: () => ({ id: patch.workflowId ?? 'wf-1' }),
			getExecutionId: () => patch.executionId ?? '57',
			getNode: () => ({ ...fakeNode, id: patch.nodeId ?? fakeNode.id }),
			getWorkflowDataProxy: () => ({ $runIndex: patch.runIndex ?? 0 }),
		} as unknown as IExecuteFunctions;
		return idempotencyKeyOf(ctx, scope, item);
	};

	it('is the same for a Retry On Fail of the item (same execution, node and run) and another for another item, run, execution, node, workflow or vendor', () => {
		const key = keyOf();
		expect(keyOf()).toBe(key);
		const others = [keyOf({}, '', 1), keyOf({ runIndex: 1 }), keyOf({ executionId: '58' }), keyOf({ nodeId: 'node-2' }), keyOf({ workflowId: 'wf-2' }), keyOf({}, 'syncso')];
		expect(new Set([key, ...others]).size).toBe(others.length + 1);
		for (const k of [key, ...others]) expect(k).toMatch(/^[A-Za-z0-9._~-]{1,128}$/);
	});
});
