/**
 * The Vozo pairing end to end through real HTTP: the Vozo node (through n8n-core) creates jobs
 * with the trigger's URL as their Callback URL, the sandbox POSTs Vozo's status callbacks there
 * (and misbehaves on request: a final callback twice, a stale status after it), and the trigger
 * confirms final callbacks with one status request to the sandbox's Vozo API.
 */
import type { IDataObject } from 'n8n-workflow';

import { VozoApi } from '../../credentials/VozoApi.credentials';
import { Vozo } from '../../nodes/Vozo/Vozo.node';
import { runNode } from '../harness';
import { startSandbox } from '../sandbox';
import { deliveryLogOf, type DeliveryRecord } from '../sandbox/deliveries';
import { TriggerUnderTest } from './triggerHarness';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sb: Sandbox;

const TOKEN = 'round-trip-token-0123';
const PUBLIC_N8N = 'https://n8n.example.test';

beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: { vozo: 300 }, jitterMs: 0 });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.reset());

async function until<T>(check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
	const start = Date.now();
	for (;;) {
		const value = check();
		if (value !== undefined) return value;
		if (Date.now() - start > timeoutMs) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

const vozoCredential = () => ({ apiKey: sb.keys.vozo, baseUrl: sb.baseUrl('vozo') });
const statusRequests = () => sb.log.count({ vendor: 'vozo', endpoint: 'status' });

/** Creates one Vozo job through the Vozo node with `callbackUrl`; returns its output item. */
async function createJob(callbackUrl: string): Promise<IDataObject> {
	const created = await runNode({
		nodeType: new Vozo(),
		parameters: {
			operation: 'create',
			generationMode: 'referenceFile',
			referenceFileType: 'video',
			referenceFileUrl: 'https://media.example.test/face.mp4',
			model: 'standard_v1',
			audioUrl: 'https://media.example.test/voice.mp3',
			options: { callbackUrl },
		},
		credentials: { vozoApi: vozoCredential() },
		credentialTypes: [new VozoApi()],
	});
	expect(created.error).toBeUndefined();
	const job = created.output![0][0].json as IDataObject;
	expect(job.callbackReference).toEqual(expect.any(String));
	return job;
}

/** The trigger behind real HTTP, with the Vozo credential selected unless `vozo: false`. */
async function listeningTrigger(options: { vozo?: boolean } = {}) {
	const trigger = new TriggerUnderTest({
		parameters: { vendor: 'vozo', token: TOKEN },
		...(options.vozo === false ? {} : { vozo: vozoCredential() }),
	});
	const server = await trigger.listen();
	// The Vozo node refuses callback URLs Vozo cannot reach: n8n looks public, the sandbox delivers locally.
	sb.setOptions({ webhookHostRewrite: { [PUBLIC_N8N]: server.url } });
	return { trigger, server, callbackUrl: `${PUBLIC_N8N}/webhook/b3f4c1d2/callback?token=${TOKEN}` };
}

const callbacksOf = (job: IDataObject) =>
	sb.deliveries.list({ kind: 'vozo-callback' }).filter((d) => d.url.includes(String(job.callbackReference)));
const finalCallback = (job: IDataObject) => callbacksOf(job).find((d) => (d.body as IDataObject).status === 'done' && d.statusCode !== undefined);

it('a confirmed callback starts the workflow once with verified: true, from one status request; a repeated "done" and a stale "processing" start nothing', async () => {
	const { server, callbackUrl } = await listeningTrigger();
	try {
		const job = await createJob(callbackUrl);
		const done: DeliveryRecord = await until(() => finalCallback(job));
		expect(callbacksOf(job).map((d) => [(d.body as IDataObject).status, d.statusCode])).toEqual([
			['processing', 200],
			['done', 200],
		]);
		expect(statusRequests()).toBe(1);
		expect(server.started).toEqual([
			expect.objectContaining({
				provider: 'vozo',
				jobId: job.jobId,
				status: 'succeeded',
				providerStatus: 'done',
				callbackReference: job.callbackReference,
				verified: true,
				verification: 'confirmed by a Vozo status request',
				videoUrl: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/vozo/results/${job.jobId}\\.mp4\\?token=`)),
			}),
		]);
		// The video URL is the status answer's (a fresh link), not the one the callback carried.
		expect(server.started[0].videoUrl).not.toBe((done.body as IDataObject).video_url);

		const log = deliveryLogOf(sb.deliveries);
		const again = await log.redeliverCallback(done);
		const stale = await log.redeliverCallback(done, { status: 'processing' });
		expect([again.statusCode, stale.statusCode]).toEqual([200, 200]);
		expect(server.started).toHaveLength(1);
		expect(statusRequests()).toBe(1);
	} finally {
		await server.close();
	}
});

it('a forged "done" for a job Vozo reports as still processing is answered 409 and starts nothing; the genuine one later starts once', async () => {
	const { trigger, server, callbackUrl } = await listeningTrigger();
	try {
		sb.setFault('vozo', { kind: 'neverFinish', times: 1 });
		const job = await createJob(callbackUrl);
		await until(() => callbacksOf(job).find((d) => (d.body as IDataObject).status === 'processing' && d.statusCode));
		sb.setFault('vozo', null);

		const forged = await trigger.receive({
			body: JSON.stringify({ status: 'done', video_url: 'https://evil.example/video.mp4' }),
			query: { token: TOKEN, lipsync_ref: String(job.callbackReference) },
		});
		expect(forged.statusCode).toBe(409);
		expect(JSON.stringify(forged.body)).toMatch(/does not confirm/);
		expect(forged.items).toBeUndefined();
		expect(statusRequests()).toBe(1);

		sb.jobs.finish('vozo', String(job.jobId), 'succeeded');
		await until(() => finalCallback(job));
		expect(server.started).toEqual([expect.objectContaining({ jobId: job.jobId, status: 'succeeded', verified: true })]);
		expect(server.started[0].videoUrl).not.toMatch(/evil/);
		expect(statusRequests()).toBe(2);
	} finally {
		await server.close();
	}
});

it('a forged "done" for a job that failed starts the workflow with Vozo\'s answer: failed, verified', async () => {
	// The job's own callbacks go nowhere (a host that does not resolve), so only the forged one reaches the trigger.
	const job = await createJob('https://closed.example.test/closed');
	sb.jobs.finish('vozo', String(job.jobId), 'failed');
	const trigger = new TriggerUnderTest({ parameters: { vendor: 'vozo', token: TOKEN }, vozo: vozoCredential() });
	const result = await trigger.receive({
		body: JSON.stringify({ status: 'done', video_url: 'https://evil.example/video.mp4' }),
		query: { token: TOKEN, lipsync_ref: String(job.callbackReference) },
	});
	expect(result.statusCode).toBe(200);
	expect(result.items).toEqual([
		expect.objectContaining({ jobId: job.jobId, status: 'failed', providerStatus: 'failed', error: { code: 'failed', message: 'job failed' }, verified: true }),
	]);
	expect(result.items![0].videoUrl).toBeUndefined();
});

it('without a Vozo credential the trigger makes no status request: the job id is filled in, verified: false', async () => {
	const { server, callbackUrl } = await listeningTrigger({ vozo: false });
	try {
		const job = await createJob(callbackUrl);
		await until(() => finalCallback(job));
		expect(statusRequests()).toBe(0);
		expect(server.started).toEqual([
			expect.objectContaining({ jobId: job.jobId, status: 'succeeded', verified: false, verification: 'no Vozo credential is selected on the trigger' }),
		]);
	} finally {
		await server.close();
	}
});

it('a reference the trigger has no job for (another server created it) is not confirmed: verified: false, no status request', async () => {
	const trigger = new TriggerUnderTest({ parameters: { vendor: 'vozo', token: TOKEN }, vozo: vozoCredential() });
	const result = await trigger.receive({
		body: JSON.stringify({ status: 'done', video_url: 'https://cdn.example.test/v.mp4' }),
		query: { token: TOKEN, lipsync_ref: 'ref-made-elsewhere' },
	});
	expect(result.items).toEqual([expect.objectContaining({ jobId: '', verified: false, verification: expect.stringMatching(/unknown to this n8n server/) })]);
	expect(statusRequests()).toBe(0);
});

it('when the status request fails, the finished job still starts the workflow, unconfirmed and saying why', async () => {
	const { server, callbackUrl } = await listeningTrigger();
	try {
		sb.setFault('vozo', { kind: 'serverError', endpoint: 'status', httpStatus: 503 });
		const job = await createJob(callbackUrl);
		await until(() => finalCallback(job));
		expect(statusRequests()).toBe(1); // one request, not retried: Vozo's callback waits for the answer
		expect(server.started).toEqual([
			expect.objectContaining({ jobId: job.jobId, status: 'succeeded', verified: false, verification: expect.stringMatching(/^the status request failed: Vozo/) }),
		]);
	} finally {
		await server.close();
	}
});
