import type { IDataObject } from 'n8n-workflow';

import type { VendorAdapter } from '../../nodes/shared/adapter';
import { VendorFailure } from '../../nodes/shared/errors';
import { defaultRetryPolicy, openSession, vendorRequest, type EngineDeps } from '../../nodes/shared/transport';
import { FakeClock, fakeAdapter, fakeContext, type FakeResponse } from './fakes';

const KEY = 'sk-live-SECRET-0123456789';

async function setup(
	answers: Array<FakeResponse | ((o: IDataObject) => FakeResponse)>,
	adapter: VendorAdapter = fakeAdapter,
	retry: Partial<typeof defaultRetryPolicy> = {},
	clock = new FakeClock(),
) {
	let call = 0;
	const fake = fakeContext((options) => {
		const answer = answers[Math.min(call++, answers.length - 1)];
		return typeof answer === 'function' ? answer(options) : answer;
	});
	const deps: EngineDeps = { clock, retry: { ...defaultRetryPolicy, random: () => 0.5, ...retry }, requestTimeoutMs: 1000 };
	await openSession(fake.ctx, adapter, deps);
	return { ...fake, clock };
}

const get = { method: 'GET' as const, path: '/jobs/j1' };
const post = { method: 'POST' as const, path: '/jobs', body: { a: 1 } };

async function failureOf(promise: Promise<unknown>): Promise<VendorFailure> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof VendorFailure) return error;
		throw error;
	}
	throw new Error('expected a failure');
}

const socketError = () => {
	const error = new Error('read ECONNRESET') as Error & IDataObject;
	error.cause = { code: 'ECONNRESET', message: 'read ECONNRESET', config: { headers: { Authorization: `Bearer ${KEY}` } } };
	error.config = { headers: { Authorization: `Bearer ${KEY}` } };
	return error;
};

describe('vendorRequest', () => {
	it('builds the URL from the credential base URL (trailing slash trimmed) and reads credentials once', async () => {
		const { ctx, calls, credentialReads } = await setup([{ body: { status: 'pending' } }]);
		await vendorRequest(ctx, fakeAdapter, get, { retry: true });
		await vendorRequest(ctx, fakeAdapter, post, { retry: false });
		await vendorRequest(ctx, fakeAdapter, get, { retry: true });
		expect(calls).toHaveLength(3);
		expect(calls[0]).toMatchObject({ method: 'GET', url: 'https://api.fake.example/jobs/j1', json: true, returnFullResponse: true, ignoreHttpStatusErrors: true });
		expect(calls[1]).toMatchObject({ method: 'POST', url: 'https://api.fake.example/jobs', body: { a: 1 } });
		// The session opened by setup read them; three requests later it is still one read.
		expect(credentialReads()).toBe(1);
	});

	it('retries a status call on 429 and honours Retry-After', async () => {
		const { ctx, calls, clock } = await setup([
			{ statusCode: 429, headers: { 'retry-after': '7' }, body: { message: 'slow down' } },
			{ body: { status: 'done' } },
		]);
		const start = clock.now();
		await expect(vendorRequest(ctx, fakeAdapter, get, { retry: true })).resolves.toEqual({ status: 'done' });
		expect(calls).toHaveLength(2);
		expect(clock.now() - start).toBeGreaterThanOrEqual(7000);
	});

	it('retries 5xx, network failures and malformed JSON with growing, capped backoff, then gives up', async () => {
		const clock = new FakeClock();
		const sentAt: number[] = [];
		const timed = (answer: FakeResponse) => () => {
			sentAt.push(clock.now());
			return answer;
		};
		const attempts = 9;
		const { ctx, calls } = await setup(
			[
				timed({ statusCode: 502, body: '<html>bad gateway</html>' }),
				timed({ throws: socketError() }),
				timed({ statusCode: 200, body: '{"status": "do' }),
				timed({ statusCode: 500, body: { message: 'internal' } }),
				timed({ statusCode: 503, body: { message: 'unavailable' } }),
			],
			fakeAdapter,
			{ attempts },
			clock,
		);
		const error = await failureOf(vendorRequest(ctx, fakeAdapter, get, { retry: true }));
		expect(calls).toHaveLength(attempts);
		expect(error.facts.kind).toBe('server');
		const pauses = sentAt.slice(1).map((time, i) => time - sentAt[i]);
		// random 0.5 → 3/4 of the ceiling: 1 s, 2 s, 4 s … doubling until maxDelayMs (30 s) caps it.
		const ceilings = pauses.map((_, i) => Math.min(defaultRetryPolicy.maxDelayMs, defaultRetryPolicy.baseDelayMs * 2 ** i));
		expect(ceilings.slice(-3)).toEqual([30_000, 30_000, 30_000]);
		expect(pauses.map(Math.round)).toEqual(ceilings.map((ceiling) => 0.75 * ceiling));
	});

	it('recovers from a reset connection and a malformed body on a status call', async () => {
		const { ctx, calls } = await setup([{ throws: socketError() }, { body: '{"trunc' }, { body: { status: 'done' } }]);
		await expect(vendorRequest(ctx, fakeAdapter, get, { retry: true })).resolves.toEqual({ status: 'done' });
		expect(calls).toHaveLength(3);
	});

	it('does not retry client errors (auth, not found, invalid input)', async () => {
		const { ctx, calls } = await setup([{ statusCode: 401, body: { message: 'bad key' } }]);
		const error = await failureOf(vendorRequest(ctx, fakeAdapter, get, { retry: true }));
		expect(error.facts.kind).toBe('auth');
		expect(calls).toHaveLength(1);
	});

	it('never retries a create: not on 5xx, not on 429, not on a lost connection', async () => {
		for (const answer of [
			{ statusCode: 500, body: { message: 'internal' } },
			{ statusCode: 429, headers: { 'retry-after': '1' }, body: { message: 'slow' } },
			{ throws: socketError() },
		] as FakeResponse[]) {
			const { ctx, calls } = await setup([answer, { body: { id: 'x' } }]);
			await failureOf(vendorRequest(ctx, fakeAdapter, post, { retry: true }));
			expect(calls).toHaveLength(1);
		}
	});

	it('reports a paid create as maybe created on 5xx, an HTML gateway page, a lost connection or a vendor system error', async () => {
		for (const answer of [
			{ statusCode: 500, body: { message: 'internal' } },
			{ statusCode: 502, body: '<html><h1>502 Bad Gateway</h1></html>' },
			{ statusCode: 504, body: '<html><h1>504 Gateway Time-out</h1></html>' },
			{ throws: socketError() },
			{ statusCode: 200, body: '{"code":0,"data":{"task_' },
		] as FakeResponse[]) {
			const { ctx } = await setup([answer]);
			const error = await failureOf(vendorRequest(ctx, fakeAdapter, post, { retry: false, paidCreate: true }));
			expect(error.facts.kind).toBe('uncertainCreate');
			expect(error.message).toContain('may have been created');
		}
	});

	it('reports a definite refusal of a paid create as such: bad key, bad input, rate limit, full account', async () => {
		const answers: Array<[FakeResponse, string]> = [
			[{ statusCode: 401, body: { message: 'bad key' } }, 'auth'],
			[{ statusCode: 400, body: { message: 'bad url', code: 5 } }, 'invalidInput'],
			[{ statusCode: 429, headers: { 'retry-after': '30' }, body: { message: 'slow' } }, 'rateLimit'],
			[{ statusCode: 400, body: { message: 'full', code: 1304 } }, 'concurrencyLimit'],
		];
		for (const [answer, kind] of answers) {
			const { ctx } = await setup([answer]);
			const error = await failureOf(vendorRequest(ctx, fakeAdapter, post, { retry: false, paidCreate: true }));
			expect(error.facts.kind).toBe(kind);
		}
	});

	it('reports a connection refused before sending as not created', async () => {
		const refused = Object.assign(new Error('connect ECONNREFUSED'), { cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.1:443' } });
		const { ctx } = await setup([{ throws: refused }]);
		const error = await failureOf(vendorRequest(ctx, fakeAdapter, post, { retry: false, paidCreate: true }));
		expect(error.facts.kind).toBe('network');
	});

	it('reports a paid create on the wire when the execution is stopped as maybe created', async () => {
		const { ctx, abort } = await setup([
			() => {
				abort.abort();
				return { throws: new Error('This operation was aborted') };
			},
		]);
		const error = await failureOf(vendorRequest(ctx, fakeAdapter, post, { retry: false, paidCreate: true }));
		expect(error.facts.kind).toBe('uncertainCreate');
		expect(error.facts.message).toContain('stopped');
	});

	it('does not follow a redirect to another host, and names where it pointed', async () => {
		const { ctx, calls } = await setup([{ statusCode: 302, headers: { location: 'https://evil.example/steal' }, body: '' }]);
		const error = await failureOf(vendorRequest(ctx, fakeAdapter, get, { retry: true }));
		expect(calls).toHaveLength(1);
		expect(calls[0].disableFollowRedirect).toBe(true);
		expect(error.facts.kind).toBe('redirect');
		expect(error.message).toContain('https://evil.example/steal');
	});

	it('follows a same-origin redirect of a status GET', async () => {
		const { ctx, calls } = await setup([
			{ statusCode: 301, headers: { location: '/v2/jobs/j1' }, body: '' },
			{ body: { status: 'done', url: 'https://cdn.example/v.mp4' } },
		]);
		await expect(vendorRequest(ctx, fakeAdapter, get, { retry: true })).resolves.toMatchObject({ status: 'done' });
		expect(calls.map((c) => c.url)).toEqual(['https://api.fake.example/jobs/j1', 'https://api.fake.example/v2/jobs/j1']);
	});

	it('refuses a plain-http base URL that is not loopback before sending anything', async () => {
		const calls: IDataObject[] = [];
		const fake = fakeContext((options) => (calls.push(options), { body: {} }), { apiKey: KEY, baseUrl: 'http://api.fake.example' });
		const error = await failureOf(vendorRequest(fake.ctx, fakeAdapter, get, { retry: true }));
		expect(error.facts.kind).toBe('config');
		expect(error.message).toContain('https');
		expect(fake.calls).toHaveLength(0);
		const local = fakeContext(() => ({ body: { status: 'pending' } }), { apiKey: KEY, baseUrl: 'http://127.0.0.1:4010/vozo' });
		await expect(vendorRequest(local.ctx, fakeAdapter, get, { retry: true })).resolves.toEqual({ status: 'pending' });
	});

	it('starts no retry after the deadline and bounds each attempt by it', async () => {
		const { ctx, calls, clock } = await setup([{ statusCode: 503, body: { message: 'busy' } }]);
		const deadline = clock.now() + 2_500;
		const error = await failureOf(vendorRequest(ctx, fakeAdapter, get, { retry: true, deadline }));
		expect(error.facts.kind).toBe('server');
		// 1 s, then 2 s of backoff (random 0.5 → 0.75 s, 1.5 s): the third attempt would start after the deadline.
		expect(calls.length).toBeLessThan(defaultRetryPolicy.attempts);
		expect(clock.now()).toBeLessThanOrEqual(deadline);
		for (const call of calls) expect(Number(call.timeout)).toBeLessThanOrEqual(2_500 + 3_000);
	});

	it('waits out a relative X-RateLimit-Reset (seconds from now) before retrying a status call', async () => {
		const { ctx, clock, calls } = await setup([
			{ statusCode: 429, headers: { 'x-ratelimit-reset': '30' }, body: { message: 'slow' } },
			{ body: { status: 'done' } },
		]);
		const start = clock.now();
		await vendorRequest(ctx, fakeAdapter, get, { retry: true });
		expect(calls).toHaveLength(2);
		expect(clock.now() - start).toBeGreaterThanOrEqual(30_000);
	});

	it('paces POSTs to postsPerMinute in a sliding window; GETs are not limited by it', async () => {
		const adapter: VendorAdapter = { ...fakeAdapter, limits: { postsPerMinute: 20 } };
		const { ctx, clock, calls } = await setup([{ body: { id: 'x' } }], adapter);
		const sent: number[] = [];
		const fake = ctx.helpers.httpRequest as unknown as (o: IDataObject) => Promise<unknown>;
		(ctx.helpers as unknown as IDataObject).httpRequest = async (o: IDataObject) => {
			if (o.method === 'POST') sent.push(clock.now());
			return await fake(o);
		};
		const start = clock.now();
		await Promise.all(Array.from({ length: 20 }, () => vendorRequest(ctx, adapter, post, { retry: false })));
		// The POST window is full now: 30 GETs still all go out at once, without waiting.
		await Promise.all(Array.from({ length: 30 }, () => vendorRequest(ctx, adapter, get, { retry: true })));
		expect(calls.filter((c) => c.method === 'GET')).toHaveLength(30);
		expect(clock.now()).toBe(start);
		await Promise.all(Array.from({ length: 25 }, () => vendorRequest(ctx, adapter, post, { retry: false })));
		expect(sent).toHaveLength(45);
		for (const t of sent) expect(sent.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(20);
		expect(sent[20] - start).toBeGreaterThanOrEqual(60_000);
		expect(sent[20] - sent[0]).toBeLessThan(62_000);
		expect(sent[40] - start).toBeGreaterThanOrEqual(120_000);
	});

	it('two executions with one key share the account\'s POST window: at most 20 in any minute together', async () => {
		const adapter: VendorAdapter = { ...fakeAdapter, provider: 'shared-window', limits: { postsPerMinute: 20 } };
		const clock = new FakeClock();
		const sent: number[] = [];
		const deps: EngineDeps = { clock, retry: { ...defaultRetryPolicy, random: () => 0.5 }, requestTimeoutMs: 1000 };
		const executions = [0, 1].map(() => fakeContext((options) => (options.method === 'POST' && sent.push(clock.now()), { body: { id: 'x' } })));
		for (const { ctx } of executions) await openSession(ctx, adapter, deps);
		await Promise.all(executions.flatMap(({ ctx }) => Array.from({ length: 12 }, () => vendorRequest(ctx, adapter, post, { retry: false }))));
		expect(sent).toHaveLength(24);
		for (const t of sent) expect(sent.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(20);
		// A different key is another account, with its own window.
		const other = fakeContext(() => ({ body: { id: 'y' } }), { apiKey: 'sk-other-account-987654', baseUrl: 'https://api.fake.example' });
		await openSession(other.ctx, adapter, deps);
		const before = clock.now();
		await vendorRequest(other.ctx, adapter, post, { retry: false });
		expect(clock.now()).toBe(before);
	});

	it('limits requests of any kind with requestsPerMinute', async () => {
		const adapter: VendorAdapter = { ...fakeAdapter, limits: { requestsPerMinute: 5 } };
		const { ctx, clock } = await setup([{ body: { status: 'pending' } }], adapter);
		const start = clock.now();
		await Promise.all(Array.from({ length: 11 }, () => vendorRequest(ctx, adapter, get, { retry: true })));
		expect(clock.now() - start).toBeGreaterThanOrEqual(120_000);
	});
});
