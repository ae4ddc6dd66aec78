import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { PersonateApi } from '../../credentials/PersonateApi.credentials';
import { Personate } from '../../nodes/Personate/Personate.node';
import { personateAdapter } from '../../nodes/Personate/personate.adapter';
import { personateListSearch } from '../../nodes/Personate/personate.lists';
import { useQuickRetries, vendorContext } from '../harness';
import { jsonOf, runVendor } from '../nodes/nodeKit';
import { startSandbox, type Sandbox } from '../sandbox';
import { call } from '../sandbox/testHelpers';
import { errorOf, fakeContext, fakeNode } from './fakeContext';
import { vendorResponseOf } from './sandboxAnswer';

const avatarAudio = {
	model: 'v2',
	actorSource: 'avatar',
	avatarType: 'custom',
	avatarId: { __rl: true, mode: 'list', value: 'av-7', cachedResultName: 'Anna' },
	scriptSource: 'audio',
	audioUrl: 'https://x.io/a.mp3',
};
const read = (params: Record<string, unknown>) => personateAdapter.readCreateInput(fakeContext([{ params }]), 0);


useQuickRetries();

describe('Personate create input', () => {
	it('builds the avatar + audio body', async () => {
		expect(personateAdapter.createRequest(await read(avatarAudio), 'r')).toEqual({
			method: 'POST',
			path: '/api/express_lipsync_video',
			body: {
				model: 'v2',
				actor: { use: 'avatar', avatar_id: 'av-7', avatar_type: 'custom' },
				script: { use: 'audio', audio_url: 'https://x.io/a.mp3' },
			},
		});
	});

	it('builds the video + text body (voice by id)', async () => {
		const input = await read({
			model: 'v1',
			actorSource: 'video',
			videoUrl: 'https://x.io/me.mp4',
			scriptSource: 'text',
			scriptText: '  Hello there  ',
			voiceType: 'public',
			voiceId: { __rl: true, mode: 'id', value: 'voice-3' },
		});
		expect(personateAdapter.createRequest(input, 'r').body).toEqual({
			model: 'v1',
			actor: { use: 'video', video_url: 'https://x.io/me.mp4' },
			script: { use: 'text', text: 'Hello there', voice_id: 'voice-3', voice_type: 'public' },
		});
	});

	it.each([
		[{ model: 'v3' }, '"Model" must be one of "v1", "v2"'],
		[{ avatarId: { __rl: true, mode: 'list', value: '' } }, 'Item 0: "Avatar" is required'],
		[{ avatarType: 'private' }, '"Avatar Type" must be one of "public", "custom"'],
		[{ actorSource: 'video', videoUrl: 'me.mp4' }, '"Video URL" must be a public http(s) URL'],
		[{ audioUrl: '' }, '"Audio URL" is required'],
		[{ scriptSource: 'text', scriptText: '   ', voiceId: 'v' }, '"Text" is required'],
		[{ scriptSource: 'text', scriptText: 'Hi', voiceId: { mode: 'list', value: '' } }, '"Voice" is required'],
		[{ scriptSource: 'video' }, '"Speech Source" must be one of "audio", "text"'],
	])('rejects %p', async (override, message) => {
		const error = await errorOf(() => read({ ...avatarAudio, ...override }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(message);
	});
});

describe('Personate status', () => {
	it('reads the created job (status rendering)', () => {
		const created = personateAdapter.parseCreated({ job_id: 'p-1', input: {}, status: 'rendering', output: '' });
		expect(created).toMatchObject({ jobId: 'p-1', job: { status: 'processing', providerStatus: 'rendering' } });
		expect(() => personateAdapter.parseCreated({ status: 'rendering' })).toThrow(/job_id/);
		expect(personateAdapter.statusRequest('p-1')).toMatchObject({ method: 'GET', path: '/api/express_lipsync_video/p-1', pathSetting: 'statusPath' });
	});

	it.each([
		['rendering', 'processing'],
		['processing', 'processing'],
		['queued', 'queued'],
		['pending', 'queued'],
		['brand-new-word', 'processing'],
		['failed', 'failed'],
		['error', 'failed'],
	])('maps %p to %p', (word, status) => {
		expect(personateAdapter.parseStatus('p', { job_id: 'p', status: word, output: '' }).status).toBe(status);
	});

	it.each(['completed', 'done', 'success', 'rendered'])('maps %p with output to succeeded', (word) => {
		const job = personateAdapter.parseStatus('p', { job_id: 'p', status: word, output: 'https://r.io/p.mp4' });
		expect(job).toMatchObject({ provider: 'personate', status: 'succeeded', videoUrl: 'https://r.io/p.mp4' });
	});

	it('reads a completed job with an empty output as still processing, result pending', () => {
		const job = personateAdapter.parseStatus('p', { job_id: 'p', status: 'completed', output: '' });
		expect(job).toMatchObject({ status: 'processing', providerStatus: 'completed', resultPending: true });
	});

	it('reads a failure reason when there is one', () => {
		expect(personateAdapter.parseStatus('p', { status: 'failed', error: 'bad audio' }).error).toEqual({ message: 'bad audio' });
	});
});

describe('Personate errors', () => {
	it.each([
		[400, 'invalidInput'],
		[401, 'auth'],
		[402, 'credit'],
		[403, 'permission'],
		[404, 'notFound'],
		[422, 'invalidInput'],
		[429, 'rateLimit'],
		[500, 'server'],
	])('classifies HTTP %p as %p', (statusCode, kind) => {
		expect(personateAdapter.detectError({ statusCode, headers: { 'X-Request-ID': 'q' }, body: { detail: 'words' } })).toMatchObject({ kind, message: 'words', requestId: 'q' });
	});

	it('passes 2xx', () => {
		expect(personateAdapter.detectError({ statusCode: 201, headers: {}, body: { job_id: 'p' } })).toBeUndefined();
	});

	it.each([
		[{ error: 'quota exceeded' }, 'quota exceeded'],
		[{ error: { message: 'job lookup failed' } }, 'job lookup failed'],
		[{ success: false, message: 'try later' }, 'try later'],
	])('reads an HTTP 200 body %p without a job as an error', (body, message) => {
		expect(personateAdapter.detectError({ statusCode: 200, headers: {}, body })).toMatchObject({ kind: 'server', message });
	});

	it('keeps a job whose own status is "error" a failed job, not an API error', () => {
		const body = { job_id: 'p-1', status: 'error', output: '', error: 'no face' };
		expect(personateAdapter.detectError({ statusCode: 200, headers: {}, body })).toBeUndefined();
		expect(personateAdapter.parseStatus('p-1', body)).toMatchObject({ status: 'failed', error: { message: 'no face' } });
	});
});

describe('Personate over HTTP against the sandbox', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: 300, jitterMs: 0 });
	});
	afterAll(async () => await sb.close());
	afterEach(() => sb.reset());

	it('recognises an HTTP 200 {status: "error"} answer of the status endpoint as an error, not a job', async () => {
		sb.setFault('personate', { kind: 'errorEnvelope', endpoint: 'status' });
		const answer = await call(sb, 'personate', '/api/express_lipsync_video/p-1');
		expect([answer.status, answer.json.status]).toEqual([200, 'error']);
		expect(personateAdapter.detectError(vendorResponseOf(answer))).toMatchObject({ kind: 'server', message: answer.json.message });
	});

	it('recognises the same error body on the create and list endpoints', async () => {
		sb.setFault('personate', { kind: 'errorEnvelope' });
		const create = await call(sb, 'personate', '/api/express_lipsync_video', { body: { model: 'v2' } });
		const list = await call(sb, 'personate', '/api/avatars/public');
		for (const answer of [create, list]) {
			expect(personateAdapter.detectError(vendorResponseOf(answer))?.kind).toBe('server');
		}
	});

	/** The Personate node's list-search context as n8n builds it: real credentials, real HTTP helper. */
	const listContext = async (parameters: Record<string, unknown>, apiKey = sb.keys.personate) =>
		await vendorContext({
			nodeType: new Personate(),
			credentialType: new PersonateApi(),
			credentials: { apiKey, baseUrl: `${sb.baseUrl('personate')}/` },
			parameters: { operation: 'create', model: 'v2', actorSource: 'avatar', scriptSource: 'text', ...parameters },
		});

	it('searches the avatar list of the credential\'s base URL (no other URL field), in n8n\'s list-search context', async () => {
		const result = await personateListSearch.searchAvatars.call(await listContext({ avatarType: 'public' }), 'be');
		expect(result.results).toEqual([{ name: 'Ben', value: 'pa_ben' }]);
		const [entry] = sb.log.entries({ vendor: 'personate', endpoint: 'avatars' });
		expect(entry).toMatchObject({ path: '/personate/api/avatars/public', statusCode: 200 });
		const voices = await personateListSearch.searchVoices.call(await listContext({ voiceType: 'custom' }));
		expect(voices.results).toEqual([{ name: 'My Sandbox Voice', value: 'cv_sandbox' }]);
	});

	it("goes through the engine's transport: a 5xx is retried, a refused key is Personate's auth error without the key", async () => {
		sb.setFault('personate', { kind: 'serverError', httpStatus: 503, times: 1 });
		const retried = await personateListSearch.searchAvatars.call(await listContext({ avatarType: 'public' }));
		expect(retried.results).toHaveLength(3);
		expect(sb.log.entries({ vendor: 'personate', endpoint: 'avatars' }).map((e) => e.statusCode)).toEqual([503, 200]);
		const badKey = 'sk-wrong-personate-0123456789';
		const refused = await errorOf(async () => await personateListSearch.searchAvatars.call(await listContext({ avatarType: 'public' }, badKey)));
		expect(refused).toBeInstanceOf(NodeApiError);
		expect(refused.message).toMatch(/^Personate: /);
		expect((refused as NodeApiError & { facts?: { kind?: string } }).facts?.kind).toBe('auth');
		expect(JSON.stringify(refused, Object.getOwnPropertyNames(refused))).not.toContain(badKey);
	});

	it('a 404 from the (undocumented) status path names the job, the assumption and the dashboard', async () => {
		const result = await runVendor(sb, 'personate', { operation: 'get', inputItems: [{ json: { jobId: 'job-7f3a' } }] });
		const [row] = jsonOf(result);
		const message = String(row.error);
		expect(message).toContain('job-7f3a');
		expect(message).toMatch(/does not document an endpoint to read a job/);
		expect(message).toMatch(/Personate dashboard at https:\/\/personate\.ai/);
		expect(message).not.toMatch(/job not found — check the job id/);
	});
});

describe('Personate avatar and voice lists (answer shapes: ASSUMPTION)', () => {
	function listContext(type: string, answer: unknown) {
		const calls: Array<{ authorization?: string; url: string }> = [];
		const ctx = {
			getNode: () => fakeNode,
			getCredentials: async () => ({ apiKey: 'secret-0123456789', baseUrl: 'http://127.0.0.1:9/' }),
			getCurrentNodeParameter: () => type,
			helpers: {
				async httpRequest(options: { url: string; headers?: Record<string, string> }) {
					calls.push({ authorization: options.headers?.Authorization, url: options.url });
					return { statusCode: 200, headers: {}, body: answer };
				},
			},
		};
		return { ctx: ctx as unknown as ILoadOptionsFunctions, calls };
	}

	it('lists custom avatars from the credential base URL with its key, filtered by the search text', async () => {
		const { ctx, calls } = listContext('custom', {
			avatars: [
				{ avatar_id: 'a1', name: 'Anna' },
				{ avatar_id: 'a2', name: 'Ben' },
				{ id: 'a3', name: 'Hannah' },
				{ name: 'no id' },
			],
		});
		const result = await personateListSearch.searchAvatars.call(ctx, 'ANN');
		expect(calls).toEqual([{ authorization: 'Bearer secret-0123456789', url: 'http://127.0.0.1:9/api/avatars/custom' }]);
		expect(result.results).toEqual([
			{ name: 'Anna', value: 'a1' },
			{ name: 'Hannah', value: 'a3' },
		]);
	});

	it('lists public voices from a bare array', async () => {
		const { ctx, calls } = listContext('public', [{ voice_id: 'v1', name: 'Calm' }, { voice_id: 'v2' }]);
		const result = await personateListSearch.searchVoices.call(ctx);
		expect(calls[0].url).toBe('http://127.0.0.1:9/api/voices/public');
		expect(result.results).toEqual([
			{ name: 'Calm', value: 'v1' },
			{ name: 'v2', value: 'v2' },
		]);
	});
});
