/** Vozo callbacks, sync.so's signed generation webhooks, and JoggAI webhook endpoints and signed deliveries. */
import { createHmac } from 'node:crypto';
import { startSandbox, type Sandbox } from './index';
import { call, startReceiver, waitFor } from './testHelpers';
import { syncsoWebhookSecret } from './vendors/syncsoWebhooks';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 200, jitterMs: 0, webhookRetryDelayMs: 100, webhookTimeoutMs: 1000 });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const VIDEO = 'https://cdn.example.test/face.mp4';
const AUDIO = 'https://cdn.example.test/voice.mp3';
const hmac = (secret: string, raw: string) => createHmac('sha256', secret).update(raw).digest('hex');

test('Vozo POSTs the status body to callback_url on every status change', async () => {
	const receiver = await startReceiver();
	try {
		const created = await call(sb, 'vozo', '/v1/video_generation', {
			body: { reference_file_url: VIDEO, audio_url: AUDIO, model: 'precision_v1', reference_file_type: 'video', callback_url: `${receiver.url}/cb?ref=job-7` },
		});
		expect(created.status).toBe(200);
		await waitFor(() => receiver.requests.length >= 2 || undefined);
		const bodies = receiver.requests.map((r) => JSON.parse(r.rawBody));
		expect(bodies[0]).toEqual({ status: 'processing' });
		expect(bodies[1]).toEqual({ status: 'done', video_url: expect.stringContaining(`/vozo/results/${created.json.task_id}.mp4`) });
		expect(receiver.requests.every((r) => r.method === 'POST' && r.path === '/cb?ref=job-7')).toBe(true);
		expect(receiver.requests[0].headers['x-webhook-signature']).toBeUndefined();
		// the sandbox records a delivery once the receiver's answer is in
		await waitFor(() => sb.deliveries.list({ kind: 'vozo-callback' }).length >= 2 || undefined);
		expect(sb.deliveries.list({ kind: 'vozo-callback' }).map((d) => d.statusCode)).toEqual([200, 200]);
		const failing = await call(sb, 'vozo', '/v1/video_generation', {
			body: { reference_file_url: VIDEO, audio_url: 'https://x.test/fail-999.mp3', model: 'standard_v1', reference_file_type: 'video', callback_url: `${receiver.url}/cb2` },
		});
		expect(failing.status).toBe(200);
		await waitFor(() => receiver.requests.length >= 4 || undefined);
		expect(JSON.parse(receiver.requests[3].rawBody)).toEqual({ status: 'failed', err_code: '999', err_message: 'download failed' });
	} finally {
		await receiver.close();
	}
});

test('a callback URL that is not loopback is recorded as not sent (the sandbox sends only to this machine); with a host rewrite to loopback it arrives', async () => {
	const receiver = await startReceiver();
	try {
		const created = await call(sb, 'vozo', '/v1/video_generation', {
			body: { reference_file_url: VIDEO, audio_url: AUDIO, model: 'precision_v1', reference_file_type: 'video', callback_url: 'https://n8n.example.test/cb?ref=job-8' },
		});
		expect(created.status).toBe(200);
		const records = await waitFor(() => {
			const list = sb.deliveries.list({ kind: 'vozo-callback' });
			return list.length >= 2 ? list : undefined;
		});
		expect(records.map((d) => [d.statusCode, d.error])).toEqual(Array(2).fill([undefined, expect.stringMatching(/^not sent: .* is not a loopback URL/)]));
		sb.setOptions({ webhookHostRewrite: { 'https://n8n.example.test': receiver.url } });
		await call(sb, 'vozo', '/v1/video_generation', {
			body: { reference_file_url: VIDEO, audio_url: AUDIO, model: 'precision_v1', reference_file_type: 'video', callback_url: 'https://n8n.example.test/cb?ref=job-9' },
		});
		await waitFor(() => receiver.requests.length >= 2 || undefined);
		expect(receiver.requests.map((r) => r.path)).toEqual(['/cb?ref=job-9', '/cb?ref=job-9']);
	} finally {
		await receiver.close();
	}
});

test('sync.so POSTs the ended generation once to its https webhookUrl, as GET shows it, signed with Sync-Signature over "<t>.<raw body>"', async () => {
	const receiver = await startReceiver();
	try {
		sb.setOptions({ webhookHostRewrite: { 'https://n8n.example.test': receiver.url } });
		const input = [{ type: 'video', url: VIDEO }, { type: 'audio', url: AUDIO }];
		const refused = await call(sb, 'syncso', '/v2/generate', { body: { model: 'lipsync-2', input, webhookUrl: `${receiver.url}/hook` } });
		expect([refused.status, refused.json.errorCode]).toEqual([400, 'generation_input_validation_failed']);
		const created = await call(sb, 'syncso', '/v2/generate', { body: { model: 'lipsync-2', input, webhookUrl: 'https://n8n.example.test/hook?x=1' } });
		expect(created.status).toBe(201);
		await waitFor(() => receiver.requests.length >= 1 || undefined);
		await waitFor(() => sb.deliveries.list({ kind: 'syncso-callback' })[0]?.statusCode);
		expect(receiver.requests).toHaveLength(1);
		const [delivery] = receiver.requests;
		expect([delivery.method, delivery.path]).toEqual(['POST', '/hook?x=1']);
		const status = await call(sb, 'syncso', `/v2/generate/${created.json.id}`);
		const { outputUrl: sentUrl, ...sent } = JSON.parse(delivery.rawBody);
		const { outputUrl: readUrl, ...read } = status.json;
		expect(sent).toEqual({ ...read, status: 'COMPLETED' });
		// Each answer hands out a fresh result token: the same file, another signature.
		expect(String(sentUrl).split('?')[0]).toBe(String(readUrl).split('?')[0]);
		const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(delivery.headers['sync-signature']))!;
		expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(5);
		expect(v1).toBe(hmac(syncsoWebhookSecret(sb.keys.syncso), `${t}.${delivery.rawBody}`));
	} finally {
		await receiver.close();
	}
});

describe('JoggAI webhook endpoints', () => {
	const register = (body: object) => call(sb, 'joggai', '/v2/endpoint', { body });

	test('GET /v2/events offers the lip-sync events', async () => {
		const res = await call(sb, 'joggai', '/v2/events');
		expect(res.json.data.events).toEqual(expect.arrayContaining(['generated_lip_sync_video_success', 'generated_lip_sync_video_failed', 'generated_avatar_video_success']));
	});

	test('registration rejects non-https, localhost, private hosts and unknown events with 40000', async () => {
		const events = ['generated_lip_sync_video_success'];
		for (const url of ['http://n8n.example.test/x', 'https://localhost/x', 'https://127.0.0.1:5678/x', 'https://[::1]/x', 'https://192.168.1.5/x', 'nope']) {
			const res = await register({ url, status: 'enabled', events });
			expect([url, res.status, res.json.code]).toEqual([url, 200, 40000]);
		}
		expect((await register({ url: 'https://n8n.example.test/x', events: ['made_up'] })).json.code).toBe(40000);
		expect((await register({ url: 'https://n8n.example.test/x', events: [] })).json.code).toBe(40000);
	});

	test('create, list, update, delete; unknown id 10104', async () => {
		const created = await register({ url: 'https://n8n.example.test/webhook/a', status: 'enabled', events: ['generated_lip_sync_video_success'] });
		expect(created.json.data).toMatchObject({ endpoint_id: expect.any(String), url: 'https://n8n.example.test/webhook/a', secret: expect.any(String), status: 'enabled', created_at: expect.any(Number) });
		const id = created.json.data.endpoint_id;
		expect((await call(sb, 'joggai', '/v2/endpoints')).json.data.endpoints.map((e: { endpoint_id: string }) => e.endpoint_id)).toEqual([id]);
		const updated = await call(sb, 'joggai', `/v2/endpoint/${id}`, { method: 'PUT', body: { status: 'disabled', events: ['generated_lip_sync_video_failed'] } });
		expect(updated.json.data).toMatchObject({ status: 'disabled', events: ['generated_lip_sync_video_failed'] });
		expect((await call(sb, 'joggai', `/v2/endpoint/${id}`, { method: 'PUT', body: { url: 'http://plain.example.test' } })).json.code).toBe(40000);
		expect((await call(sb, 'joggai', `/v2/endpoint/${id}`, { method: 'DELETE' })).json.code).toBe(0);
		expect((await call(sb, 'joggai', '/v2/endpoints')).json.data.endpoints).toEqual([]);
		expect((await call(sb, 'joggai', `/v2/endpoint/${id}`, { method: 'DELETE' })).json.code).toBe(10104);
	});
});

describe('JoggAI deliveries', () => {
	test('a finished lip-sync job is delivered signed to the matching endpoint (host rewrite)', async () => {
		const receiver = await startReceiver();
		try {
			sb.setOptions({ webhookHostRewrite: { 'https://n8n.example.test': receiver.url } });
			const endpoint = (await call(sb, 'joggai', '/v2/endpoint', {
				body: { url: 'https://n8n.example.test/webhook/lip?x=1', status: 'enabled', events: ['generated_lip_sync_video_success'] },
			})).json.data;
			await call(sb, 'joggai', '/v2/endpoint', { body: { url: 'https://other.example.test/h', status: 'enabled', events: ['generated_avatar_video_success'] } });
			const taskId = (await call(sb, 'joggai', '/v2/create_lip_sync_video', { body: { video_url: VIDEO, audio_url: AUDIO } })).json.data.task_id;
			const [received] = await waitFor(() => (receiver.requests.length ? receiver.requests : undefined));
			expect(received.path).toBe('/webhook/lip?x=1');
			expect(received.headers['x-webhook-event']).toBe('generated_lip_sync_video_success');
			expect(received.headers['user-agent']).toBe('JoggAI-Webhook/2.0');
			expect(received.headers['x-webhook-signature']).toBe(hmac(endpoint.secret, received.rawBody));
			const body = JSON.parse(received.rawBody);
			expect(body).toMatchObject({ event_id: expect.any(String), event: 'generated_lip_sync_video_success', timestamp: expect.any(Number) });
			expect(body.data).toMatchObject({ task_id: taskId, status: 'success', result_url: expect.stringContaining(taskId), video_url: expect.any(String) });
			expect((await fetch(body.data.result_url)).status).toBe(200);
			// the endpoint that listens to another event got nothing
			await waitFor(() => sb.deliveries.list().length >= 1 || undefined);
			await new Promise((resolve) => setTimeout(resolve, 100));
			expect(sb.deliveries.list().map((d) => d.url)).toEqual(['https://n8n.example.test/webhook/lip?x=1']);
		} finally {
			await receiver.close();
		}
	});

	test('failed jobs fire generated_lip_sync_video_failed', async () => {
		const receiver = await startReceiver();
		try {
			sb.setOptions({ webhookHostRewrite: { 'https://n8n.example.test': receiver.url } });
			await call(sb, 'joggai', '/v2/endpoint', { body: { url: 'https://n8n.example.test/f', status: 'enabled', events: ['generated_lip_sync_video_failed'] } });
			const taskId = (await call(sb, 'joggai', '/v2/create_lip_sync_video', { body: { video_url: VIDEO, audio_url: 'https://x.test/fail.mp3' } })).json.data.task_id;
			const [received] = await waitFor(() => (receiver.requests.length ? receiver.requests : undefined));
			expect(JSON.parse(received.rawBody).data).toEqual({ task_id: taskId, status: 'failed', error: { message: 'face not detected' } });
		} finally {
			await receiver.close();
		}
	});

	test('non-2xx and timeouts are retried 3 times, retry delay apart', async () => {
		const receiver = await startReceiver((n) => (n === 0 ? 500 : n === 1 ? 'hang' : n === 2 ? 503 : 200));
		try {
			const records = await sb.joggai.deliverEvent({ url: `${receiver.url}/h`, secret: 's3cret', event: 'generated_lip_sync_video_success', data: { task_id: 't1' } });
			expect(records.map((r) => [r.attempt, r.statusCode ?? 'error'])).toEqual([[1, 500], [2, 'error'], [3, 503], [4, 200]]);
			expect(records[1].error).toBeDefined();
			const times = receiver.requests.map((r) => r.time);
			expect(times[1] - times[0]).toBeGreaterThanOrEqual(90);
			expect(times[3] - times[2]).toBeGreaterThanOrEqual(90);
			const ids = receiver.requests.map((r) => JSON.parse(r.rawBody).event_id);
			expect(new Set(ids).size).toBe(1);
			expect(receiver.requests.every((r) => r.headers['x-webhook-signature'] === hmac('s3cret', r.rawBody))).toBe(true);
		} finally {
			await receiver.close();
		}
	});

	test('gives up after 1 + 3 attempts', async () => {
		const receiver = await startReceiver(() => 500);
		try {
			const records = await sb.joggai.deliverEvent({ url: receiver.url, event: 'generated_lip_sync_video_success', data: {} });
			expect(records).toHaveLength(4);
			expect(receiver.requests).toHaveLength(4);
		} finally {
			await receiver.close();
		}
	});

	test('duplicates: the same event_id arrives twice (switch and probability)', async () => {
		const receiver = await startReceiver();
		try {
			sb.setOptions({ webhookAlwaysDuplicate: true });
			const records = await sb.joggai.deliverEvent({ url: receiver.url, event: 'generated_lip_sync_video_success', data: { task_id: 'a' } });
			expect(records.map((r) => r.duplicate ?? false)).toEqual([false, true]);
			expect(receiver.requests.map((r) => r.rawBody)).toEqual([receiver.requests[0].rawBody, receiver.requests[0].rawBody]);
			sb.setOptions({ webhookAlwaysDuplicate: false, webhookDuplicateProbability: 1 });
			expect(await sb.joggai.deliverEvent({ url: receiver.url, event: 'x', data: {} })).toHaveLength(2);
			sb.setOptions({ webhookDuplicateProbability: 0 });
			expect(await sb.joggai.deliverEvent({ url: receiver.url, event: 'x', data: {} })).toHaveLength(1);
		} finally {
			await receiver.close();
		}
	});

	test('deliverEvent to registered endpoints of a key, or one endpoint by id', async () => {
		const receiver = await startReceiver();
		try {
			sb.setOptions({ webhookHostRewrite: { 'https://hooks.example.test': receiver.url } });
			const a = (await call(sb, 'joggai', '/v2/endpoint', { body: { url: 'https://hooks.example.test/a', events: ['generated_avatar_video_success'] } })).json.data;
			await call(sb, 'joggai', '/v2/endpoint', { body: { url: 'https://hooks.example.test/b', status: 'disabled', events: ['generated_avatar_video_success'] } });
			const records = await sb.joggai.deliverEvent({ event: 'generated_avatar_video_success', data: { video_id: 'v' } });
			expect(records.map((r) => r.targetUrl)).toEqual([`${receiver.url}/a`]);
			const byId = await sb.joggai.deliverEvent({ endpointId: a.endpoint_id, event: 'generated_lip_sync_video_failed', data: {} });
			expect(byId).toHaveLength(1);
			expect(receiver.requests[1].headers['x-webhook-signature']).toBe(hmac(a.secret, receiver.requests[1].rawBody));
		} finally {
			await receiver.close();
		}
	});
});
