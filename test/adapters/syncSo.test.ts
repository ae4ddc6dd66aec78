import { createHash } from 'node:crypto';
import { NodeOperationError } from 'n8n-workflow';

import type { CreateToolkit, VendorRequest } from '../../nodes/shared/adapter';
import { syncSoAdapter } from '../../nodes/SyncSo/syncSo.adapter';
import { makeBinaryInputItem } from '../harness';
import { jsonOf, runVendor } from '../nodes/nodeKit';
import { FIXTURE, speechWav, startSandbox, type Sandbox } from '../sandbox';
import { call } from '../sandbox/testHelpers';
import { errorOf, fakeContext, type FakeItem } from './fakeContext';
import { vendorResponseOf } from './sandboxAnswer';

const urlParams = { model: 'lipsync-2', videoSource: 'url', videoUrl: 'https://x.io/v.mp4', audioSource: 'url', audioUrl: 'https://x.io/a.wav', syncMode: '' };
const read = (params: Record<string, unknown> = {}, item: Partial<FakeItem> = {}, metadata = {}) =>
	syncSoAdapter.readCreateInput(fakeContext([{ params: { ...urlParams, ...params }, ...item }], metadata), 0);

/** Records what the adapter asks the engine to send and upload, answering from a script. */
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

describe('sync.so create input', () => {
	it('posts the model and a video and an audio input item to /v2/generate, no options when none is set', async () => {
		expect(syncSoAdapter.createRequest(await read(), 'r')).toEqual({
			method: 'POST',
			path: '/v2/generate',
			body: { model: 'lipsync-2', input: [{ type: 'video', url: 'https://x.io/v.mp4' }, { type: 'audio', url: 'https://x.io/a.wav' }] },
		});
	});

	it('sends text to speech as a text input item with the ElevenLabs provider, and the options in their snake_case names', async () => {
		const input = await read({
			model: 'react-1',
			audioSource: 'text',
			voiceId: 'v-1',
			script: 'Hello there',
			syncMode: 'cut_off',
			generationOptions: { temperature: 0.3, occlusionDetection: true, modelMode: 'head', emotion: 'happy', outputFileName: 'take_1' },
		});
		expect(syncSoAdapter.createRequest(input, 'r').body).toEqual({
			model: 'react-1',
			input: [{ type: 'video', url: 'https://x.io/v.mp4' }, { type: 'text', provider: { name: 'elevenlabs', voiceId: 'v-1', script: 'Hello there' } }],
			options: { sync_mode: 'cut_off', temperature: 0.3, occlusion_detection_enabled: true, model_mode: 'head', prompt: 'happy' },
			outputFileName: 'take_1',
		});
	});

	it.each([
		[{ videoUrl: '' }, 'Item 0: "Video URL" is required'],
		[{ audioUrl: 'file:///a.wav' }, '"Audio URL" must be a public http(s) URL'],
		[{ model: 'lipsync 2' }, '"Model" must be a sync.so model id'],
		[{ syncMode: 'stretch' }, '"Sync Mode" must be one of'],
		[{ audioSource: 'text', voiceId: 'v', script: ' ' }, '"Script" is required'],
		[{ generationOptions: { outputFileName: 'take.mp4' } }, '"Output File Name" may hold only letters, digits, _ and -'],
		[{ generationOptions: { temperature: 1.5 } }, '"Temperature" must be between 0 and 1'],
		[{ generationOptions: { emotion: 'sad' } }, '"Emotion" applies to the React 1 model only'],
	])('refuses %p before anything is sent', async (override, message) => {
		const error = await errorOf(() => read(override));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(message);
	});
});

describe('sync.so binary input (asset upload flow)', () => {
	const binaryParams = { videoSource: 'binary', videoBinaryProperty: 'data', audioSource: 'binary', audioBinaryProperty: 'audio' };
	const video = { mimeType: 'video/mp4', fileName: 'face.mp4', bytes: 2_000_000 };
	const audio = { mimeType: 'audio/x-wav', fileName: 'voice.wav', id: 'filesystem-v2:audio-1' };

	it('asks an upload URL, PUTs the bytes there with the declared type, registers the asset and sends its id', async () => {
		const input = await read(binaryParams, { binary: { data: video, audio } }, { 'filesystem-v2:audio-1': { fileSize: 48_000 } });
		const upload = (n: number) => ({ uploadUrl: `https://s3.example.test/put-${n}?sig=1`, url: `https://cdn.example.test/f-${n}`, expiresIn: 3600 });
		const { toolkit, sent, uploads } = recordingToolkit([upload(1), { id: 'asset-v', type: 'VIDEO' }, upload(2), { id: 'asset-a', type: 'AUDIO' }]);
		const prepared = await syncSoAdapter.prepareCreateInput!(input, toolkit);
		expect(sent.map((r) => [r.method, r.path, r.body])).toEqual([
			['POST', '/v2/assets/upload', { fileName: 'face.mp4', contentType: 'video/mp4', size: 2_000_000 }],
			['POST', '/v2/assets', { url: 'https://cdn.example.test/f-1', type: 'VIDEO', name: 'face.mp4' }],
			['POST', '/v2/assets/upload', { fileName: 'voice.wav', contentType: 'audio/wav', size: 48_000 }],
			['POST', '/v2/assets', { url: 'https://cdn.example.test/f-2', type: 'AUDIO', name: 'voice.wav' }],
		]);
		expect(uploads).toEqual([
			{ url: 'https://s3.example.test/put-1?sig=1', property: 'data', headers: { 'Content-Type': 'video/mp4' } },
			{ url: 'https://s3.example.test/put-2?sig=1', property: 'audio', headers: { 'Content-Type': 'audio/wav' } },
		]);
		expect(syncSoAdapter.createRequest(prepared, 'r').body?.input).toEqual([{ type: 'video', assetId: 'asset-v' }, { type: 'audio', assetId: 'asset-a' }]);
	});

	it.each([
		[{ data: { mimeType: 'image/png', fileName: 'face.png', bytes: 10 } }, 'sync.so accepts MP4, MOV, WebM or AVI video'],
		[{ data: { ...video, bytes: 6 * 1024 ** 3 } }, 'sync.so uploads at most 5 GiB'],
	])('refuses a binary sync.so does not take, before anything is sent (%#)', async (binary, message) => {
		const error = await errorOf(() => read({ ...binaryParams, audioSource: 'url' }, { binary }));
		expect(error.message).toContain(message);
	});

	it('an upload answer without uploadUrl stops the item before any PUT or create', async () => {
		const input = await read({ ...binaryParams, audioSource: 'url' }, { binary: { data: video } });
		const { toolkit, uploads } = recordingToolkit([{ url: 'https://cdn.example.test/f' }]);
		await expect(syncSoAdapter.prepareCreateInput!(input, toolkit)).rejects.toThrow(/uploadUrl/);
		expect(uploads).toEqual([]);
	});
});

describe('sync.so status', () => {
	const generation = (fields: object) => ({ id: 'g-1', createdAt: '2026-05-01T10:00:00.000Z', model: 'lipsync-2', input: [], ...fields });

	it.each([
		['PENDING', 'queued'],
		['PROCESSING', 'processing'],
		['FAILED', 'failed'],
		['REJECTED', 'failed'],
		['CANCELED', 'failed'],
		['TIMED_OUT', 'failed'],
		['WARMING_UP', 'processing'],
	])('maps %p to %p', (word, status) => {
		expect(syncSoAdapter.parseStatus('g-1', generation({ status: word })).status).toBe(status);
	});

	it('reads COMPLETED with its outputUrl, duration and creation time; outputMediaUrl when outputUrl is empty', () => {
		const job = syncSoAdapter.parseStatus('g-1', generation({ status: 'COMPLETED', outputUrl: 'https://r.io/o.mp4', outputDuration: 5.04 }));
		expect(job).toMatchObject({ status: 'succeeded', providerStatus: 'COMPLETED', videoUrl: 'https://r.io/o.mp4', durationSeconds: 5.04, createdAt: '2026-05-01T10:00:00.000Z' });
		expect(syncSoAdapter.parseStatus('g-1', generation({ status: 'COMPLETED', outputUrl: null, outputMediaUrl: 'https://r.io/m.mp4' })).videoUrl).toBe('https://r.io/m.mp4');
		expect(syncSoAdapter.parseStatus('g-1', generation({ status: 'COMPLETED', outputUrl: null }))).toMatchObject({ status: 'processing', resultPending: true });
	});

	it('reads the failure code as errorCode or error_code, with the words of error', () => {
		const snake = generation({ status: 'FAILED', error: 'video not reachable', error_code: 'generation_input_video_inaccessible' });
		expect(syncSoAdapter.parseStatus('g-1', snake).error).toEqual({ code: 'generation_input_video_inaccessible', message: 'video not reachable' });
		const camel = generation({ status: 'REJECTED', error: 'rejected', errorCode: 'generation_unsupported_model' });
		expect(syncSoAdapter.parseStatus('g-1', camel).error).toEqual({ code: 'generation_unsupported_model', message: 'rejected' });
	});

	it('reads the created generation and its first status; asks GET /v2/generate/{id}', () => {
		expect(syncSoAdapter.parseCreated(generation({ status: 'PENDING' }))).toMatchObject({ jobId: 'g-1', job: { status: 'queued' } });
		expect(() => syncSoAdapter.parseCreated({ status: 'PENDING' })).toThrow(/no id/);
		expect(syncSoAdapter.statusRequest('g/1')).toEqual({ method: 'GET', path: '/v2/generate/g%2F1' });
	});
});

describe('sync.so status of many (GET /v2/generations?ids=)', () => {
	const generation = (id: string, fields: object) => ({ id, createdAt: '2026-05-01T10:00:00.000Z', model: 'lipsync-2', input: [], ...fields });

	it('asks for the ids comma-separated, and reads a bare list in any order, each generation as a single read reads it', () => {
		expect(syncSoAdapter.statusOfMany!.request(['g-1', 'g-2'])).toEqual({ method: 'GET', path: '/v2/generations', qs: { ids: 'g-1,g-2' } });
		const jobs = syncSoAdapter.statusOfMany!.parse([
			generation('g-2', { status: 'COMPLETED', outputUrl: 'https://r.io/o.mp4' }),
			generation('g-1', { status: 'PROCESSING' }),
		]);
		expect(jobs.map((job) => [job.jobId, job.status, job.videoUrl])).toEqual([
			['g-2', 'succeeded', 'https://r.io/o.mp4'],
			['g-1', 'processing', undefined],
		]);
	});

	it('leaves out a record without an id (its job gets a read of its own), and throws on an answer that is not a list', () => {
		expect(syncSoAdapter.statusOfMany!.parse([{ status: 'COMPLETED' }, 'nonsense', generation('g-3', { status: 'PENDING' })]).map((job) => job.jobId)).toEqual(['g-3']);
		expect(() => syncSoAdapter.statusOfMany!.parse({ data: [] })).toThrow(/list of generations/);
	});

	it('over HTTP: the sandbox answers the read the adapter builds with the named generations, the unknown id left out', async () => {
		const sb = await startSandbox({ jobDurationMs: 60_000, jitterMs: 0 });
		try {
			const ids: string[] = [];
			for (let i = 0; i < 3; i++) {
				const created = await call(sb, 'syncso', '/v2/generate', { body: syncSoAdapter.createRequest(await read(), 'r').body });
				ids.push(syncSoAdapter.parseCreated(created.json).jobId);
			}
			sb.jobs.finish('syncso', ids[1]);
			const request = syncSoAdapter.statusOfMany!.request([...ids, 'no-such-generation']);
			const answer = await call(sb, 'syncso', `${request.path}?${new URLSearchParams(request.qs as Record<string, string>).toString()}`);
			expect(syncSoAdapter.detectError(vendorResponseOf(answer))).toBeUndefined();
			const jobs = syncSoAdapter.statusOfMany!.parse(answer.json);
			expect(Object.fromEntries(jobs.map((job) => [job.jobId, job.status]))).toEqual({ [ids[0]]: 'queued', [ids[1]]: 'succeeded', [ids[2]]: 'queued' });
		} finally {
			await sb.close();
		}
	});
});

describe('sync.so errors', () => {
	const answer = (statusCode: number, body: object) => syncSoAdapter.detectError({ statusCode, headers: {}, body });

	it.each([
		[400, 'generation_input_validation_failed', 'invalidInput'],
		[401, 'unauthorized', 'auth'],
		[402, 'payment_required', 'credit'],
		[404, 'generation_not_found', 'notFound'],
		[422, 'file_size_exceeds_plan_limit', 'invalidInput'],
		[429, 'rate_limit_exceeded', 'rateLimit'],
		[500, 'internal_server_error', 'server'],
	])('classifies HTTP %p %p as %p, reporting the errorCode as sent', (statusCode, errorCode, kind) => {
		expect(answer(statusCode, { statusCode, message: 'm', error: 'E', errorCode })).toMatchObject({ kind, code: errorCode, message: 'm' });
	});

	it('tells a concurrency refusal from a rate limit by errorCode (429 concurrency_limit_reached: the engine keeps the item queued)', () => {
		// Verbatim shape of sync.so's documented 429 (its batch page), with the generation limit's code.
		const info = answer(429, { statusCode: 429, errorCode: 'concurrency_limit_reached', message: 'Concurrency limit reached. Please wait for an existing generation to complete' });
		expect(info).toMatchObject({ kind: 'concurrencyLimit', code: 'concurrency_limit_reached' });
		expect(info?.hint).toMatch(/1, 3, 6 or 15/);
	});

	it('joins a list of validation messages, and gives sync.so\'s suggestion (and field) as the advice', () => {
		const info = answer(400, { statusCode: 400, error: 'Bad Request', message: ['model must be a string', 'input must be an array'], suggestion: 'Send a model id', field: 'model' });
		expect(info).toMatchObject({ kind: 'invalidInput', message: 'model must be a string; input must be an array', hint: 'Send a model id (field "model")' });
	});

	it('passes a generation, and reads an error body inside an HTTP 200 as an error', () => {
		expect(answer(201, { id: 'g', status: 'PENDING' })).toBeUndefined();
		expect(answer(200, { statusCode: 500, message: 'upstream failed', errorCode: 'internal_server_error' })).toMatchObject({ kind: 'unknown' });
	});
});

describe('sync.so over HTTP against the sandbox', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: 300, jitterMs: 0 });
	});
	afterAll(async () => await sb.close());
	afterEach(() => sb.reset());

	it('reads the 201 generation, the finished one with its outputUrl, and downloads the video without the key', async () => {
		const created = await call(sb, 'syncso', '/v2/generate', { body: syncSoAdapter.createRequest(await read(), 'r').body });
		expect(created.status).toBe(201);
		expect(syncSoAdapter.detectError(vendorResponseOf(created))).toBeUndefined();
		const { jobId, job } = syncSoAdapter.parseCreated(created.json);
		expect(job).toMatchObject({ status: 'queued', providerStatus: 'PENDING' });
		sb.jobs.finish('syncso', jobId);
		const status = await call(sb, 'syncso', syncSoAdapter.statusRequest(jobId).path);
		const done = syncSoAdapter.parseStatus(jobId, status.json);
		expect(done).toMatchObject({ status: 'succeeded', providerStatus: 'COMPLETED', durationSeconds: 1 });
		const download = await fetch(done.videoUrl!);
		expect([download.status, download.headers.get('content-type')]).toEqual([200, 'video/mp4']);
	});

	it('reads the sandbox\'s refusals: a wrong key (401), an unknown id (404), validation (400, a list), the 61st create in a minute (429)', async () => {
		const wrongKey = await call(sb, 'syncso', '/v2/models', { key: 'wrong' });
		expect(syncSoAdapter.detectError(vendorResponseOf(wrongKey))).toMatchObject({ kind: 'auth', code: 'unauthorized' });
		const unknown = await call(sb, 'syncso', '/v2/generate/nope');
		expect(syncSoAdapter.detectError(vendorResponseOf(unknown))).toMatchObject({ kind: 'notFound', message: 'Job not found' });
		const invalid = await call(sb, 'syncso', '/v2/generate', { body: { model: 'lipsync-2', input: [{ type: 'video', url: 'https://x.io/v.mp4' }] } });
		expect(syncSoAdapter.detectError(vendorResponseOf(invalid))).toMatchObject({ kind: 'invalidInput', message: expect.stringContaining('at least one audio input item') });
		// A key of its own: the creates above count in this key's minute.
		sb.setOptions({ syncsoCreatesPerWindow: 1, extraKeys: { syncso: ['sandbox-syncso-second-key'] } });
		const body = { model: 'lipsync-2', input: [{ type: 'video', url: 'https://x.io/v.mp4' }, { type: 'audio', url: 'https://x.io/a.wav' }] };
		const key = 'sandbox-syncso-second-key';
		expect((await call(sb, 'syncso', '/v2/generate', { body, key })).status).toBe(201);
		const limited = await call(sb, 'syncso', '/v2/generate', { body, key });
		expect(syncSoAdapter.detectError(vendorResponseOf(limited))).toMatchObject({ kind: 'rateLimit', code: 'rate_limit_exceeded' });
	});

	it('a REJECTED generation and one whose video cannot be fetched end failed through the node, each with sync.so\'s code', async () => {
		const result = await runVendor(sb, 'syncso', {
			operation: 'createAndWait',
			inputItems: [{ json: { video: 'https://x.test/face-rejected.mp4' } }, { json: { video: `${sb.url}/files/missing.mp4` } }].map((item) => ({ json: { ...item.json, audio: 'https://x.test/a.wav' } })),
			parameters: { videoUrl: '={{ $json.video }}' },
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result).map((job) => [job.status, job.providerStatus, job.errorCode])).toEqual([
			['failed', 'REJECTED', 'generation_rejected'],
			['failed', 'FAILED', 'generation_input_video_inaccessible'],
		]);
	});

	it('Binary File face and speech go through the asset flow with the real node: the sandbox gets both files byte for byte and the create names the assets', async () => {
		const speech = speechWav(6000);
		const item = await makeBinaryInputItem({}, { buffer: FIXTURE, mimeType: 'video/mp4', fileName: 'presenter.mp4', propertyName: 'face' });
		const withSpeech = await makeBinaryInputItem({}, { buffer: speech, mimeType: 'audio/wav', fileName: 'speech.wav', propertyName: 'speech' });
		item.binary!.speech = withSpeech.binary!.speech;
		const result = await runVendor(sb, 'syncso', {
			operation: 'createAndWait',
			inputItems: [item],
			parameters: { videoSource: 'binary', videoBinaryProperty: 'face', audioSource: 'binary', audioBinaryProperty: 'speech' },
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)[0]).toMatchObject({ provider: 'syncso', status: 'succeeded' });
		expect(sb.log.entries({ vendor: 'syncso' }).map((e) => e.endpoint).slice(0, 7)).toEqual(['upload', 'upload-put', 'asset-register', 'upload', 'upload-put', 'asset-register', 'create']);
		const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
		const job = sb.jobs.list('syncso')[0];
		expect(job.inputFiles?.map((file) => [file.usable, file.sha256])).toEqual([[true, sha(FIXTURE)], [true, sha(speech)]]);
		const [face, voice] = (job.input as { input: Array<{ type: string; assetId?: string }> }).input;
		expect([face.type, typeof face.assetId, voice.type, typeof voice.assetId]).toEqual(['video', 'string', 'audio', 'string']);
	});

	it('an asset registered before its PUT arrived is refused, and a create naming an unknown asset too', async () => {
		const presigned = await call(sb, 'syncso', '/v2/assets/upload', { body: { fileName: 'face.mp4', contentType: 'video/mp4', size: 10 } });
		expect(presigned.status).toBe(201);
		const early = await call(sb, 'syncso', '/v2/assets', { body: { url: presigned.json.url, type: 'VIDEO' } });
		expect(syncSoAdapter.detectError(vendorResponseOf(early))).toMatchObject({ kind: 'invalidInput', code: 'asset_not_uploaded' });
		const body = { model: 'lipsync-2', input: [{ type: 'video', assetId: 'no-such-asset' }, { type: 'audio', url: 'https://x.io/a.wav' }] };
		const create = await call(sb, 'syncso', '/v2/generate', { body });
		expect(syncSoAdapter.detectError(vendorResponseOf(create))).toMatchObject({ kind: 'invalidInput' });
		expect(sb.jobs.list('syncso')).toHaveLength(0);
	});
});
