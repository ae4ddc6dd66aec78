import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeOperationError } from 'n8n-workflow';

import { modellixAdapter } from '../../nodes/Modellix/modellix.adapter';
import { jsonOf, runVendor } from '../nodes/nodeKit';
import { startSandbox, type Sandbox } from '../sandbox';
import { call, fetchResult } from '../sandbox/testHelpers';
import { errorOf, fakeContext } from './fakeContext';
import { vendorResponseOf } from './sandboxAnswer';

const params = {
	modelSlug: 'vidu/lip-sync',
	videoUrl: 'https://x.io/v.mp4',
	audioUrl: 'https://x.io/a.mp3',
	referenceFaceImageUrl: '',
};
const read = (override: Record<string, unknown> = {}) =>
	modellixAdapter.readCreateInput(fakeContext([{ params: { ...params, ...override } }]), 0);

describe('Modellix create input', () => {
	// pixverse/lipsync and skyreels/sky-lipsync: values saved before "Other Model" existed.
	it.each(['vidu/lip-sync', 'pixverse/lipsync', 'skyreels/sky-lipsync'])('posts Vidu\'s fields to the %p model path, the route without /async after a 404', async (slug) => {
		const request = modellixAdapter.createRequest(await read({ modelSlug: slug }), 'r');
		const body = { video_url: 'https://x.io/v.mp4', audio_url: 'https://x.io/a.mp3' };
		expect(request).toEqual({
			method: 'POST',
			path: `/api/v1/${slug}/async`,
			body,
			alternatives: [{ method: 'POST', path: `/api/v1/${slug}`, body }],
		});
	});

	it('leaves audio_url out when the Audio URL is empty (Modellix marks it optional)', async () => {
		const request = modellixAdapter.createRequest(await read({ audioUrl: '' }), 'r');
		expect(request.body).toEqual({ video_url: 'https://x.io/v.mp4' });
	});

	it('sends the reference face image when set', async () => {
		const request = modellixAdapter.createRequest(await read({ referenceFaceImageUrl: 'https://x.io/f.jpg' }), 'r');
		expect(request.body).toEqual({ video_url: 'https://x.io/v.mp4', audio_url: 'https://x.io/a.mp3', reference_face_image_url: 'https://x.io/f.jpg' });
	});

	it.each([
		[{ videoUrl: '' }, 'Item 0: "Video URL" is required'],
		[{ audioUrl: 'file:///tmp/a.mp3' }, '"Audio URL" must be a public http(s) URL'],
		[{ referenceFaceImageUrl: 'face.jpg' }, '"Reference Face Image URL" must be a public http(s) URL'],
		[{ modelSlug: 'other/model' }, '"Model" must be one of "vidu/lip-sync", "other"'],
		[{ modelSlug: 'other', otherModelSlug: 'pixverse', requestBody: '{"video_url":"https://x.io/v.mp4"}' }, '"Model Slug" must be a Modellix model as provider/model'],
		[{ modelSlug: 'other', otherModelSlug: 'a/b/../c', requestBody: '{"video_url":"https://x.io/v.mp4"}' }, '"Model Slug" must be a Modellix model as provider/model'],
		[{ modelSlug: 'other', otherModelSlug: 'pixverse/lipsync', requestBody: '{"video_url":' }, '"Request Body" must be a JSON object'],
		[{ modelSlug: 'other', otherModelSlug: 'pixverse/lipsync', requestBody: '[1]' }, '"Request Body" must be a JSON object'],
		[{ modelSlug: 'other', otherModelSlug: 'pixverse/lipsync', requestBody: '{}' }, '"Request Body" must be a JSON object'],
	])('rejects %p', async (override, message) => {
		const error = await errorOf(() => read(override));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(message);
	});
});

describe('Modellix status', () => {
	const envelope = (data: object) => ({ code: 0, message: 'success', data });

	it('reads the created task and its first status', () => {
		const created = modellixAdapter.parseCreated(envelope({ task_id: 'task-1', status: 'pending', model_id: 'vidu/lip-sync' }));
		expect(created.jobId).toBe('task-1');
		expect(created.job?.status).toBe('queued');
		expect(() => modellixAdapter.parseCreated(envelope({}))).toThrow(/task_id/);
	});

	it('asks the task path', () => {
		expect(modellixAdapter.statusRequest('task-1')).toEqual({ method: 'GET', path: '/api/v1/tasks/task-1' });
	});

	it.each([
		['pending', 'queued'],
		['submitted', 'queued'],
		['processing', 'processing'],
		['running', 'processing'],
		['warming_up', 'processing'],
		['failed', 'failed'],
		['error', 'failed'],
		['canceled', 'failed'],
		['cancelled', 'failed'],
		['timeout', 'failed'],
	])('maps %p to %p', (word, status) => {
		expect(modellixAdapter.parseStatus('t', envelope({ task_id: 't', status: word })).status).toBe(status);
	});

	it.each(['success', 'succeeded', 'completed'])('maps %p to succeeded with the first video resource', (word) => {
		const job = modellixAdapter.parseStatus(
			't',
			envelope({
				task_id: 't',
				status: word,
				result: {
					resources: [
						{ type: 'image', url: 'https://r.io/cover.jpg' },
						{ type: 'video', url: 'https://r.io/out.mp4', width: 720 },
					],
				},
				result_expires_at: 1767225600,
			}),
		);
		expect(job).toMatchObject({ status: 'succeeded', videoUrl: 'https://r.io/out.mp4', expiresAt: '2026-01-01T00:00:00.000Z', provider: 'modellix' });
	});

	it('without a video type, takes the resource whose URL is a video, never the cover image', () => {
		const resources = [{ url: 'https://r.io/cover.jpg' }, { url: 'https://r.io/a.mp4?sig=1' }];
		const job = modellixAdapter.parseStatus('t', envelope({ status: 'success', result: { resources } }));
		expect(job).toMatchObject({ videoUrl: 'https://r.io/a.mp4?sig=1', coverUrl: 'https://r.io/cover.jpg' });
	});

	it('takes an untyped link without an extension (a presigned link), but never an image or audio one', () => {
		const presigned = envelope({ status: 'success', resources: ['https://r.io/thumb.png', 'https://r.io/files/8f2c?sig=1'] });
		expect(modellixAdapter.parseStatus('t', presigned).videoUrl).toBe('https://r.io/files/8f2c?sig=1');
		const onlyCover = envelope({ status: 'success', resources: [{ type: 'image', url: 'https://r.io/x' }, 'https://r.io/voice.mp3'] });
		expect(modellixAdapter.parseStatus('t', onlyCover)).toMatchObject({ status: 'processing', resultPending: true });
	});

	it('reads a success without resources as still processing, result pending', () => {
		const job = modellixAdapter.parseStatus('t', envelope({ status: 'success', result: { resources: [] } }));
		expect(job).toMatchObject({ status: 'processing', providerStatus: 'success', resultPending: true });
	});

	it('reads the failure text along the assumed chain', () => {
		expect(modellixAdapter.parseStatus('t', envelope({ status: 'failed', error: 'no face' })).error).toEqual({ message: 'no face' });
		expect(modellixAdapter.parseStatus('t', envelope({ status: 'failed', error: { message: 'bad audio', code: 'E1' } })).error).toEqual({ code: 'E1', message: 'bad audio' });
		expect(modellixAdapter.parseStatus('t', envelope({ status: 'failed', error_message: 'timeout' })).error).toEqual({ message: 'timeout' });
		expect(modellixAdapter.parseStatus('t', { code: 0, message: 'success', data: { status: 'failed' } }).error).toEqual({ message: 'The job ended with status "failed"' });
		expect(modellixAdapter.parseStatus('t', envelope({ status: 'processing', error: 'not yet' })).error).toBeUndefined();
	});
});

describe('Modellix errors', () => {
	it.each([
		[400, 'invalidInput'],
		[401, 'auth'],
		[402, 'credit'],
		[404, 'notFound'],
		[429, 'rateLimit'],
		[500, 'server'],
		[503, 'server'],
	])('classifies HTTP %p as %p', (statusCode, kind) => {
		const info = modellixAdapter.detectError({ statusCode, headers: { 'x-request-id': 'rq' }, body: { code: statusCode, message: 'msg', data: null } });
		expect(info).toMatchObject({ kind, code: statusCode, message: 'msg', requestId: 'rq' });
	});

	it.each([
		[400, 'invalidInput'],
		[401, 'auth'],
		[402, 'credit'],
		[404, 'notFound'],
		[429, 'rateLimit'],
		[500, 'server'],
	])('classifies an HTTP 200 envelope with code %p as %p', (code, kind) => {
		expect(modellixAdapter.detectError({ statusCode: 200, headers: {}, body: { code, message: 'm' } })?.kind).toBe(kind);
	});

	it('waits until X-RateLimit-Reset', () => {
		const reset = Math.floor(Date.now() / 1000) + 30;
		const info = modellixAdapter.detectError({ statusCode: 429, headers: { 'X-RateLimit-Reset': String(reset) }, body: { code: 429, message: 'slow down' } });
		expect(info?.retryAfterMs).toBeGreaterThan(25_000);
		expect(info?.retryAfterMs).toBeLessThanOrEqual(30_000);
		expect(info?.hint).toMatch(/100 requests per minute/);
	});

	it('falls back to Retry-After', () => {
		expect(modellixAdapter.detectError({ statusCode: 429, headers: { 'retry-after': '3' }, body: {} })?.retryAfterMs).toBe(3000);
	});

	it('passes a success envelope', () => {
		expect(modellixAdapter.detectError({ statusCode: 200, headers: {}, body: { code: 0, message: 'success', data: {} } })).toBeUndefined();
	});
});

describe('Modellix over HTTP against the sandbox', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: 300, jitterMs: 0 });
	});
	afterAll(async () => await sb.close());
	afterEach(() => sb.reset());

	async function finishedStatus(videoUrl: string) {
		const created = await call(sb, 'modellix', '/api/v1/vidu/lip-sync/async', { body: { video_url: videoUrl, audio_url: 'https://x.test/a.mp3' } });
		const { jobId } = modellixAdapter.parseCreated(created.json);
		sb.jobs.finish('modellix', jobId);
		const answer = await call(sb, 'modellix', `/api/v1/tasks/${jobId}`);
		expect(modellixAdapter.detectError(vendorResponseOf(answer))).toBeUndefined();
		return { jobId, json: answer.json };
	}

	it.each([
		['data.result.resources (documented)', 'https://x.test/face.mp4'],
		['data.resources, cover first', 'https://x.test/face-result-shape-flat.mp4'],
		['bare URL strings, cover first', 'https://x.test/face-result-shape-strings.mp4'],
	])('reads the result video from %s, never the cover', async (_shape, videoUrl) => {
		const { jobId, json } = await finishedStatus(videoUrl);
		const job = modellixAdapter.parseStatus(jobId, json);
		expect(job.status).toBe('succeeded');
		expect(new URL(job.videoUrl!).pathname).toBe(`/modellix/results/${jobId}.mp4`);
		const download = await fetch(job.videoUrl!);
		expect([download.status, download.headers.get('content-type')]).toEqual([200, 'video/mp4']);
	});

	it('outputs the video of every result shape through the node, not the cover image', async () => {
		const result = await runVendor(sb, 'modellix', {
			operation: 'createAndWait',
			inputItems: ['face.mp4', 'face-result-shape-flat.mp4', 'face-result-shape-strings.mp4'].map((name) => ({ json: { video: `https://x.test/${name}`, audio: 'https://x.test/a.mp3' } })),
			parameters: { videoUrl: '={{ $json.video }}' },
		});
		expect(result.error).toBeUndefined();
		for (const job of jsonOf(result)) {
			expect(job.status).toBe('succeeded');
			expect(String(job.videoUrl)).toMatch(/\/results\/[^/]+\.mp4\?token=/);
		}
	});

	it('"Other Model" sends its slug and the JSON body as given; a saved legacy slug still sends Vidu\'s fields', async () => {
		const body = { video: 'https://x.test/face.mp4', audio: 'https://x.test/a.mp3', lip_sync_tts_speaker_id: 'auto' };
		const other = await runVendor(sb, 'modellix', {
			operation: 'createAndWait',
			inputItems: [{ json: {} }],
			parameters: { modelSlug: 'other', otherModelSlug: 'pixverse/lipsync', requestBody: JSON.stringify(body) },
		});
		expect(jsonOf(other)[0]).toMatchObject({ status: 'succeeded', provider: 'modellix' });
		const legacy = await runVendor(sb, 'modellix', {
			operation: 'create',
			inputItems: [{ json: { audio: 'https://x.test/b.mp3' } }],
			parameters: { modelSlug: 'skyreels/sky-lipsync' },
		});
		expect(legacy.error).toBeUndefined();
		const sent = sb.log.entries({ vendor: 'modellix', endpoint: 'create' }).map((e) => [e.path, e.requestBody]);
		expect(sent).toEqual([
			['/modellix/api/v1/pixverse/lipsync/async', body],
			['/modellix/api/v1/skyreels/sky-lipsync/async', { video_url: 'https://cdn.example.test/face.mp4', audio_url: 'https://x.test/b.mp3' }],
		]);
	});

	it('waits the seconds a relative X-RateLimit-Reset gives ("30" is 30 s, not "retry now")', async () => {
		const server = createServer((_req, res) => {
			res.writeHead(429, { 'content-type': 'application/json', 'x-ratelimit-reset': '30' });
			res.end(JSON.stringify({ code: 429, message: 'rate limit exceeded', data: null }));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const answer = await fetchResult(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/tasks/x`);
			expect(modellixAdapter.detectError(vendorResponseOf(answer))).toMatchObject({ kind: 'rateLimit', retryAfterMs: 30_000 });
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});

	it('reads a code that repeats the HTTP status, and waits until X-RateLimit-Reset', async () => {
		const wrongKey = await call(sb, 'modellix', '/api/v1/tasks/x', { key: 'wrong' });
		expect(modellixAdapter.detectError(vendorResponseOf(wrongKey))).toMatchObject({ kind: 'auth', code: 401 });
		sb.setOptions({ modellixRequestsPerWindow: 1, rateWindowMs: 20_000 });
		await call(sb, 'modellix', '/api/v1/team/balance');
		const limited = await call(sb, 'modellix', '/api/v1/team/balance');
		const info = modellixAdapter.detectError(vendorResponseOf(limited));
		expect(info).toMatchObject({ kind: 'rateLimit', code: 429 });
		expect(info!.retryAfterMs).toBeGreaterThan(15_000);
		expect(info!.retryAfterMs).toBeLessThanOrEqual(21_000);
	});
});
