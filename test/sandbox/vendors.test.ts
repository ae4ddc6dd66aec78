/** Each vendor's endpoints, bad-key answers and job lifecycle, over real HTTP. */
import { startSandbox, type Sandbox } from './index';
import { call, fetchResult, pollUntil } from './testHelpers';

let sb: Sandbox;
beforeAll(async () => {
	// long enough queued/processing phases that a poll every 25 ms sees each of them, even under load
	sb = await startSandbox({ jobDurationMs: 600, jitterMs: 0, queuedFraction: 0.3 });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const VIDEO = 'https://cdn.example.test/face.mp4';
const AUDIO = 'https://cdn.example.test/voice.mp3';

async function expectPlayableDownload(url: string) {
	const res = await fetch(url);
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toBe('video/mp4');
	const bytes = Buffer.from(await res.arrayBuffer());
	expect(bytes.length).toBe(Number(res.headers.get('content-length')));
	expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
}

describe('JoggAI', () => {
	const create = (body: object, key?: string | null) => call(sb, 'joggai', '/v2/create_lip_sync_video', { body, key });

	test('bad key: HTTP 200 with the number code 10105; a key without API access: 18025', async () => {
		const res = await call(sb, 'joggai', '/v2/user/whoami', { key: 'wrong' });
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ code: 10105, msg: expect.any(String), data: null, rid: expect.any(String) });
		expect((await call(sb, 'joggai', '/v2/user/whoami', { key: null })).json.code).toBe(10105);
		const noPermission = await call(sb, 'joggai', '/v2/user/whoami', { key: 'no-permission-key' });
		expect([noPermission.status, noPermission.json.code]).toEqual([200, 18025]);
	});

	test('create → pending → processing → success with a downloadable result', async () => {
		const created = await create({ video_url: VIDEO, audio_url: AUDIO, playback_type: 'normal_reverse' });
		expect(created.json).toMatchObject({ code: 0, data: { status: 'pending' } });
		const id = created.json.data.task_id;
		const { seen, last } = await pollUntil(
			() => call(sb, 'joggai', `/v2/lip_sync_video/${id}`),
			(r) => r.json.data.status,
			['success', 'failed'],
		);
		expect(seen).toEqual(['pending', 'processing', 'success']);
		const data = last.json.data;
		expect(data).toMatchObject({ task_id: id, error: null, data: { duration_seconds: 1 } });
		expect(typeof data.created_at).toBe('number');
		expect(data.completed_at).toBeGreaterThanOrEqual(data.created_at);
		await expectPlayableDownload(data.data.result_url);
		expect((await fetch(data.data.cover_url)).headers.get('content-type')).toBe('image/jpeg');
	});

	test('an input URL containing "fail" ends in failed with error.message', async () => {
		const id = (await create({ video_url: VIDEO, audio_url: 'https://x.test/fail.mp3' })).json.data.task_id;
		const { last } = await pollUntil(() => call(sb, 'joggai', `/v2/lip_sync_video/${id}`), (r) => r.json.data.status, ['success', 'failed']);
		expect(last.json.data).toMatchObject({ status: 'failed', data: null, error: { message: 'face not detected' } });
	});

	test('parameter errors, unknown task, /open/v2 alias', async () => {
		expect((await create({ video_url: 'not a url', audio_url: AUDIO })).json.code).toBe(40000);
		expect((await create({ video_url: VIDEO, audio_url: AUDIO, playback_type: 'loop' })).json.code).toBe(40000);
		expect((await call(sb, 'joggai', '/v2/lip_sync_video/nope')).json).toMatchObject({ code: 10104 });
		const viaAlias = await call(sb, 'joggai', '/open/v2/create_lip_sync_video', { body: { video_url: VIDEO, audio_url: AUDIO } });
		expect(viaAlias.json.code).toBe(0);
		expect(sb.log.entries({ vendor: 'joggai', endpoint: 'create' }).at(-1)?.path).toBe('/joggai/open/v2/create_lip_sync_video');
	});

	test('another key does not see the job', async () => {
		sb.setOptions({ extraKeys: { joggai: ['second-key'] } });
		const id = (await create({ video_url: VIDEO, audio_url: AUDIO })).json.data.task_id;
		expect((await call(sb, 'joggai', `/v2/lip_sync_video/${id}`, { key: 'second-key' })).json.code).toBe(10104);
	});

	test('whoami, remaining_quota (a create uses one), insufficient credit', async () => {
		expect((await call(sb, 'joggai', '/v2/user/whoami')).json.data).toEqual({ email: expect.any(String), username: 'sandbox' });
		sb.setOptions({ joggaiQuota: 1 });
		expect((await call(sb, 'joggai', '/v2/user/remaining_quota')).json.data).toEqual({ remaining_quota: 1 });
		expect((await create({ video_url: VIDEO, audio_url: AUDIO })).json.code).toBe(0);
		expect((await call(sb, 'joggai', '/v2/user/remaining_quota')).json.data.remaining_quota).toBe(0);
		expect((await create({ video_url: VIDEO, audio_url: AUDIO })).json.code).toBe(18020);
	});

	test('public avatars paginate and validate page_size', async () => {
		const page = await call(sb, 'joggai', '/v2/avatars/public?page=2&page_size=10');
		expect(page.json.data.avatars).toHaveLength(10);
		expect(page.json.data.avatars[0]).toMatchObject({ id: 1010, name: expect.any(String), video_url: expect.any(String), cover_url: expect.any(String) });
		expect((await call(sb, 'joggai', '/v2/avatars/public?page_size=101')).json.code).toBe(40000);
		const landscape = await call(sb, 'joggai', '/v2/avatars/public?aspect_ratio=landscape&page_size=100');
		expect(landscape.json.data.avatars.every((a: { aspect_ratio: string }) => a.aspect_ratio === 'landscape')).toBe(true);
	});

	test('unknown path answers 404', async () => {
		expect((await call(sb, 'joggai', '/v2/nothing')).status).toBe(404);
	});
});

describe('Modellix', () => {
	const create = (body: object, key?: string) => call(sb, 'modellix', '/api/v1/vidu/lip-sync/async', { body, key });

	test('bad key: 401 envelope; validate answers 200 is_valid:false', async () => {
		const res = await create({ video_url: VIDEO }, 'wrong');
		expect(res.status).toBe(401);
		expect(res.json).toEqual({ code: 401, message: expect.any(String), data: null });
		const validate = await call(sb, 'modellix', '/api/v1/apikey/validate', { key: 'wrong' });
		expect(validate.status).toBe(200);
		expect(validate.json).toMatchObject({ code: 0, data: { is_valid: false } });
		expect((await call(sb, 'modellix', '/api/v1/apikey/validate')).json.data).toEqual({ is_valid: true });
	});

	test('balance', async () => {
		const res = await call(sb, 'modellix', '/api/v1/team/balance');
		expect(res.json).toMatchObject({ code: 0, data: { balance: expect.any(Number) } });
	});

	test('create → pending → processing → success with a video resource', async () => {
		const created = await create({ video_url: VIDEO, audio_url: AUDIO });
		expect(created.json.data).toMatchObject({ status: 'pending', model_id: 'vidu/lip-sync', get_result: { method: 'GET' } });
		const { seen, last } = await pollUntil(
			() => fetchResult(created.json.data.get_result.url, { headers: { authorization: `Bearer ${sb.keys.modellix}` } }),
			(r) => r.json.data.status,
			['success', 'failed'],
		);
		expect(seen).toEqual(['pending', 'processing', 'success']);
		const resource = last.json.data.result.resources[0];
		expect(resource).toMatchObject({ type: 'video', format: 'mp4' });
		// Modellix: "Task outputs expire after 24 hours".
		expect(last.json.data.result_expires_at).toBeGreaterThan(Date.now() / 1000 + 23 * 3600);
		expect(last.json.data.result_expires_at).toBeLessThanOrEqual(Date.now() / 1000 + 24 * 3600);
		await expectPlayableDownload(resource.url);
	});

	test('fail-<code> fails with that code; other models accepted; 400 and 404', async () => {
		const id = (await call(sb, 'modellix', '/api/v1/pixverse/lipsync/async', { body: { video_url: 'https://x.test/v-fail-42.mp4' } })).json.data.task_id;
		const { last } = await pollUntil(() => call(sb, 'modellix', `/api/v1/tasks/${id}`), (r) => r.json.data.status, ['success', 'failed']);
		expect(last.json.data).toMatchObject({ status: 'failed', model_id: 'pixverse/lipsync', result: null, error: { code: '42' }, error_message: expect.any(String) });
		const bad = await create({ audio_url: AUDIO });
		expect(bad.status).toBe(400);
		expect(bad.json.code).toBe(400);
		const missing = await call(sb, 'modellix', '/api/v1/tasks/nope');
		expect([missing.status, missing.json.code]).toEqual([404, 404]);
	});
});

describe('Modellix result shapes', () => {
	const finished = async (videoUrl: string) => {
		const id = (await call(sb, 'modellix', '/api/v1/vidu/lip-sync/async', { body: { video_url: videoUrl, audio_url: AUDIO } })).json.data.task_id;
		sb.jobs.finish('modellix', id, 'succeeded');
		return (await call(sb, 'modellix', `/api/v1/tasks/${id}`)).json.data;
	};

	test('by default the documented data.result.resources with one typed video', async () => {
		const data = await finished(VIDEO);
		expect(data.result.resources).toEqual([expect.objectContaining({ type: 'video', url: expect.stringMatching(/\.mp4\?token=/) })]);
		expect(data.resources).toBeUndefined();
	});

	test('result-shape-flat: the list at data.resources, a cover image before the video', async () => {
		const data = await finished('https://cdn.example.test/face-result-shape-flat.mp4');
		expect(data.result).toBeNull();
		expect(data.resources.map((r: { type: string }) => r.type)).toEqual(['image', 'video']);
		await expectPlayableDownload(data.resources[1].url);
	});

	test('result-shape-strings: bare URL strings, the cover first', async () => {
		const data = await finished('https://cdn.example.test/face-result-shape-strings.mp4');
		const [cover, video] = data.result.resources;
		expect([typeof cover, typeof video]).toEqual(['string', 'string']);
		expect(new URL(cover).pathname).toMatch(/\.jpg$/);
		await expectPlayableDownload(video);
	});

	test('a model other than vidu/lip-sync takes any JSON object body; vidu requires video_url', async () => {
		const other = await call(sb, 'modellix', '/api/v1/pixverse/lipsync/async', { body: { video: VIDEO, speaker: 'auto' } });
		expect(other.json).toMatchObject({ code: 0, data: { model_id: 'pixverse/lipsync', status: 'pending' } });
		const vidu = await call(sb, 'modellix', '/api/v1/vidu/lip-sync/async', { body: { video: VIDEO } });
		expect([vidu.status, vidu.json.code]).toEqual([400, 400]);
	});
});

describe('Vozo', () => {
	const body = { reference_file_url: VIDEO, audio_url: AUDIO, model: 'standard_v1', reference_file_type: 'video' };

	test('bad key: HTTP 400 with the string code "1503"; a revoked key: "1302"', async () => {
		const res = await call(sb, 'vozo', '/v1/video_generation', { body, key: 'wrong' });
		expect(res.status).toBe(400);
		expect(res.json).toEqual({ code: '1503', message: expect.any(String), serverTs: expect.any(Number) });
		const revoked = await call(sb, 'vozo', '/v1/video_generation/x', { key: 'revoked-key' });
		expect([revoked.status, revoked.json.code]).toEqual([400, '1302']);
	});

	test('create → pending → processing → done with video_url', async () => {
		const created = await call(sb, 'vozo', '/v1/video_generation', { body });
		expect(created.json).toEqual({ task_id: expect.any(String) });
		const { seen, last } = await pollUntil(
			() => call(sb, 'vozo', `/v1/video_generation/${created.json.task_id}`),
			(r) => r.json.status,
			['done', 'failed'],
		);
		expect(seen).toEqual(['pending', 'processing', 'done']);
		await expectPlayableDownload(last.json.video_url);
	});

	test('reusable-model create; a failing job carries err_code/err_message', async () => {
		const created = await call(sb, 'vozo', '/v1/reusable_lipsync_model_video_generation', {
			body: { model_id: 'model-1', audio_url: 'https://x.test/fail-20408.wav' },
		});
		expect(created.status).toBe(200);
		const { last } = await pollUntil(() => call(sb, 'vozo', `/v1/video_generation/${created.json.task_id}`), (r) => r.json.status, ['done', 'failed']);
		expect(last.json).toEqual({ status: 'failed', err_code: '20408', err_message: 'face detection failed' });
	});

	test('invalid params: 400 code 5; unknown task: 404', async () => {
		const res = await call(sb, 'vozo', '/v1/video_generation', { body: { ...body, model: 'turbo' } });
		expect([res.status, res.json.code]).toEqual([400, '5']);
		expect((await call(sb, 'vozo', '/v1/reusable_lipsync_model_video_generation', { body: { audio_url: AUDIO } })).json.code).toBe('5');
		const missing = await call(sb, 'vozo', '/v1/video_generation/unknown');
		expect([missing.status, missing.json.code]).toEqual([404, '404']);
	});
});

describe('Personate', () => {
	const body = { model: 'v2', actor: { use: 'video', video_url: VIDEO }, script: { use: 'audio', audio_url: AUDIO } };

	test('bad key: 401', async () => {
		const res = await call(sb, 'personate', '/api/avatars/public', { key: 'wrong' });
		expect(res.status).toBe(401);
		expect(res.json).toEqual({ message: 'Unauthorized' });
	});

	test('create → rendering → completed with output', async () => {
		const created = await call(sb, 'personate', '/api/express_lipsync_video', { body });
		expect(created.json).toMatchObject({ job_id: expect.any(String), input: body, status: 'rendering', output: '' });
		const { seen, last } = await pollUntil(
			() => call(sb, 'personate', `/api/express_lipsync_video/${created.json.job_id}`),
			(r) => r.json.status,
			['completed', 'failed'],
		);
		expect(seen).toEqual(['rendering', 'completed']);
		await expectPlayableDownload(last.json.output);
	});

	test('avatar/text create validates; failing avatar fails the job; 404', async () => {
		expect((await call(sb, 'personate', '/api/express_lipsync_video', { body: { ...body, model: 'v3' } })).status).toBe(400);
		const avatarBody = {
			model: 'v1',
			actor: { use: 'avatar', avatar_id: 'fail-avatar', avatar_type: 'public' },
			script: { use: 'text', text: 'Hello', voice_id: 'pv_en_f1', voice_type: 'public' },
		};
		const created = await call(sb, 'personate', '/api/express_lipsync_video', { body: avatarBody });
		expect(created.status).toBe(200);
		const { last } = await pollUntil(() => call(sb, 'personate', `/api/express_lipsync_video/${created.json.job_id}`), (r) => r.json.status, ['completed', 'failed']);
		expect(last.json).toMatchObject({ status: 'failed', output: '', error: expect.any(String) });
		expect((await call(sb, 'personate', '/api/express_lipsync_video/nope')).status).toBe(404);
	});

	test('avatar and voice lists, public and custom', async () => {
		for (const [path, key, idField] of [
			['/api/avatars/public', 'avatars', 'avatar_id'],
			['/api/avatars/custom', 'avatars', 'avatar_id'],
			['/api/voices/public', 'voices', 'voice_id'],
			['/api/voices/custom', 'voices', 'voice_id'],
		]) {
			const res = await call(sb, 'personate', path);
			expect(res.status).toBe(200);
			expect(res.json[key].length).toBeGreaterThan(0);
			expect(res.json[key][0]).toMatchObject({ [idField]: expect.any(String), name: expect.any(String) });
		}
	});
});
