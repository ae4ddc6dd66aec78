/** Vendor limits: Vozo 1304, JoggAI 429 envelope, Modellix 429 + X-RateLimit-Reset; job stats. */
import { startSandbox, type Sandbox } from './index';
import { call, waitFor } from './testHelpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 10000, jitterMs: 0 });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const VIDEO = 'https://cdn.example.test/face.mp4';
const AUDIO = 'https://cdn.example.test/voice.mp3';
const vozoBody = { reference_file_url: VIDEO, audio_url: AUDIO, model: 'standard_v1', reference_file_type: 'image' };

test('Vozo: the 11th queued+running job answers HTTP 400 code 1304', async () => {
	const ids: string[] = [];
	for (let i = 0; i < 10; i++) {
		const res = await call(sb, 'vozo', '/v1/video_generation', { body: vozoBody });
		expect(res.status).toBe(200);
		ids.push(res.json.task_id);
	}
	const refused = await call(sb, 'vozo', '/v1/reusable_lipsync_model_video_generation', { body: { model_id: 'm', audio_url: AUDIO } });
	expect(refused.status).toBe(400);
	expect(refused.json).toMatchObject({ code: '1304', message: expect.any(String) });
	expect(sb.jobs.stats('vozo')).toMatchObject({ created: 10, active: 10, maxActive: 10 });
	sb.jobs.finish('vozo', ids[0]);
	expect((await call(sb, 'vozo', '/v1/video_generation', { body: vozoBody })).status).toBe(200);
	// the limit is per account
	sb.setOptions({ extraKeys: { vozo: ['team-b'] } });
	expect((await call(sb, 'vozo', '/v1/video_generation', { body: vozoBody, key: 'team-b' })).status).toBe(200);
});

/** A sandbox whose rate windows run on a clock the test moves by hand. */
async function onManualClock(options: Parameters<typeof startSandbox>[0]) {
	const clock = { now: 5_000_000 };
	const sandbox = await startSandbox({ ...options, now: () => clock.now });
	return { sandbox, clock };
}

test('JoggAI: beyond N POSTs per window per key → HTTP 200 {code: 429}; GETs are free', async () => {
	const { sandbox, clock } = await onManualClock({ joggaiPostsPerWindow: 3, rateWindowMs: 60_000, jobDurationMs: 10_000 });
	try {
		const create = () => call(sandbox, 'joggai', '/v2/create_lip_sync_video', { body: { video_url: VIDEO, audio_url: AUDIO } });
		for (let i = 0; i < 3; i++) expect((await create()).json.code).toBe(0);
		const limited = await create();
		expect(limited.status).toBe(200);
		expect(limited.json).toMatchObject({ code: 429, data: null, msg: expect.any(String) });
		for (let i = 0; i < 5; i++) expect((await call(sandbox, 'joggai', '/v2/user/remaining_quota')).json.code).toBe(0);
		expect(sandbox.jobs.stats('joggai').created).toBe(3);
		expect(sandbox.jobs.postTimes('joggai', sandbox.keys.joggai)).toEqual(Array(4).fill(5_000_000));
		clock.now += 59_999;
		expect((await create()).json.code).toBe(429);
		clock.now += 1;
		expect((await create()).json.code).toBe(0);
	} finally {
		await sandbox.close();
	}
});

test('Modellix: beyond N requests per window → HTTP 429 with X-RateLimit-Reset (unix s)', async () => {
	const { sandbox, clock } = await onManualClock({ modellixRequestsPerWindow: 3, rateWindowMs: 60_000, jobDurationMs: 10_000 });
	try {
		for (let i = 0; i < 3; i++) expect((await call(sandbox, 'modellix', '/api/v1/team/balance')).status).toBe(200);
		clock.now += 1_000;
		const limited = await call(sandbox, 'modellix', '/api/v1/vidu/lip-sync/async', { body: { video_url: VIDEO } });
		expect(limited.status).toBe(429);
		expect(limited.json).toEqual({ code: 429, message: expect.any(String), data: null });
		// The first request's window ends at 5 000 s + 60 s: the reset is that moment in unix seconds.
		expect(Number(limited.headers.get('x-ratelimit-reset'))).toBe(5_060);
		expect(sandbox.jobs.stats('modellix').created).toBe(0);
		clock.now += 59_000;
		expect((await call(sandbox, 'modellix', '/api/v1/team/balance')).status).toBe(200);
	} finally {
		await sandbox.close();
	}
});

test('JoggAI: at most joggaiMaxEndpoints webhook endpoints → 40000', async () => {
	sb.setOptions({ joggaiMaxEndpoints: 2 });
	const register = () => call(sb, 'joggai', '/v2/endpoint', { body: { url: 'https://h.example.test/x', events: ['generated_lip_sync_video_success'] } });
	expect((await register()).json.code).toBe(0);
	expect((await register()).json.code).toBe(0);
	expect((await register()).json.code).toBe(40000);
});

test('job stats track running and the max concurrent running jobs', async () => {
	sb.setOptions({ jobDurationMs: { personate: 1000 }, queuedFraction: 0 });
	const body = { model: 'v1', actor: { use: 'video', video_url: VIDEO }, script: { use: 'audio', audio_url: AUDIO } };
	await Promise.all([1, 2, 3].map(() => call(sb, 'personate', '/api/express_lipsync_video', { body })));
	await waitFor(() => sb.jobs.stats('personate').running === 3 || undefined);
	await waitFor(() => sb.jobs.stats('personate').succeeded === 3 || undefined);
	expect(sb.jobs.stats('personate')).toEqual({ created: 3, active: 0, maxActive: 3, running: 0, maxRunning: 3, succeeded: 3, failed: 0 });
});
