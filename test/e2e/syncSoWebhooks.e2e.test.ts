import { packPackage, sleep, startN8n, waitFor, type N8nInstance } from './harness';
import { startSandbox, type DeliveryRecord, type Sandbox } from '../sandbox';
import { deliveryLogOf } from '../sandbox/deliveries';
import { syncsoWebhookSecret } from '../sandbox/vendors/syncsoWebhooks';
import { connect, createFields, latestExecutionId, nodeItems, setNode, TRIGGER_TYPE, vendorNode, webhookTrigger, workflow, type CredentialRefs } from './support/lipsync';

/**
 * sync.so webhooks in a real n8n 2.41: the sandbox's sync.so signs and sends each generation's
 * webhook as sync.so documents it, to the Lip Sync Trigger (sync.so mode) and to the resume URL of
 * a sync.so Create and Wait parked with Wait By "Vendor Callback". n8n believes it is reachable at
 * https://n8n.example.test/ (sync.so wants https); the sandbox delivers that host to n8n's port.
 */
const PUBLIC_BASE = 'https://n8n.example.test';
const TRIGGER_WEBHOOK_ID = 'e2e-trigger-syncso-0001';
const FACE = 'https://cdn.example.test/face.mp4';
const VOICE = 'https://cdn.example.test/voice.wav';

describe('sync.so webhooks in a real n8n', () => {
	let sb: Sandbox;
	let n8n: N8nInstance;
	let credentials: CredentialRefs;

	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: { syncso: 3_000 }, jitterMs: 0 });
		n8n = await startN8n({ packageTarball: await packPackage(), webhookUrl: `${PUBLIC_BASE}/` });
		sb.setOptions({ webhookHostRewrite: { [PUBLIC_BASE]: n8n.webhookBase } });
		const [credential] = await n8n.importCredentials([
			{
				name: 'sync.so (e2e sandbox)',
				type: 'syncSoApi',
				data: { apiKey: sb.keys.syncso, baseUrl: sb.baseUrl('syncso'), webhookSigningSecret: syncsoWebhookSecret(sb.keys.syncso) },
			},
		]);
		credentials = { syncSoApi: { id: credential.id, name: credential.name } };
	});

	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
	});

	const webhooksOf = (jobId: string) => sb.deliveries.list({ kind: 'syncso-callback' }).filter((d) => (d.body as { id?: string }).id === jobId);
	const answered = async (jobId: string): Promise<DeliveryRecord> =>
		await waitFor(`the sync.so webhook of ${jobId}`, async () => webhooksOf(jobId).find((d) => d.statusCode !== undefined || d.error !== undefined), {
			timeoutMs: 60_000,
			intervalMs: 200,
		});

	it('a sync.so webhook starts a workflow once', async () => {
		const trigger = await n8n.importWorkflow(
			workflow(
				'e2e trigger: sync.so',
				[{ id: 'trigger-syncso', name: 'Lip Sync Trigger', type: TRIGGER_TYPE, typeVersion: 1.1, position: [0, 0], webhookId: TRIGGER_WEBHOOK_ID, parameters: { vendor: 'syncso' }, credentials }],
				{},
			),
		);
		await n8n.publish(trigger.id);

		const webhookUrl = `${PUBLIC_BASE}/webhook/${TRIGGER_WEBHOOK_ID}/callback`;
		const creator = await n8n.importWorkflow(
			workflow(
				'e2e trigger: create a sync.so generation with a webhook',
				[
					webhookTrigger('Start', 'e2e-syncso-create', 'e2e-syncso-create'),
					vendorNode('syncso', 'sync.so', { operation: 'create', ...createFields('syncso', FACE, VOICE), options: { webhookUrl } }, credentials),
				],
				connect(['Start', 'sync.so']),
			),
		);
		await n8n.publish(creator.id);
		const started = await n8n.webhook('webhook/e2e-syncso-create', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(started.status).toBe(200);
		await started.arrayBuffer();
		const creation = await n8n.waitForExecution({ workflowId: creator.id, timeoutMs: 30_000 });
		expect(creation.status).toBe('success');
		const [{ json: created }] = nodeItems(creation.data, 'sync.so');
		expect(sb.jobs.get('syncso', created.jobId)?.callbackUrl).toBe(webhookUrl);

		const delivery = await answered(created.jobId);
		expect(delivery.statusCode).toBe(200);
		expect(delivery.headers['sync-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
		const execution = await n8n.waitForExecution({ workflowId: trigger.id, timeoutMs: 30_000 });
		expect(execution.status).toBe('success');
		expect(nodeItems(execution.data, 'Lip Sync Trigger').map((i) => i.json)).toEqual([
			expect.objectContaining({ id: created.jobId, status: 'COMPLETED', job: expect.objectContaining({ provider: 'syncso', jobId: created.jobId, status: 'succeeded' }) }),
		]);

		// The same webhook again (sync.so documents no retries; a copy must not start a second run).
		const copy = await deliveryLogOf(sb.deliveries).redeliverCallback(delivery);
		expect(copy.statusCode).toBe(200);
		await sleep(2_000);
		const runs = await n8n.executions({ workflowId: trigger.id, limit: 10 });
		expect(runs.map((run: { id: string }) => run.id)).toEqual([execution.id]);
	});

	it('Create and Wait by Vendor Callback finishes for sync.so', async () => {
		const parker = await n8n.importWorkflow(
			workflow(
				'e2e callback wait: sync.so',
				[
					webhookTrigger('Start', 'e2e-syncso-callback-wait', 'e2e-syncso-callback-wait'),
					vendorNode('syncso', 'sync.so', { operation: 'createAndWait', ...createFields('syncso', FACE, VOICE), waitBy: 'callback', options: { waitLimitMinutes: 30 } }, credentials),
					setNode('Result', { jobId: '={{ $json.jobId }}', status: '={{ $json.status }}', videoUrl: '={{ $json.videoUrl }}' }),
				],
				connect(['Start', 'sync.so'], ['sync.so', 'Result']),
			),
		);
		await n8n.publish(parker.id);
		const before = await latestExecutionId(n8n, parker.id);
		const started = await n8n.webhook('webhook/e2e-syncso-callback-wait', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(started.status).toBe(200);
		await started.arrayBuffer();
		const parked = await n8n.waitForExecution({ workflowId: parker.id, status: ['waiting'], newerThan: before, timeoutMs: 60_000 });
		const job = sb.jobs.list('syncso').find((j) => j.callbackUrl?.includes(`/webhook-waiting/${parked.id}?signature=`));
		expect(job).toBeDefined();

		// The generation ends after its 3 s; its signed webhook lands on the resume URL and resumes the run.
		expect((await answered(job!.id)).statusCode).toBe(200);
		const finished = await n8n.waitForExecution({ workflowId: parker.id, status: ['success', 'error', 'crashed'], newerThan: String(Number(parked.id) - 1), timeoutMs: 60_000 });
		expect(finished.id).toBe(parked.id);
		expect(finished.status).toBe('success');
		expect(nodeItems(finished.data, 'Result').map((i) => i.json)).toEqual([
			expect.objectContaining({ jobId: job!.id, status: 'succeeded', videoUrl: expect.stringContaining(`${sb.baseUrl('syncso')}/results/${job!.id}.mp4`) }),
		]);
	});
});
