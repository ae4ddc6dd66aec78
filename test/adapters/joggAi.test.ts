import { NodeOperationError } from 'n8n-workflow';

import type { CreateToolkit, VendorRequest } from '../../nodes/shared/adapter';
import { joggAiAdapter } from '../../nodes/JoggAi/joggAi.adapter';
import { jsonOf, runVendor } from '../nodes/nodeKit';
import { startSandbox, type Sandbox } from '../sandbox';
import { call } from '../sandbox/testHelpers';
import { errorOf, fakeContext } from './fakeContext';
import type { FakeItem } from './fakeContext';
import { vendorResponseOf } from './sandboxAnswer';

const urlParams = {
	videoSource: 'url',
	videoUrl: 'https://x.io/v.mov',
	audioSource: 'url',
	audioUrl: 'https://x.io/a.m4a',
	playbackType: 'normal_reverse',
};
const read = (item: FakeItem, metadata = {}) => joggAiAdapter.readCreateInput(fakeContext([item], metadata), 0);

/** Records what the adapter asks the engine to send and upload. */
function recordingToolkit(answers: unknown[]) {
	const sent: VendorRequest[] = [];
	const uploads: Array<{ url: string; property: string; headers?: Record<string, string> }> = [];
	const toolkit: CreateToolkit = {
		async send(request) {
			sent.push(request);
			return answers.shift();
		},
		async uploadBinary(url, property, headers) {
			uploads.push({ url, property, headers });
		},
	};
	return { toolkit, sent, uploads };
}

describe('JoggAI create input from URLs', () => {
	it('builds the create body', async () => {
		const input = await read({ params: urlParams });
		expect(joggAiAdapter.createRequest(input, 'r')).toEqual({
			method: 'POST',
			path: '/v2/create_lip_sync_video',
			body: { video_url: 'https://x.io/v.mov', audio_url: 'https://x.io/a.m4a', playback_type: 'normal_reverse' },
		});
	});

	it.each([
		[{ videoUrl: '' }, 'Item 0: "Video URL" is required'],
		[{ audioUrl: 'x.io/a.mp3' }, '"Audio URL" must be a public http(s) URL'],
		[{ playbackType: 'loop' }, '"Playback Type" must be one of "normal", "normal_reverse", "normal_reverse_by_audio"'],
		[{ videoSource: 'ftp' }, '"Face Source" must be one of "url", "binary"'],
	])('rejects %p', async (override, message) => {
		const error = await errorOf(() => read({ params: { ...urlParams, ...override } }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(message);
	});
});

describe('JoggAI binary input', () => {
	const binaryParams = { ...urlParams, videoSource: 'binary', videoBinaryProperty: 'data', audioSource: 'binary', audioBinaryProperty: 'audio' };
	const video = { mimeType: 'video/mp4', fileName: 'talk.mp4', bytes: 5_000_000 };
	const audio = { mimeType: 'audio/x-wav', fileName: 'voice.wav', id: 'filesystem-v2:audio-1', fileSize: '1 MB' };

	it('validates, uploads each file, then creates with the asset URLs', async () => {
		const input = await read({ params: binaryParams, binary: { data: video, audio } }, { 'filesystem-v2:audio-1': { fileSize: 1_200_000 } });
		const { toolkit, sent, uploads } = recordingToolkit([
			{ code: 0, msg: 'ok', data: { sign_url: 'https://s3.io/put-v?sig=1', asset_url: 'https://assets.io/v.mp4' } },
			{ code: 0, msg: 'ok', data: { sign_url: 'https://s3.io/put-a?sig=2', asset_url: 'https://assets.io/a.wav' } },
		]);
		const prepared = await joggAiAdapter.prepareCreateInput!(input, toolkit);
		expect(sent).toEqual([
			{ method: 'POST', path: '/v2/upload/asset', body: { filename: 'talk.mp4', content_type: 'video/mp4', file_size: 5_000_000 } },
			{ method: 'POST', path: '/v2/upload/asset', body: { filename: 'voice.wav', content_type: 'audio/wav', file_size: 1_200_000 } },
		]);
		expect(uploads).toEqual([
			{ url: 'https://s3.io/put-v?sig=1', property: 'data', headers: { 'Content-Type': 'video/mp4' } },
			{ url: 'https://s3.io/put-a?sig=2', property: 'audio', headers: { 'Content-Type': 'audio/wav' } },
		]);
		expect(joggAiAdapter.createRequest(prepared, 'r').body).toEqual({
			video_url: 'https://assets.io/v.mp4',
			audio_url: 'https://assets.io/a.wav',
			playback_type: 'normal_reverse',
		});
	});

	it('mixes a binary video with an audio URL', async () => {
		const input = await read({ params: { ...binaryParams, audioSource: 'url' }, binary: { data: video } });
		expect(input.audioUrl).toBe('https://x.io/a.m4a');
		expect(input.audioBinary).toBeUndefined();
		expect(input.videoBinary).toMatchObject({ property: 'data', contentType: 'video/mp4' });
	});

	it('recognises the type from the file name when the mime type is generic', async () => {
		const input = await read({ params: { ...binaryParams, audioSource: 'url' }, binary: { data: { mimeType: 'application/octet-stream', fileName: 'clip.MOV', bytes: 10 } } });
		expect(input.videoBinary).toMatchObject({ contentType: 'video/quicktime', fileName: 'clip.MOV' });
	});

	it.each([
		[{ data: { ...video, mimeType: 'video/x-msvideo', fileName: 'a.avi' }, audio }, '"Video Input Binary Field" holds "a.avi" (video/x-msvideo); JoggAI accepts MP4, WebM or MOV video up to 100 MB'],
		[{ data: { ...video, bytes: 101 * 1024 * 1024 }, audio }, '"Video Input Binary Field" holds a file of 101.0 MB; JoggAI accepts MP4, WebM or MOV video up to 100 MB'],
		[{ data: video, audio: { mimeType: 'audio/mpeg', fileName: 'a.mp3', fileSize: '25 MB' } }, '"Audio Input Binary Field" holds a file of 23.8 MB; JoggAI accepts MP3, WAV or M4A audio'],
		[{ data: video, audio: { mimeType: 'audio/ogg', fileName: 'a.ogg' } }, '"Audio Input Binary Field" holds "a.ogg" (audio/ogg)'],
	])('rejects binary %#', async (binary, message) => {
		const error = await errorOf(() => read({ params: binaryParams, binary }, { 'filesystem-v2:audio-1': { fileSize: 1 } }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(message);
	});

	it('reports a missing binary property', async () => {
		const error = await errorOf(() => read({ params: binaryParams, binary: { data: video } }));
		expect(error.message).toMatch(/binary file 'audio'/);
	});

	it('requires a binary property name', async () => {
		const error = await errorOf(() => read({ params: { ...binaryParams, videoBinaryProperty: ' ' }, binary: { data: video, audio } }));
		expect(error.message).toContain('"Video Input Binary Field" is required');
	});

	it('refuses an upload answer without sign_url', async () => {
		const input = await read({ params: { ...binaryParams, audioSource: 'url' }, binary: { data: video } });
		const { toolkit, uploads } = recordingToolkit([{ code: 0, data: { asset_url: 'https://a.io/x' } }]);
		await expect(joggAiAdapter.prepareCreateInput!(input, toolkit)).rejects.toThrow(/sign_url/);
		expect(uploads).toHaveLength(0);
	});
});

describe('JoggAI status', () => {
	const envelope = (data: object | null) => ({ code: 0, msg: 'success', data, rid: 'rid-1' });

	it('reads the created task', () => {
		const created = joggAiAdapter.parseCreated(envelope({ task_id: 'j-1', status: 'pending' }));
		expect(created).toMatchObject({ jobId: 'j-1', job: { status: 'queued', providerStatus: 'pending' } });
		expect(() => joggAiAdapter.parseCreated(envelope(null))).toThrow(/task_id/);
		expect(joggAiAdapter.statusRequest('j-1')).toEqual({ method: 'GET', path: '/v2/lip_sync_video/j-1' });
	});

	it.each([
		['pending', 'queued'],
		['processing', 'processing'],
		['something_new', 'processing'],
	])('maps %p to %p', (word, status) => {
		expect(joggAiAdapter.parseStatus('j', envelope({ task_id: 'j', status: word, data: null, error: null })).status).toBe(status);
	});

	it('reads the result from the double data', () => {
		const job = joggAiAdapter.parseStatus(
			'j',
			envelope({
				task_id: 'j',
				status: 'success',
				created_at: 1735689600,
				completed_at: 1735689720,
				data: { result_url: 'https://r.io/out.mp4', cover_url: 'https://r.io/c.jpg', duration_seconds: 12.5 },
				error: null,
			}),
		);
		expect(job).toMatchObject({
			provider: 'joggai',
			status: 'succeeded',
			videoUrl: 'https://r.io/out.mp4',
			coverUrl: 'https://r.io/c.jpg',
			durationSeconds: 12.5,
			createdAt: '2025-01-01T00:00:00.000Z',
			completedAt: '2025-01-01T00:02:00.000Z',
		});
		expect(job.error).toBeUndefined();
	});

	it('reads a success without a result URL as still processing, result pending', () => {
		const job = joggAiAdapter.parseStatus('j', envelope({ status: 'success', data: null }));
		expect(job).toMatchObject({ status: 'processing', providerStatus: 'success', resultPending: true });
	});

	it('reads the failure message', () => {
		expect(joggAiAdapter.parseStatus('j', envelope({ status: 'failed', data: null, error: { message: 'face not found' } })).error).toEqual({ message: 'face not found' });
		expect(joggAiAdapter.parseStatus('j', envelope({ status: 'failed', data: null, error: null })).error?.message).toBe('The job ended with status "failed"');
	});
});

describe('JoggAI errors', () => {
	it.each([
		[10105, 'auth'],
		[18020, 'credit'],
		[18025, 'permission'],
		[429, 'rateLimit'],
		[10104, 'notFound'],
		[40000, 'invalidInput'],
		[50000, 'server'],
		[50001, 'server'],
	])('classifies envelope code %p as %p', (code, kind) => {
		const info = joggAiAdapter.detectError({ statusCode: 200, headers: {}, body: { code, msg: 'the words', data: null, rid: 'rid-7' } });
		expect(info).toMatchObject({ kind, code, message: 'the words', requestId: 'rid-7' });
	});

	it('reads an undocumented envelope code as unknown (no refusal), quoting the answer', () => {
		const info = joggAiAdapter.detectError({ statusCode: 200, headers: {}, body: { code: 12345, msg: 'the words', data: null, rid: 'rid-7' } });
		expect(info).toMatchObject({ kind: 'unknown', code: 12345, requestId: 'rid-7' });
		expect(info?.message).toContain('{"code":12345,"msg":"the words","data":null,"rid":"rid-7"}');
	});

	it('gives vendor-specific hints', () => {
		const hint = (code: number) => joggAiAdapter.detectError({ statusCode: 200, headers: {}, body: { code, msg: 'm' } })?.hint;
		expect(hint(429)).toMatch(/20 POST requests per minute/);
		expect(hint(18020)).toMatch(/Top up/);
		expect(hint(10105)).toMatch(/API key/);
	});

	it('classifies HTTP errors too', () => {
		expect(joggAiAdapter.detectError({ statusCode: 503, headers: { 'x-request-id': 'h1' }, body: 'Service Unavailable' })).toMatchObject({ kind: 'server', requestId: 'h1' });
		expect(joggAiAdapter.detectError({ statusCode: 429, headers: { 'retry-after': '7' }, body: {} })).toMatchObject({ kind: 'rateLimit', retryAfterMs: 7000 });
		expect(joggAiAdapter.detectError({ statusCode: 401, headers: {}, body: { code: 10105, msg: 'bad key' } })?.kind).toBe('auth');
	});

	it('passes code 0', () => {
		expect(joggAiAdapter.detectError({ statusCode: 200, headers: {}, body: { code: 0, msg: 'success', data: {} } })).toBeUndefined();
	});
});

describe('JoggAI over HTTP against the sandbox', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: 300, jitterMs: 0 });
	});
	afterAll(async () => await sb.close());
	afterEach(() => sb.reset());

	it('sends any http(s) URL to the create endpoint (its docs say only format: uri) and the job succeeds', async () => {
		const urls = ['https://cdn.example.test/clip.avi', 'https://cdn.example.test/render?id=7', 'http://media.example.test/voice.ogg'];
		const result = await runVendor(sb, 'joggai', {
			operation: 'createAndWait',
			inputItems: [{ json: { video: urls[0], audio: urls[2] } }, { json: { video: urls[1], audio: urls[2] } }],
			parameters: { videoUrl: '={{ $json.video }}' },
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result).map((job) => job.status)).toEqual(['succeeded', 'succeeded']);
		const sent = sb.log.entries({ vendor: 'joggai', endpoint: 'create' }).map((e) => e.requestBody);
		expect(sent).toEqual([
			expect.objectContaining({ video_url: urls[0], audio_url: urls[2] }),
			expect.objectContaining({ video_url: urls[1], audio_url: urls[2] }),
		]);
	});

	it('reads the envelope codes as numbers and the job times as unix seconds', async () => {
		const wrongKey = await call(sb, 'joggai', '/v2/user/whoami', { key: 'wrong' });
		expect(joggAiAdapter.detectError(vendorResponseOf(wrongKey))).toMatchObject({ kind: 'auth', code: 10105, requestId: wrongKey.json.rid });
		const noApi = await call(sb, 'joggai', '/v2/user/whoami', { key: 'no-permission-key' });
		expect(joggAiAdapter.detectError(vendorResponseOf(noApi))).toMatchObject({ kind: 'permission', code: 18025 });

		const created = await call(sb, 'joggai', '/v2/create_lip_sync_video', {
			body: { video_url: 'https://cdn.example.test/face.mp4', audio_url: 'https://cdn.example.test/voice.mp3' },
		});
		const { jobId } = joggAiAdapter.parseCreated(created.json);
		sb.jobs.finish('joggai', jobId);
		const status = await call(sb, 'joggai', `/v2/lip_sync_video/${jobId}`);
		const job = joggAiAdapter.parseStatus(jobId, status.json);
		expect(job).toMatchObject({ status: 'succeeded', providerStatus: 'success', durationSeconds: 1 });
		expect(Date.parse(job.completedAt!) / 1000).toBe(status.json.data.completed_at);
		expect(job.videoUrl).toBe(status.json.data.data.result_url);
	});
});
