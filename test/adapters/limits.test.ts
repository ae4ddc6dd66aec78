/**
 * Each vendor's declared limits, proven against the vendor's documented limit as the sandbox
 * enforces it: the real adapter, the engine's transport and scheduler, n8n-core's HTTP helper and
 * the sandbox over real HTTP — on a virtual clock shared by the engine and the sandbox's rate
 * windows, so a minute of pacing takes milliseconds. (The same pacing in a real n8n, on the real
 * clock: test/e2e/pipelineBatches.e2e.test.ts.)
 */
import type { VendorAdapter } from '../../nodes/shared/adapter';
import { openSession, vendorRequest, defaultRetryPolicy, type VendorContext } from '../../nodes/shared/transport';
import { waitForJobs } from '../../nodes/shared/wait/waitForJobs';
import { buildPlan } from '../../nodes/shared/operations/submitAndWait';
import type { RunOptions } from '../../nodes/shared/operations/runOptions';
import { joggAiAdapter } from '../../nodes/JoggAi/joggAi.adapter';
import { modellixAdapter } from '../../nodes/Modellix/modellix.adapter';
import { syncSoAdapter } from '../../nodes/SyncSo/syncSo.adapter';
import { vozoAdapter } from '../../nodes/Vozo/vozo.adapter';
import { FakeClock, testWaitPlan } from '../engine/fakes';
import { vendorContext } from '../harness/vendorContext';
import { DEFAULT_OPTIONS, startSandbox, type Sandbox, type Vendor } from '../sandbox';
import { VENDOR_SETUP } from '../nodes/nodeKit';

const MINUTE = 60_000;
let sb: Sandbox | undefined;
afterEach(async () => {
	await sb?.close();
	sb = undefined;
});

/**
 * A fresh sandbox (so a fresh account: the engine keeps an account's windows by base URL and
 * key) and an engine session on `clock`; every request holds the clock while it is on the wire.
 */
async function session(vendor: Vendor, adapter: VendorAdapter, clock: FakeClock): Promise<VendorContext> {
	sb = await startSandbox({ now: clock.now, jobDurationMs: 10 * MINUTE, jitterMs: 0 });
	const setup = VENDOR_SETUP[vendor];
	const ctx = await vendorContext({
		nodeType: setup.node(),
		credentialType: setup.credentialType(),
		credentials: { apiKey: sb.keys[vendor], baseUrl: sb.baseUrl(vendor) },
	});
	// The session renders each credential's auth and sends with the plain helper.
	const send = ctx.helpers.httpRequest;
	ctx.helpers.httpRequest = async (...args: Parameters<typeof send>) =>
		await clock.during(async () => await send.apply(ctx.helpers, args));
	await openSession(ctx, adapter, { clock, retry: { ...defaultRetryPolicy, random: () => 0.5 }, requestTimeoutMs: 10_000 });
	return ctx;
}

const inAnyMinute = (times: number[]) => Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + MINUTE).length));

describe('JoggAI: 20 POST requests per minute per key (GETs unlimited)', () => {
	it('21 creates at once: the sandbox refuses none, no minute holds more than 20, the 21st waits for the window', async () => {
		const clock = new FakeClock();
		const ctx = await session('joggai', joggAiAdapter, clock);
		const start = clock.now();
		const created = await Promise.all(
			Array.from({ length: 21 }, async (_, i) => {
				const request = joggAiAdapter.createRequest({ videoUrl: 'https://cdn.example.test/face.mp4', audioUrl: `https://cdn.example.test/voice-${i}.mp3`, playbackType: 'normal' }, `ref-${i}`);
				return joggAiAdapter.parseCreated(await vendorRequest(ctx, joggAiAdapter, request, { retry: false, paidCreate: true })).jobId;
			}),
		);
		expect(new Set(created).size).toBe(21);
		const creates = sb!.log.entries({ vendor: 'joggai', endpoint: 'create' });
		expect(creates.map((e) => (e.responseBody as { code?: number }).code)).toEqual(Array(21).fill(0));
		const posts = sb!.jobs.postTimes('joggai', sb!.keys.joggai);
		expect(posts).toHaveLength(21);
		expect(inAnyMinute(posts)).toBe(DEFAULT_OPTIONS.joggaiPostsPerWindow);
		expect(posts[20] - start).toBeGreaterThanOrEqual(MINUTE);
	});

	it('status GETs right after 20 creates are not held back by the POST window', async () => {
		const clock = new FakeClock();
		const ctx = await session('joggai', joggAiAdapter, clock);
		const ids: string[] = [];
		for (let i = 0; i < 20; i++) {
			const request = joggAiAdapter.createRequest({ videoUrl: 'https://cdn.example.test/face.mp4', audioUrl: `https://cdn.example.test/v-${i}.mp3`, playbackType: 'normal' }, `ref-${i}`);
			ids.push(joggAiAdapter.parseCreated(await vendorRequest(ctx, joggAiAdapter, request, { retry: false })).jobId);
		}
		const before = clock.now();
		const statuses = await Promise.all(ids.map(async (id) => joggAiAdapter.parseStatus(id, await vendorRequest(ctx, joggAiAdapter, joggAiAdapter.statusRequest(id), { retry: true }))));
		expect(clock.now()).toBe(before);
		expect(statuses.map((job) => job.status)).toEqual(Array(20).fill('queued'));
		expect(sb!.log.count({ vendor: 'joggai', endpoint: 'status' })).toBe(20);
	});
});

describe('Modellix: 100 requests per minute per key', () => {
	it('a create, then 100 status requests at once: the sandbox refuses none, and the 101st request waits for the window', async () => {
		const clock = new FakeClock();
		const ctx = await session('modellix', modellixAdapter, clock);
		const create = modellixAdapter.createRequest({ modelSlug: 'vidu/lip-sync', body: { video_url: 'https://cdn.example.test/face.mp4', audio_url: 'https://cdn.example.test/a.mp3' } }, 'ref');
		const { jobId } = modellixAdapter.parseCreated(await vendorRequest(ctx, modellixAdapter, create, { retry: false }));
		const start = clock.now();
		const sentAt: number[] = [];
		await Promise.all(
			Array.from({ length: 100 }, async () => {
				await vendorRequest(ctx, modellixAdapter, modellixAdapter.statusRequest(jobId), { retry: false, onSend: () => sentAt.push(clock.now()) });
			}),
		);
		const statuses = sb!.log.entries({ vendor: 'modellix' }).map((e) => e.statusCode);
		expect(statuses).toEqual(Array(101).fill(200));
		expect(sentAt.filter((t) => t === start)).toHaveLength(99);
		expect(Math.max(...sentAt) - start).toBeGreaterThanOrEqual(MINUTE - 1);
	});
});

describe('Modellix: status reads share the 100 requests a minute with creates', () => {
	it('200 items rendering 90 s in Create and Wait: every create is sent before any status read, one read per job, done once the fourth window opens (400 requests)', async () => {
		const clock = new FakeClock();
		const ctx = await session('modellix', modellixAdapter, clock);
		// Each job renders 90 s ± 2 s of the virtual clock: it ends when a status read finds it that old.
		sb!.setFault('modellix', { kind: 'neverFinish' });
		const renderMs = (itemIndex: number) => 90_000 + ((itemIndex % 5) - 2) * 1_000;
		const job = new Map<string, { createdAt: number; renderMs: number }>();
		const createsSentAt: number[] = [];
		const statusSentAt: number[] = [];
		const start = clock.now();
		const plan = buildPlan(modellixAdapter, { pollIntervalMs: 5_000, waitLimitMs: 30 * MINUTE } as RunOptions, 'untilDone', start);
		const outcomes = await waitForJobs(
			Array.from({ length: 200 }, (_, itemIndex) => ({
				itemIndex,
				submit: async () => {
					// A create takes a moment (n8n, the network): the batch's creates spread as in a real run.
					await clock.sleep(100);
					const request = modellixAdapter.createRequest({ modelSlug: 'vidu/lip-sync', body: { video_url: 'https://cdn.example.test/face.mp4', audio_url: `https://cdn.example.test/a-${itemIndex}.mp3` } }, `ref-${itemIndex}`);
					const created = modellixAdapter.parseCreated(await vendorRequest(ctx, modellixAdapter, request, { retry: false, paidCreate: true, onSend: () => createsSentAt.push(clock.now()) }));
					job.set(created.jobId, { createdAt: clock.now(), renderMs: renderMs(itemIndex) });
					return created;
				},
			})),
			plan,
			{
				clock,
				isCancelled: () => false,
				poll: async (jobId) => {
					const onSend = () => {
						statusSentAt.push(clock.now());
						const { createdAt, renderMs: takes } = job.get(jobId)!;
						if (clock.now() - createdAt >= takes) sb!.jobs.finish('modellix', jobId, 'succeeded');
					};
					return modellixAdapter.parseStatus(jobId, await vendorRequest(ctx, modellixAdapter, modellixAdapter.statusRequest(jobId), { retry: true, onSend }));
				},
			},
		);
		expect(outcomes.map((o) => o.state)).toEqual(Array(200).fill('finished'));
		expect(createsSentAt).toHaveLength(200);
		expect(sb!.log.entries({ vendor: 'modellix' }).every((e) => e.statusCode === 200)).toBe(true);
		// A read before the last create would have taken a create's place (and found its job rendering).
		expect(Math.min(...statusSentAt)).toBeGreaterThanOrEqual(Math.max(...createsSentAt));
		expect(statusSentAt).toHaveLength(200);
		// 400 requests at 100 a window: the last ones leave when the fourth window opens (3 × 61 s).
		expect(clock.now() - start).toBeLessThan(3 * 61_000 + 5_000);
	});
});

describe('sync.so: 60 creates and 600 requests per minute per key', () => {
	const syncSoCreate = (i: number) =>
		syncSoAdapter.createRequest({ model: 'lipsync-2', video: { url: 'https://cdn.example.test/face.mp4' }, speech: { url: `https://cdn.example.test/voice-${i}.wav` }, options: {} }, `ref-${i}`);

	it('61 creates at once: the sandbox refuses none (all 201), no minute holds more than 60, the 61st waits for the window', async () => {
		const clock = new FakeClock();
		const ctx = await session('syncso', syncSoAdapter, clock);
		// An Enterprise plan of 61 generations at once: the request rate alone is measured here.
		sb!.setOptions({ syncsoPlan: 61 });
		const start = clock.now();
		const created = await Promise.all(
			Array.from({ length: 61 }, async (_, i) =>
				syncSoAdapter.parseCreated(await vendorRequest(ctx, syncSoAdapter, syncSoCreate(i), { retry: false, paidCreate: true })).jobId,
			),
		);
		expect(new Set(created).size).toBe(61);
		expect(sb!.log.entries({ vendor: 'syncso', endpoint: 'create' }).map((e) => e.statusCode)).toEqual(Array(61).fill(201));
		const posts = sb!.jobs.postTimes('syncso', sb!.keys.syncso);
		expect(inAnyMinute(posts)).toBe(DEFAULT_OPTIONS.syncsoCreatesPerWindow);
		expect(posts[60] - start).toBeGreaterThanOrEqual(MINUTE);
	});

	it('a create, then 600 status requests at once: the sandbox refuses none, the 601st request of the minute waits for the window', async () => {
		const clock = new FakeClock();
		const ctx = await session('syncso', syncSoAdapter, clock);
		const { jobId } = syncSoAdapter.parseCreated(await vendorRequest(ctx, syncSoAdapter, syncSoCreate(0), { retry: false }));
		const start = clock.now();
		const sentAt: number[] = [];
		await Promise.all(
			Array.from({ length: 600 }, async () => {
				await vendorRequest(ctx, syncSoAdapter, syncSoAdapter.statusRequest(jobId), { retry: false, onSend: () => sentAt.push(clock.now()) });
			}),
		);
		expect(sb!.log.entries({ vendor: 'syncso', endpoint: 'status' }).map((e) => e.statusCode)).toEqual(Array(600).fill(200));
		// The engine counts the create in the key's 600 too: 599 go at once, the last one a minute later.
		expect(sentAt.filter((t) => t === start)).toHaveLength(599);
		expect(Math.max(...sentAt) - start).toBeGreaterThanOrEqual(MINUTE - 1);
	});
});

describe('Vozo: 10 queued or running jobs per account', () => {
	it('11 items: 10 jobs are created, the 11th waits in the node for a slot — the sandbox never answers 1304', async () => {
		const clock = new FakeClock();
		const ctx = await session('vozo', vozoAdapter, clock);
		sb!.setFault('vozo', { kind: 'neverFinish' });
		const account = (await openSession(ctx, vozoAdapter)).account;
		const plan = testWaitPlan(clock.now(), {
			mode: 'untilSubmitted',
			deadline: clock.now() + MINUTE,
			capsRunningJobs: vozoAdapter.limits.maxRunningJobs !== undefined,
		});

		const outcomes = await waitForJobs(
			Array.from({ length: 11 }, (_, itemIndex) => ({
				itemIndex,
				submit: async () => {
					const request = vozoAdapter.createRequest(
						{ generationMode: 'referenceFile', referenceFileType: 'video', referenceFileUrl: 'https://cdn.example.test/face.mp4', model: 'standard_v1', audioUrl: `https://cdn.example.test/v-${itemIndex}.mp3` },
						`ref-${itemIndex}`,
					);
					return vozoAdapter.parseCreated(await vendorRequest(ctx, vozoAdapter, request, { retry: false, paidCreate: true }));
				},
			})),
			plan,
			{
				clock,
				isCancelled: () => false,
				poll: async (jobId) => vozoAdapter.parseStatus(jobId, await vendorRequest(ctx, vozoAdapter, vozoAdapter.statusRequest(jobId), { retry: true })),
				runningJobs: account.runningJobs,
			},
		);
		// The ten jobs exist (still running when waiting ended); the eleventh was never sent.
		expect(outcomes.slice(0, 10).map((o) => [o.state, typeof o.jobId])).toEqual(Array(10).fill(['timedOut', 'string']));
		expect(outcomes[10]).toEqual({ itemIndex: 10, state: 'notSubmitted', jobId: undefined, job: undefined });
		expect(sb!.jobs.stats('vozo')).toMatchObject({ created: DEFAULT_OPTIONS.vozoMaxActiveJobs, maxActive: DEFAULT_OPTIONS.vozoMaxActiveJobs });
		expect(sb!.log.entries({ vendor: 'vozo', endpoint: 'create' }).map((e) => e.statusCode)).toEqual(Array(10).fill(200));
	});
});

describe('JoggAI: the rate-limit answer\'s retryAfter body field (sandbox variant joggaiRetryAfterInBody)', () => {
	it('a refused create carries the body\'s retryAfter as its retry delay, as an HTTP Retry-After would', async () => {
		const clock = new FakeClock();
		const ctx = await session('joggai', joggAiAdapter, clock);
		sb!.setOptions({ joggaiPostsPerWindow: 1, variants: { joggaiRetryAfterInBody: true } });
		const create = async (i: number) => {
			const request = joggAiAdapter.createRequest({ videoUrl: 'https://cdn.example.test/face.mp4', audioUrl: `https://cdn.example.test/voice-${i}.mp3`, playbackType: 'normal' }, `ref-${i}`);
			return await vendorRequest(ctx, joggAiAdapter, request, { retry: false, paidCreate: true });
		};
		await create(0);
		const refused = await create(1).then(
			() => undefined,
			(error: { facts?: { kind?: string; retryAfterMs?: number } }) => error,
		);
		const answer = sb!.log.entries({ vendor: 'joggai', endpoint: 'create' })[1].responseBody as { code: number; retryAfter: number };
		expect(answer).toMatchObject({ code: 429, retryAfter: 60 });
		expect(refused?.facts).toMatchObject({ kind: 'rateLimit', retryAfterMs: 60_000 });
	});
});
