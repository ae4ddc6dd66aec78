import { NodeOperationError } from 'n8n-workflow';

import { vozoAdapter, withCallbackReference } from '../../nodes/Vozo/vozo.adapter';
import { startSandbox, type Sandbox } from '../sandbox';
import { call } from '../sandbox/testHelpers';
import { errorOf, fakeContext } from './fakeContext';
import { vendorResponseOf } from './sandboxAnswer';

const referenceParams = {
	generationMode: 'referenceFile',
	referenceFileType: 'video',
	referenceFileUrl: 'https://cdn.example.com/talk.MP4?token=abc',
	model: 'precision_v1',
	audioUrl: 'https://cdn.example.com/voice.mp3',
	options: {},
};

const read = (params: Record<string, unknown>) =>
	vozoAdapter.readCreateInput(fakeContext([{ params }]), 0);

describe('Vozo create input', () => {
	it('builds the reference-file body', async () => {
		const input = await read(referenceParams);
		const request = vozoAdapter.createRequest(input, 'ref-1');
		expect(request).toEqual({
			method: 'POST',
			path: '/v1/video_generation',
			body: {
				reference_file_url: 'https://cdn.example.com/talk.MP4?token=abc',
				reference_file_type: 'video',
				audio_url: 'https://cdn.example.com/voice.mp3',
				model: 'precision_v1',
			},
		});
	});

	it('builds the reusable-model body', async () => {
		const input = await read({ generationMode: 'reusableModel', modelId: ' m-42 ', audioUrl: 'https://x.io/a.wav' });
		expect(vozoAdapter.createRequest(input, 'ref-1')).toEqual({
			method: 'POST',
			path: '/v1/reusable_lipsync_model_video_generation',
			body: { model_id: 'm-42', audio_url: 'https://x.io/a.wav' },
		});
	});

	it('appends its correlation reference to the callback URL and reports it', async () => {
		const input = await read({
			...referenceParams,
			options: { callbackUrl: 'https://n8n.example.com/webhook-waiting/7?signature=a%2Bb' },
		});
		const request = vozoAdapter.createRequest(input, 'item ref/1');
		expect(request.body?.callback_url).toBe(
			'https://n8n.example.com/webhook-waiting/7?signature=a%2Bb&lipsync_ref=item%20ref%2F1',
		);
		expect(request.outputExtras).toEqual({ callbackReference: 'item ref/1' });
	});

	it('adds the reference before a fragment and to URLs without a query', () => {
		expect(withCallbackReference('https://h.io/cb', 'r')).toBe('https://h.io/cb?lipsync_ref=r');
		expect(withCallbackReference('https://h.io/cb?', 'r')).toBe('https://h.io/cb?lipsync_ref=r');
		expect(withCallbackReference('https://h.io/cb?a=1#x', 'r')).toBe('https://h.io/cb?a=1&lipsync_ref=r#x');
	});

	it('accepts an image reference with an image extension', async () => {
		const input = await read({ ...referenceParams, referenceFileType: 'image', referenceFileUrl: 'https://x.io/face.webp' });
		expect(input.referenceFileType).toBe('image');
	});

	it.each([
		[{ referenceFileUrl: '' }, 'Item 0: "Reference File URL" is required'],
		[{ referenceFileUrl: 'ftp://x.io/a.mp4' }, '"Reference File URL" must be a public http(s) URL'],
		[{ referenceFileUrl: 'not a url' }, '"Reference File URL" must be a public http(s) URL'],
		[{ referenceFileUrl: 'https://x.io/face.png' }, '"Reference File URL" must point to a video file (.mp4 .mov .webm .avi .wmv); the URL ends in ".png"'],
		[{ referenceFileType: 'image', referenceFileUrl: 'https://x.io/a.mp4' }, '"Reference File URL" must point to an image file (.jpg .jpeg .png .webp)'],
		[{ referenceFileType: 'gif' }, '"Reference File Type" must be one of "auto", "video", "image", got "gif"'],
		[{ model: 'turbo' }, '"Model" must be one of "standard_v1", "precision_v1"'],
		[{ audioUrl: 'https://x.io/voice.ogg?x=.mp3' }, '"Audio URL" must point to an audio file (.wav .mp3 .m4a); the URL ends in ".ogg"'],
		[{ audioUrl: undefined }, '"Audio URL" is required'],
		[{ options: { callbackUrl: 'localhost:5678/cb' } }, '"Callback URL" must be a public http(s) URL'],
		[{ generationMode: 'magic' }, '"Face Source" must be one of'],
	])('rejects %p', async (override, message) => {
		const error = await errorOf(() => read({ ...referenceParams, ...override }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(message);
	});

	it('requires the reusable model id and names the item', async () => {
		const error = await errorOf(() =>
			vozoAdapter.readCreateInput(
				fakeContext([{ params: referenceParams }, { params: { generationMode: 'reusableModel', modelId: '  ', audioUrl: 'https://x.io/a.mp3' } }]),
				1,
			),
		);
		expect(error.message).toBe('Item 1: "Reusable Model ID" is required: enter the ID of a reusable lip-sync model');
		expect((error as NodeOperationError).context.itemIndex).toBe(1);
	});

	it('accepts URLs whose path has no extension (presigned links)', async () => {
		const input = await read({ ...referenceParams, referenceFileUrl: 'https://x.io/files/123?sig=1' });
		expect(input.referenceFileUrl).toBe('https://x.io/files/123?sig=1');
	});
});

describe('Vozo status', () => {
	it('reads the task id from the create answer', () => {
		expect(vozoAdapter.parseCreated({ task_id: 't-1' })).toEqual({ jobId: 't-1' });
		expect(() => vozoAdapter.parseCreated({})).toThrow(/no task_id/);
	});

	it('asks the documented status path', () => {
		expect(vozoAdapter.statusRequest('t/1')).toMatchObject({ method: 'GET', path: '/v1/video_generation/t%2F1' });
	});

	it.each([
		['pending', 'queued'],
		['processing', 'processing'],
		['PROCESSING', 'processing'],
		['rendering-something-new', 'processing'],
		['', 'processing'],
	])('maps %p to %p', (word, status) => {
		const job = vozoAdapter.parseStatus('t-1', { status: word });
		expect(job.status).toBe(status);
		expect(job.providerStatus).toBe(word);
		expect(job.error).toBeUndefined();
	});

	it.each(['done', 'completed'])('maps %p with a URL to succeeded', (word) => {
		const body = { status: word, video_url: 'https://v.io/out.mp4' };
		const job = vozoAdapter.parseStatus('t-1', body);
		expect(job).toMatchObject({ provider: 'vozo', jobId: 't-1', status: 'succeeded', videoUrl: 'https://v.io/out.mp4', raw: body });
	});

	it('reads a done job without a URL as still processing, result pending', () => {
		const job = vozoAdapter.parseStatus('t-1', { status: 'done' });
		expect(job).toMatchObject({ status: 'processing', providerStatus: 'done', resultPending: true });
	});

	it('reads err_code / err_message of a failed job, and explains documented codes', () => {
		expect(vozoAdapter.parseStatus('t', { status: 'failed', err_code: 20601, err_message: 'no face' }).error).toEqual({ code: 20601, message: 'no face' });
		expect(vozoAdapter.parseStatus('t', { status: 'failed', err_code: 20613 }).error).toEqual({ code: 20613, message: 'The image was flagged as sensitive' });
		expect(vozoAdapter.parseStatus('t', { status: 'failed' }).error?.message).toBe('The job ended with status "failed"');
	});

	it('tolerates an answer wrapped in data', () => {
		expect(vozoAdapter.parseStatus('t', { data: { status: 'done', video_url: 'https://v.io/x.mp4' } }).videoUrl).toBe('https://v.io/x.mp4');
	});
});

describe('Vozo errors', () => {
	const error400 = (code: number, message = 'm') =>
		vozoAdapter.detectError({ statusCode: 400, headers: { 'X-Request-Id': 'req-9' }, body: { code, message, serverTs: 1 } });

	it.each([
		[5, 'invalidInput'],
		[7, 'permission'],
		[104, 'credit'],
		[814, 'permission'],
		[1000, 'server'],
		[1301, 'invalidInput'],
		[1302, 'auth'],
		[1304, 'concurrencyLimit'],
		[1305, 'permission'],
		[1502, 'invalidInput'],
		[1503, 'permission'],
		[4242, 'invalidInput'],
	])('classifies code %p as %p', (code, kind) => {
		expect(error400(code)).toMatchObject({ kind, code, message: 'm', requestId: 'req-9' });
	});

	it('gives vendor-specific hints', () => {
		expect(error400(1304)?.hint).toMatch(/10 queued or running jobs/);
		expect(error400(1301)?.hint).toMatch(/publicly reachable.*2xx/);
		expect(error400(104)?.hint).toMatch(/vozo\.ai/);
		expect(error400(1502)?.hint).toMatch(/audio/);
	});

	it.each([401, 403])('treats HTTP %p without a code as auth', (statusCode) => {
		expect(vozoAdapter.detectError({ statusCode, headers: {}, body: { message: 'bad key' } })).toMatchObject({ kind: 'auth', message: 'bad key' });
	});

	it('honours Retry-After on 429 (seconds and HTTP date)', () => {
		expect(vozoAdapter.detectError({ statusCode: 429, headers: { 'retry-after': '12' }, body: '' })).toMatchObject({ kind: 'rateLimit', retryAfterMs: 12000 });
		const date = new Date(Date.now() + 60_000).toUTCString();
		const wait = vozoAdapter.detectError({ statusCode: 429, headers: { 'Retry-After': date }, body: {} })?.retryAfterMs ?? -1;
		expect(wait).toBeGreaterThan(50_000);
		expect(wait).toBeLessThanOrEqual(60_000);
	});

	it('treats 5xx as server, and 404 as not found', () => {
		expect(vozoAdapter.detectError({ statusCode: 502, headers: {}, body: '<html>bad gateway</html>' })?.kind).toBe('server');
		expect(vozoAdapter.detectError({ statusCode: 404, headers: {}, body: {} })?.kind).toBe('notFound');
	});

	it('passes successful answers, including a failed job with its own code', () => {
		expect(vozoAdapter.detectError({ statusCode: 200, headers: {}, body: { task_id: 't' } })).toBeUndefined();
		expect(vozoAdapter.detectError({ statusCode: 200, headers: {}, body: { status: 'failed', code: 20601 } })).toBeUndefined();
		expect(vozoAdapter.detectError({ statusCode: 200, headers: {}, body: { code: 1302, message: 'revoked' } })?.kind).toBe('auth');
	});
});

describe('Vozo answers over HTTP from the sandbox (codes are strings, as in Vozo\'s schema)', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: 60_000, jitterMs: 0 });
	});
	afterAll(async () => await sb.close());
	afterEach(() => sb.reset());

	const createBody = {
		reference_file_url: 'https://cdn.example.test/face.mp4',
		audio_url: 'https://cdn.example.test/voice.mp3',
		model: 'standard_v1',
		reference_file_type: 'video',
	};

	it('reads a revoked key ("1302") as auth with the revoke advice, keeping the code as sent', async () => {
		const answer = await call(sb, 'vozo', '/v1/video_generation/any', { key: 'revoked-key' });
		expect(answer.json.code).toBe('1302');
		expect(vozoAdapter.detectError(vendorResponseOf(answer))).toMatchObject({
			kind: 'auth',
			code: '1302',
			hint: expect.stringMatching(/revoked/),
		});
	});

	it('reads "1503" as a missing API authorization and "1304" as the running-jobs limit', async () => {
		const unauthorized = await call(sb, 'vozo', '/v1/video_generation', { body: createBody, key: 'wrong' });
		expect(vozoAdapter.detectError(vendorResponseOf(unauthorized))).toMatchObject({ kind: 'permission', code: '1503' });
		sb.setOptions({ vozoMaxActiveJobs: 1 });
		await call(sb, 'vozo', '/v1/video_generation', { body: createBody });
		const full = await call(sb, 'vozo', '/v1/video_generation', { body: createBody });
		expect(vozoAdapter.detectError(vendorResponseOf(full))).toMatchObject({ kind: 'concurrencyLimit', code: '1304' });
	});

	it('reads an HTTP 200 "1000" envelope as a server error, not as a job', async () => {
		sb.setFault('vozo', { kind: 'errorEnvelope', endpoint: 'status' });
		const answer = await call(sb, 'vozo', '/v1/video_generation/any');
		expect(answer.status).toBe(200);
		expect(vozoAdapter.detectError(vendorResponseOf(answer))).toMatchObject({ kind: 'server', code: '1000' });
	});

	it('explains a failed job\'s string err_code from the documented job error table', async () => {
		const created = await call(sb, 'vozo', '/v1/video_generation', {
			body: { ...createBody, audio_url: 'https://cdn.example.test/voice-fail-20613.mp3' },
		});
		const jobId = vozoAdapter.parseCreated(created.json).jobId;
		sb.jobs.finish('vozo', jobId);
		const status = await call(sb, 'vozo', `/v1/video_generation/${jobId}`);
		expect(vozoAdapter.detectError(vendorResponseOf(status))).toBeUndefined();
		const job = vozoAdapter.parseStatus(jobId, status.json);
		expect(job).toMatchObject({ status: 'failed', providerStatus: 'failed', error: { code: '20613' } });
		// the sandbox's own words win over the table; without them the table explains the code
		const { err_message: _words, ...withoutWords } = status.json;
		expect(vozoAdapter.parseStatus(jobId, withoutWords).error).toEqual({ code: '20613', message: 'The image was flagged as sensitive' });
	});
});
