import { packPackage, startN8n, waitFor, type N8nInstance } from './harness';
import { startSandbox, type Sandbox } from '../sandbox';
import {
	callbackWaitWorkflow,
	chain,
	completeParkedRun,
	lastOutput,
	LIPSYNC_TRIGGER_TYPE,
	setNode,
	startParkedRun,
	vozoCredential,
	vozoNode,
	webhookNode,
	type CredentialRef,
} from './support/callbackWait';

/**
 * The round trips that cross n8n's processes, in queue mode (main + worker + webhook on redis):
 * n8n's public URL is https://n8n.example.test/ (JoggAI registers only public https URLs) and
 * the sandbox delivers whatever is sent there to the webhook process.
 */
const PUBLIC_BASE = 'https://n8n.example.test';
const TOKEN = 'e2e-trigger-token';
const JOGGAI_EVENT = 'generated_lip_sync_video_success';

describe('callback round trips in queue mode', () => {
	let n8n: N8nInstance;
	let sb: Sandbox;
	let vozo: CredentialRef;

	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: { vozo: 10_000 }, queuedFraction: 0.5, jitterMs: 0, webhookRetries: 0 });
		sb.setFault('vozo', { kind: 'neverFinish' });
		n8n = await startN8n({ queueMode: true, webhookUrl: `${PUBLIC_BASE}/`, packageTarball: await packPackage() });
		sb.setOptions({ webhookHostRewrite: { [PUBLIC_BASE]: n8n.webhookBase } });
		vozo = await vozoCredential(n8n, sb);
	});

	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
	});

	const ranOnWorker = (executionId: string) => n8n.log('worker').includes(`Worker finished execution ${executionId} `);

	it('Vozo Wait By "Vendor Callback": parks on the worker, resumes through the webhook process', async () => {
		const workflow = await n8n.importWorkflow(callbackWaitWorkflow('queue: callback wait', vozo, 'queue-cbw', { waitLimitMinutes: 30, downloadVideo: true }));
		await n8n.publish(workflow.id);
		const run = await startParkedRun(n8n, sb, workflow.id, 'queue-cbw');
		expect(sb.jobs.get('vozo', run.jobId)!.callbackUrl).toMatch(new RegExp(`^${PUBLIC_BASE}/webhook-waiting/${run.executionId}\\?signature=`));

		await completeParkedRun(n8n, sb, workflow.id, run, { expectVideo: true });
		// The resumed part ran on the worker too (the worker logs each part it finishes).
		expect(n8n.log('worker').split(`Worker finished execution ${run.executionId} `).length - 1).toBe(2);
	});

	it('Lip Sync Trigger (Vozo): a job created with the production URL as callback starts the workflow', async () => {
		const triggerWebhookId = 'e2e-queue-vozo-trigger';
		const trigger = await n8n.importWorkflow({
			name: 'queue: Lip Sync Trigger (Vozo)',
			nodes: [
				{
					id: 'lst-vozo',
					name: 'Lip Sync Trigger',
					type: LIPSYNC_TRIGGER_TYPE,
					typeVersion: 1,
					position: [0, 0],
					webhookId: triggerWebhookId,
					parameters: { vendor: 'vozo', token: TOKEN, includeIntermediate: false },
				},
				setNode('Finished', ['status', 'videoUrl', 'callbackReference']),
			],
			connections: chain('Lip Sync Trigger', 'Finished'),
		});
		await n8n.publish(trigger.id);

		const callbackUrl = `${PUBLIC_BASE}/webhook/${triggerWebhookId}/callback?token=${TOKEN}`;
		const creator = await n8n.importWorkflow({
			name: 'queue: create a Vozo job for the trigger',
			nodes: [
				webhookNode('Start', 'e2e-queue-vozo-create', 'queue-vozo-create', 'lastNode'),
				vozoNode('Vozo', vozo, { operation: 'create', options: { callbackUrl } }),
			],
			connections: chain('Start', 'Vozo'),
		});
		await n8n.publish(creator.id);

		const res = await n8n.webhook('webhook/queue-vozo-create', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(res.status).toBe(200);
		const created = (await res.json()) as { jobId: string; callbackReference: string };
		expect(created.callbackReference).toEqual(expect.any(String));
		const job = sb.jobs.get('vozo', created.jobId)!;
		expect(job.callbackUrl).toBe(`${callbackUrl}&lipsync_ref=${encodeURIComponent(created.callbackReference)}`);

		// The intermediate callback is accepted without starting anything; the final one starts it.
		const callbacks = () => sb.deliveries.list({ kind: 'vozo-callback' }).filter((d) => d.url === job.callbackUrl);
		await waitFor('the "processing" callback', async () => callbacks().find((d) => d.statusCode === 200), { timeoutMs: 30_000 });
		sb.jobs.finish('vozo', created.jobId, 'succeeded');
		const execution = await n8n.waitForExecution({ workflowId: trigger.id, timeoutMs: 60_000 });
		expect(execution.status).toBe('success');
		expect(lastOutput(execution, 'Finished')).toEqual([
			{
				status: 'succeeded',
				videoUrl: expect.stringContaining(`${sb.baseUrl('vozo')}/results/${created.jobId}.mp4`),
				callbackReference: created.callbackReference,
			},
		]);
		await waitFor('the "done" callback record', async () => (callbacks().length === 2 ? true : undefined), { timeoutMs: 10_000 });
		expect(callbacks().map((d) => [(d.body as { status: string }).status, d.statusCode])).toEqual([
			['processing', 200],
			['done', 200],
		]);
		expect(await n8n.executions({ workflowId: trigger.id })).toHaveLength(1);
		expect(ranOnWorker(execution.id)).toBe(true);
	});

	it('Lip Sync Trigger (JoggAI): activation registers the public URL; a signed delivery runs on the worker', async () => {
		const [joggAi] = await n8n.importCredentials([
			{ name: 'JoggAI (e2e sandbox)', type: 'joggAiApi', data: { apiKey: sb.keys.joggai, baseUrl: sb.baseUrl('joggai') } },
		]);
		const webhookId = 'e2e-queue-joggai-trigger';
		const trigger = await n8n.importWorkflow({
			name: 'queue: Lip Sync Trigger (JoggAI)',
			nodes: [
				{
					id: 'lst-joggai',
					name: 'Lip Sync Trigger',
					type: LIPSYNC_TRIGGER_TYPE,
					typeVersion: 1,
					position: [0, 0],
					webhookId,
					credentials: { joggAiApi: { id: joggAi.id, name: joggAi.name } },
					parameters: { vendor: 'joggai', events: [JOGGAI_EVENT] },
				},
				setNode('Event', ['event', 'event_id']),
			],
			connections: chain('Lip Sync Trigger', 'Event'),
		});
		await n8n.publish(trigger.id);

		// In queue mode the main process applies a publication asynchronously (n8n's publication outbox).
		const endpoints = await waitFor('the JoggAI endpoint registration', async () => {
			const list = sb.joggai.endpoints();
			return list.length > 0 ? list : undefined;
		}, { timeoutMs: 60_000 });
		expect(endpoints).toEqual([
			expect.objectContaining({ url: `${PUBLIC_BASE}/webhook/${webhookId}/callback`, status: 'enabled', events: [JOGGAI_EVENT] }),
		]);

		// Signed with a secret the trigger does not hold: refused, nothing starts.
		const [forged] = await sb.joggai.deliverEvent({ url: endpoints[0].url, secret: 'not-the-secret', event: JOGGAI_EVENT, data: { task_id: 'forged' } });
		expect(forged.statusCode).toBe(401);

		const data = { task_id: 'e2e-joggai-task', status: 'success', result_url: 'https://cdn.example.test/result.mp4' };
		const [delivery] = await sb.joggai.deliverEvent({ event: JOGGAI_EVENT, data });
		expect(delivery).toMatchObject({ statusCode: 200, targetUrl: `${n8n.webhookBase}/webhook/${webhookId}/callback` });
		const execution = await n8n.waitForExecution({ workflowId: trigger.id, timeoutMs: 60_000 });
		expect(execution.status).toBe('success');
		expect(lastOutput(execution, 'Lip Sync Trigger')).toEqual([
			expect.objectContaining({
				event: JOGGAI_EVENT,
				event_id: delivery.eventId,
				job: expect.objectContaining({ provider: 'joggai', jobId: 'e2e-joggai-task', status: 'succeeded', videoUrl: data.result_url }),
			}),
		]);
		expect(await n8n.executions({ workflowId: trigger.id })).toHaveLength(1);
		expect(ranOnWorker(execution.id)).toBe(true);
	});
});
