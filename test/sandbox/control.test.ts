/** The request log and the /__sandbox HTTP control API. */
import { startSandbox, type Sandbox } from './index';
import { call, fetchResult, startReceiver } from './testHelpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 5000, jitterMs: 0, webhookRetryDelayMs: 50 });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const control = (path: string, method = 'GET', body?: unknown) =>
	fetchResult(`${sb.url}/__sandbox${path}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});

test('the log records vendor, endpoint, method, path, status, bodies, masked headers; counts; clear', async () => {
	await call(sb, 'joggai', '/v2/create_lip_sync_video', { body: { video_url: 'https://x.test/v.mp4', audio_url: 'https://x.test/a.mp3' } });
	await call(sb, 'vozo', '/v1/video_generation/unknown');
	await call(sb, 'vozo', '/v1/video_generation/unknown');
	const [entry] = sb.log.entries({ vendor: 'joggai', endpoint: 'create', method: 'post' });
	expect(entry).toMatchObject({
		vendor: 'joggai',
		endpoint: 'create',
		method: 'POST',
		path: '/joggai/v2/create_lip_sync_video',
		statusCode: 200,
		requestBody: { video_url: 'https://x.test/v.mp4' },
		responseBody: { code: 0 },
	});
	expect(entry.time).toBeLessThanOrEqual(Date.now());
	expect(entry.headers['x-api-key']).toBe('***');
	expect(JSON.stringify(sb.log.entries())).not.toContain(sb.keys.vozo);
	expect(sb.log.entries({ vendor: 'vozo' })[0].headers.authorization).toBe('***');
	expect(sb.log.counts()).toEqual({ 'joggai.create': 1, 'vozo.status': 2 });
	expect(sb.log.count({ vendor: 'vozo', endpoint: 'status' })).toBe(2);
	sb.log.clear();
	expect(sb.log.entries()).toEqual([]);
});

test('GET info, log, counts; DELETE log', async () => {
	const info = await control('/info');
	expect(info.json.vendors.modellix).toEqual({ baseUrl: `${sb.url}/modellix`, key: 'sandbox-modellix-key' });
	await call(sb, 'modellix', '/api/v1/team/balance');
	expect((await control('/log?vendor=modellix&endpoint=balance')).json.entries).toHaveLength(1);
	expect((await control('/counts')).json.counts).toEqual({ 'modellix.balance': 1 });
	await control('/log', 'DELETE');
	expect(sb.log.entries()).toEqual([]);
	expect(sb.log.entries({ vendor: 'sandbox' })).toEqual([]); // control calls are not logged
});

test('POST/GET/DELETE faults and POST options over HTTP', async () => {
	await control('/faults', 'POST', { target: 'personate', fault: { kind: 'serverError', httpStatus: 503, times: 1 } });
	expect((await control('/faults')).json.faults.personate[0]).toMatchObject({ kind: 'serverError', times: 1 });
	expect((await call(sb, 'personate', '/api/avatars/public')).status).toBe(503);
	expect((await call(sb, 'personate', '/api/avatars/public')).status).toBe(200);
	await control('/faults', 'POST', { target: 'personate', fault: { kind: 'errorEnvelope' } });
	await control('/faults', 'DELETE');
	expect((await call(sb, 'personate', '/api/avatars/public')).json.status).toBeUndefined();
	const options = await control('/options', 'POST', { joggaiQuota: 5, port: 1 });
	expect(options.json.options).toMatchObject({ joggaiQuota: 5 });
	expect(options.json.options.port).toBeUndefined();
	expect((await call(sb, 'joggai', '/v2/user/remaining_quota')).json.data.remaining_quota).toBe(5);
	expect((await control('/faults', 'POST', { fault: {} })).status).toBe(400);
});

test('jobs, stats and finish over HTTP; reset', async () => {
	const id = (await call(sb, 'personate', '/api/express_lipsync_video', {
		body: { model: 'v1', actor: { use: 'video', video_url: 'https://x.test/v.mp4' }, script: { use: 'audio', audio_url: 'https://x.test/a.mp3' } },
	})).json.job_id;
	const jobs = await control('/jobs?vendor=personate');
	expect(jobs.json.jobs.map((j: { id: string }) => j.id)).toEqual([id]);
	expect(jobs.json.stats).toMatchObject({ created: 1, active: 1 });
	const finished = await control(`/jobs/personate/${id}/finish`, 'POST', { outcome: 'failed' });
	expect(finished.json.job.phase).toBe('failed');
	expect((await call(sb, 'personate', `/api/express_lipsync_video/${id}`)).json.status).toBe('failed');
	expect((await control('/stats')).json.personate).toMatchObject({ failed: 1, active: 0 });
	await control('/reset', 'POST');
	expect(sb.jobs.list()).toEqual([]);
	expect(sb.log.entries()).toEqual([]);
	expect((await control('/nothing')).status).toBe(404);
});

test('POST /joggai/events delivers now; GET deliveries and endpoints', async () => {
	const receiver = await startReceiver();
	try {
		const res = await control('/joggai/events', 'POST', { url: `${receiver.url}/x`, secret: 'k', event: 'generated_lip_sync_video_success', data: { task_id: 't' } });
		expect(res.json.deliveries).toHaveLength(1);
		expect(receiver.requests).toHaveLength(1);
		expect((await control('/deliveries')).json.deliveries[0]).toMatchObject({ kind: 'joggai-webhook', statusCode: 200, event: 'generated_lip_sync_video_success' });
		await call(sb, 'joggai', '/v2/endpoint', { body: { url: 'https://h.example.test/y', events: ['generated_avatar_video_failed'] } });
		expect((await control('/joggai/endpoints')).json.endpoints).toHaveLength(1);
		await control('/deliveries', 'DELETE');
		expect(sb.deliveries.list()).toEqual([]);
	} finally {
		await receiver.close();
	}
});

test('maxLogEntries keeps the newest entries; counts stay exact', async () => {
	sb.setOptions({ maxLogEntries: 2 });
	for (let i = 0; i < 4; i++) await call(sb, 'modellix', '/api/v1/team/balance');
	await call(sb, 'modellix', '/api/v1/apikey/validate');
	expect(sb.log.entries().map((e) => e.endpoint)).toEqual(['balance', 'validate']);
	expect(sb.log.counts()).toEqual({ 'modellix.balance': 4, 'modellix.validate': 1 });
});
