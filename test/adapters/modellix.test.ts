import { NodeOperationError } from 'n8n-workflow';

import { modellixAdapter } from '../../nodes/Modellix/modellix.adapter';
import { errorOf, fakeContext } from './fakeContext';

const params = {
	modelSlug: 'vidu/lip-sync',
	videoUrl: 'https://x.io/v.mp4',
	audioUrl: 'https://x.io/a.mp3',
	referenceFaceImageUrl: '',
};
const read = (override: Record<string, unknown> = {}) =>
	modellixAdapter.readCreateInput(fakeContext([{ params: { ...params, ...override } }]), 0);

describe('Modellix create input', () => {
	it.each(['vidu/lip-sync', 'pixverse/lipsync', 'skyreels/sky-lipsync'])('posts to the %p model path', async (slug) => {
		const request = modellixAdapter.createRequest(await read({ modelSlug: slug }), 'r');
		expect(request).toEqual({
			method: 'POST',
			path: `/api/v1/${slug}/async`,
			body: { video_url: 'https://x.io/v.mp4', audio_url: 'https://x.io/a.mp3' },
		});
	});

	it('sends the reference face image when set', async () => {
		const request = modellixAdapter.createRequest(await read({ referenceFaceImageUrl: 'https://x.io/f.jpg' }), 'r');
		expect(request.body).toEqual({ video_url: 'https://x.io/v.mp4', audio_url: 'https://x.io/a.mp3', reference_face_image_url: 'https://x.io/f.jpg' });
	});

	it.each([
		[{ videoUrl: '' }, 'Item 0: "Video URL" is required'],
		[{ audioUrl: 'file:///tmp/a.mp3' }, '"Audio URL" must be a public http(s) URL'],
		[{ referenceFaceImageUrl: 'face.jpg' }, '"Reference Face Image URL" must be a public http(s) URL'],
		[{ modelSlug: 'other/model' }, '"Model" must be one of "vidu/lip-sync", "pixverse/lipsync", "skyreels/sky-lipsync"'],
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

	it('falls back to the first resource when none is typed video', () => {
		const job = modellixAdapter.parseStatus('t', envelope({ status: 'success', result: { resources: [{ url: 'https://r.io/a.mp4' }] } }));
		expect(job.videoUrl).toBe('https://r.io/a.mp4');
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

	it('declares its limits and defaults', () => {
		expect(modellixAdapter.limits.requestsPerMinute).toBe(100);
		expect(modellixAdapter.credentialName).toBe('modellixApi');
		expect(modellixAdapter.waitDefaults.pollIntervalSeconds).toBe(10);
	});
});
