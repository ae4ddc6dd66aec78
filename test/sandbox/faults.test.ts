/** Every fault kind, per vendor and endpoint kind, and for the next N requests only. */
import { startSandbox, VENDORS, type Sandbox } from './index';
import { call, pollUntil, sleep, waitFor } from './testHelpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 150, jitterMs: 0 });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const VIDEO = 'https://cdn.example.test/face.mp4';
const AUDIO = 'https://cdn.example.test/voice.mp3';
const joggCreate = () => call(sb, 'joggai', '/v2/create_lip_sync_video', { body: { video_url: VIDEO, audio_url: AUDIO } });
const vozoCreate = () =>
	call(sb, 'vozo', '/v1/video_generation', { body: { reference_file_url: VIDEO, audio_url: AUDIO, model: 'standard_v1', reference_file_type: 'video' } });

/** A done Vozo job and the video URL its final poll handed out. */
async function finishedVozoJob(): Promise<{ id: string; url: string }> {
	const id = (await vozoCreate()).json.task_id;
	const { last } = await pollUntil(() => call(sb, 'vozo', `/v1/video_generation/${id}`), (r) => r.json.status, ['done']);
	return { id, url: last.json.video_url };
}

test('rateLimit: HTTP 429 with Retry-After; the create creates nothing', async () => {
	sb.setFault('joggai', { kind: 'rateLimit', endpoint: 'create', retryAfterSeconds: 7 });
	const res = await joggCreate();
	expect(res.status).toBe(429);
	expect(res.headers.get('retry-after')).toBe('7');
	expect(res.json.code).toBe(429);
	expect(sb.jobs.stats('joggai').created).toBe(0);
	expect(sb.log.entries({ vendor: 'joggai', endpoint: 'create' })[0]).toMatchObject({ statusCode: 429, fault: 'rateLimit' });
	sb.setFault('modellix', { kind: 'rateLimit' });
	const modellix = await call(sb, 'modellix', '/api/v1/team/balance');
	expect(modellix.status).toBe(429);
	expect(Number(modellix.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
});

test('serverError 500/502/503 for the next N status calls, then normal', async () => {
	const id = (await call(sb, 'modellix', '/api/v1/vidu/lip-sync/async', { body: { video_url: VIDEO } })).json.data.task_id;
	sb.setFault('modellix', [
		{ kind: 'serverError', httpStatus: 503, endpoint: 'status', times: 2 },
		{ kind: 'serverError', httpStatus: 502, endpoint: 'status', times: 1 },
		{ kind: 'serverError', endpoint: 'status', times: 1 },
	]);
	expect(sb.faults().modellix[0]).toMatchObject({ kind: 'serverError', times: 2 });
	const answers = [];
	for (let i = 0; i < 5; i++) answers.push(await call(sb, 'modellix', `/api/v1/tasks/${id}`));
	expect(answers.map((a) => a.status)).toEqual([503, 503, 502, 500, 200]);
	expect(answers[0].json).toEqual({ code: 503, message: expect.any(String), data: null });
	expect(answers[2].headers.get('content-type')).toContain('text/html');
	expect(answers[3].json.code).toBe(500);
	expect(sb.faults().modellix).toBeUndefined();
	// scoped to status: creates are untouched
	sb.setFault('modellix', { kind: 'serverError', endpoint: 'status' });
	expect((await call(sb, 'modellix', '/api/v1/vidu/lip-sync/async', { body: { video_url: VIDEO } })).status).toBe(200);
});

test('reset: the connection is destroyed without an answer', async () => {
	sb.setFault('vozo', { kind: 'reset', times: 1 });
	await expect(vozoCreate()).rejects.toThrow();
	expect(sb.log.entries({ vendor: 'vozo' })[0]).toMatchObject({ endpoint: 'create', fault: 'reset' });
	await sleep(20);
	expect(sb.log.entries({ vendor: 'vozo' })[0].statusCode).toBe(0);
	expect(sb.jobs.stats('vozo').created).toBe(0);
	expect((await vozoCreate()).status).toBe(200);
});

test('slow: answers after delayMs', async () => {
	sb.setFault('personate', { kind: 'slow', delayMs: 300, times: 1 });
	const started = Date.now();
	const res = await call(sb, 'personate', '/api/voices/public');
	expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	expect(res.status).toBe(200);
	expect(res.json.voices.length).toBeGreaterThan(0);
});

test('malformedJson: HTTP 200, application/json, not parseable', async () => {
	sb.setFault('joggai', { kind: 'malformedJson', endpoint: 'create', times: 1 });
	const res = await joggCreate();
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toContain('application/json');
	expect(() => JSON.parse(res.text)).toThrow();
});

test('errorEnvelope: HTTP 200 with each vendor’s error shape', async () => {
	for (const vendor of VENDORS) sb.setFault(vendor, { kind: 'errorEnvelope' });
	const jogg = await call(sb, 'joggai', '/v2/user/whoami');
	expect([jogg.status, jogg.json.code]).toEqual([200, 50000]);
	const modellix = await call(sb, 'modellix', '/api/v1/team/balance');
	expect([modellix.status, modellix.json.code]).toEqual([200, 500]);
	const vozo = await call(sb, 'vozo', '/v1/video_generation/x');
	expect([vozo.status, vozo.json.code]).toEqual([200, '1000']);
	const personate = await call(sb, 'personate', '/api/avatars/public');
	expect([personate.status, personate.json.status]).toEqual([200, 'error']);
});

test('unknownStatus: the status endpoint answers an unknown status word', async () => {
	const id = (await joggCreate()).json.data.task_id;
	sb.setFault('joggai', { kind: 'unknownStatus', times: 1 });
	expect((await call(sb, 'joggai', `/v2/lip_sync_video/${id}`)).json.data.status).toBe('warming_up');
	sb.setFault('all', { kind: 'unknownStatus', status: 'thinking' });
	expect((await call(sb, 'joggai', `/v2/lip_sync_video/${id}`)).json.data.status).toBe('thinking');
	const vozoId = (await vozoCreate()).json.task_id;
	expect((await call(sb, 'vozo', `/v1/video_generation/${vozoId}`)).json.status).toBe('thinking');
});

test('neverFinish: jobs created while it is on stay processing', async () => {
	sb.setFault('vozo', { kind: 'neverFinish', times: 1 });
	const stuck = (await vozoCreate()).json.task_id;
	const normal = (await vozoCreate()).json.task_id;
	await sleep(400);
	expect((await call(sb, 'vozo', `/v1/video_generation/${stuck}`)).json.status).toBe('processing');
	expect((await call(sb, 'vozo', `/v1/video_generation/${normal}`)).json.status).toBe('done');
});

test('expiringUrls: the first URL answers 403 until a status call hands out a fresh one', async () => {
	sb.setFault('vozo', { kind: 'expiringUrls' });
	const { id, url: stale } = await finishedVozoJob(); // the first URL of the job
	const expired = await fetch(stale);
	expect(expired.status).toBe(403);
	expect(await expired.text()).toContain('AccessDenied');
	const fresh = (await call(sb, 'vozo', `/v1/video_generation/${id}`)).json.video_url;
	expect(fresh).not.toBe(stale);
	expect((await fetch(fresh)).status).toBe(200);
	// a wrong token is always refused
	expect((await fetch(fresh.replace(/token=\w+/, 'token=bad'))).status).toBe(403);
});

test('expiringUrls with ttlMs: a URL expires that long after it was handed out', async () => {
	sb.setFault('modellix', { kind: 'expiringUrls', staleUrls: 0, ttlMs: 1000 });
	const id = (await call(sb, 'modellix', '/api/v1/vidu/lip-sync/async', { body: { video_url: VIDEO } })).json.data.task_id;
	const { last } = await pollUntil(() => call(sb, 'modellix', `/api/v1/tasks/${id}`), (r) => r.json.data.status, ['success']);
	const url = last.json.data.result.resources[0].url;
	expect((await fetch(url)).status).toBe(200);
	await sleep(1050);
	expect((await fetch(url)).status).toBe(403);
});

test('download faults hit result downloads and /files (target "files")', async () => {
	const { url } = await finishedVozoJob();
	sb.setFault('vozo', { kind: 'serverError', httpStatus: 503, endpoint: 'download', times: 1 });
	expect((await fetch(url)).status).toBe(503);
	expect((await fetch(url)).status).toBe(200);
	sb.setFault('files', { kind: 'reset', times: 1 });
	await expect(fetch(sb.videoUrl())).rejects.toThrow();
	expect((await fetch(sb.videoUrl())).status).toBe(200);
});

describe('createdFirst: the vendor makes the job, then the answer goes wrong', () => {
	test('a 504 gateway page after the create: one job exists, the caller sees HTML', async () => {
		sb.setFault('joggai', { kind: 'serverError', httpStatus: 504, endpoint: 'create', createdFirst: true, times: 1 });
		const res = await joggCreate();
		expect(res.status).toBe(504);
		expect(res.headers.get('content-type')).toContain('text/html');
		expect(res.text).toContain('504 Gateway Time-out');
		expect(sb.jobs.stats('joggai').created).toBe(1);
		expect(sb.log.entries({ vendor: 'joggai', endpoint: 'create' })[0].fault).toBe('serverError (created first)');
		// times: 1 → the next create is answered normally
		expect((await joggCreate()).json.data.task_id).toEqual(expect.any(String));
		expect(sb.jobs.stats('joggai').created).toBe(2);
	});

	test('a reset after the create: one job exists, no answer', async () => {
		sb.setFault('vozo', { kind: 'reset', endpoint: 'create', createdFirst: true, times: 1 });
		await expect(vozoCreate()).rejects.toThrow();
		expect(sb.jobs.stats('vozo').created).toBe(1);
	});

	test('slow: the job exists before the late answer arrives', async () => {
		sb.setFault('joggai', { kind: 'slow', delayMs: 600, endpoint: 'create', createdFirst: true, times: 1 });
		let answered = false;
		const pending = joggCreate().finally(() => {
			answered = true;
		});
		await waitFor(() => sb.jobs.stats('joggai').created === 1 || undefined);
		expect(answered).toBe(false);
		const res = await pending;
		expect(res.json.data.task_id).toBe(sb.jobs.list('joggai')[0].id);
	});

	test('a bad key still creates nothing, whatever the fault says', async () => {
		sb.setFault('joggai', { kind: 'serverError', endpoint: 'create', createdFirst: true, times: 1 });
		const res = await call(sb, 'joggai', '/v2/create_lip_sync_video', {
			body: { video_url: VIDEO, audio_url: AUDIO },
			key: 'not-a-key',
		});
		expect(res.status).toBe(500);
		expect(sb.jobs.stats('joggai').created).toBe(0);
	});
});

describe('download faults', () => {
	const size = 256 * 1024;
	const url = () => `${sb.url}/files/video.mp4?size=${size}`;

	test('shortBody: Content-Length announces the whole file, fewer bytes arrive, the connection dies', async () => {
		sb.setFault('files', { kind: 'shortBody', bytes: 1000, times: 1 });
		const res = await fetch(url());
		expect(res.headers.get('content-length')).toBe(String(size));
		await expect(res.arrayBuffer()).rejects.toThrow();
	});

	test('shortBody chunked: no Content-Length, the connection dies mid-file', async () => {
		sb.setFault('files', { kind: 'shortBody', chunked: true, times: 1 });
		const res = await fetch(url());
		expect(res.headers.get('content-length')).toBeNull();
		await expect(res.arrayBuffer()).rejects.toThrow();
	});

	test('trickle: every byte arrives, slowly', async () => {
		sb.setFault('files', { kind: 'trickle', chunkBytes: 64 * 1024, delayMs: 100, times: 1 });
		const started = Date.now();
		const res = await fetch(url());
		expect((await res.arrayBuffer()).byteLength).toBe(size);
		expect(Date.now() - started).toBeGreaterThanOrEqual(300);
	});

	test('unannounced: the whole file without Content-Length; with gzip, compressed bytes that decompress to the whole file', async () => {
		sb.setFault('files', { kind: 'unannounced', times: 1 });
		const plain = await fetch(url());
		expect(plain.headers.get('content-length')).toBeNull();
		expect((await plain.arrayBuffer()).byteLength).toBe(size);
		sb.setFault('files', { kind: 'unannounced', gzip: true, times: 1 });
		const compressed = await fetch(url()); // fetch decompresses
		expect(compressed.headers.get('content-encoding')).toBe('gzip');
		expect((await compressed.arrayBuffer()).byteLength).toBe(size);
		const [entry] = sb.log.entries({ endpoint: 'download' }).slice(-1);
		expect(entry.bodyBytesSent).toBeLessThan(size / 10);
	});

	test('wrongType: HTTP 200 with an HTML page instead of the video', async () => {
		sb.setFault('files', { kind: 'wrongType', times: 1 });
		const res = await fetch(url());
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('text/html');
		expect(await res.text()).toContain('<html>');
	});
});

describe('invalidInput, for one request only (matchBody)', () => {
	test('refuses only the create whose body contains the text, in each vendor\'s own shape, creating nothing', async () => {
		sb.setFault('joggai', { kind: 'invalidInput', endpoint: 'create', matchBody: 'voice-37' });
		const refused = await call(sb, 'joggai', '/v2/create_lip_sync_video', { body: { video_url: VIDEO, audio_url: 'https://cdn.example.test/voice-37.mp3' } });
		expect(refused.status).toBe(200);
		expect(refused.json).toMatchObject({ code: 40000, data: null });
		const accepted = await joggCreate();
		expect(accepted.json.data.task_id).toEqual(expect.any(String));
		expect(sb.jobs.stats('joggai').created).toBe(1);

		sb.setFault('vozo', { kind: 'invalidInput', endpoint: 'create' });
		const vozo = await vozoCreate();
		expect(vozo.status).toBe(400);
		expect(vozo.json.code).toBe('5');
		expect(sb.jobs.stats('vozo').created).toBe(0);
	});
});

test('urlLate: a succeeded job is reported with an empty URL for the next N answers, then with its URL', async () => {
	const { id } = await finishedVozoJob();
	sb.setFault('vozo', { kind: 'urlLate', endpoint: 'status', times: 2 });
	const answers = [];
	for (let i = 0; i < 3; i++) answers.push((await call(sb, 'vozo', `/v1/video_generation/${id}`)).json);
	expect(answers.map((a) => a.status)).toEqual(['done', 'done', 'done']);
	expect(answers.map((a) => Boolean(a.video_url))).toEqual([false, false, true]);
});
