/** Vendor limits: Vozo 1304, JoggAI 429 envelope, Modellix 429 + X-RateLimit-Reset; job stats. */
import { startSandbox, type Sandbox } from './index';
import { call, sleep, waitFor } from './testHelpers';

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

test('JoggAI: beyond N POSTs per window per key → HTTP 200 {code: 429}; GETs are free', async () => {
	sb.setOptions({ joggaiPostsPerWindow: 3, rateWindowMs: 1500 });
	const create = () => call(sb, 'joggai', '/v2/create_lip_sync_video', { body: { video_url: VIDEO, audio_url: AUDIO } });
	for (let i = 0; i < 3; i++) expect((await create()).json.code).toBe(0);
	const limited = await create();
	expect(limited.status).toBe(200);
	expect(limited.json).toMatchObject({ code: 429, data: null, msg: expect.any(String) });
	expect((await call(sb, 'joggai', '/v2/user/remaining_quota')).json.code).toBe(0);
	expect(sb.jobs.stats('joggai').created).toBe(3);
	expect(sb.jobs.postTimes('joggai', sb.keys.joggai)).toHaveLength(4);
	await sleep(1550);
	expect((await create()).json.code).toBe(0);
});

test('Modellix: beyond N requests per window → HTTP 429 with X-RateLimit-Reset (unix s)', async () => {
	sb.setOptions({ modellixRequestsPerWindow: 3, rateWindowMs: 3000 });
	const first = Date.now();
	for (let i = 0; i < 3; i++) expect((await call(sb, 'modellix', '/api/v1/team/balance')).status).toBe(200);
	const limited = await call(sb, 'modellix', '/api/v1/vidu/lip-sync/async', { body: { video_url: VIDEO } });
	expect(limited.status).toBe(429);
	expect(limited.json).toEqual({ code: 429, message: expect.any(String), data: null });
	const reset = Number(limited.headers.get('x-ratelimit-reset'));
	expect(reset).toBeGreaterThanOrEqual(Math.floor((first + 3000) / 1000));
	expect(reset).toBeLessThanOrEqual(Math.ceil((Date.now() + 3000) / 1000));
	expect(sb.jobs.stats('modellix').created).toBe(0);
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
