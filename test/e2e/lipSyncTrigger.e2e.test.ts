import { sleep, waitFor, type N8nInstance } from './harness';
import { deliveriesFor as deliveriesIn, PUBLIC_BASE, startTriggerRig, stopTriggerRig, triggerNode } from './support/triggerRig';
import { signJoggAiBody, type DeliveryRecord, type Sandbox } from '../sandbox';
import { deliveryLogOf } from '../sandbox/deliveries';
import { signCallbackReference } from '../../nodes/Vozo/vozo.callback';
import {
	connect,
	createFields,
	E2E_VOZO_CALLBACK_SECRET,
	latestExecutionId,
	manualTrigger,
	nodeItems,
	vendorNode,
	webhookTrigger,
	workflow,
	type CredentialRefs,
} from './support/lipsync';

/**
 * The Lip Sync Trigger in a real n8n, fed by real callbacks from the sandbox. n8n believes it is
 * reachable at https://n8n.example.test/ (JoggAI refuses anything else); the sandbox delivers
 * whatever is addressed to that host to n8n's local port instead.
 */

const VOZO_WEBHOOK_ID = 'e2e-trigger-vozo-0001';
const JOGGAI_WEBHOOK_ID = 'e2e-trigger-jogg-0001';
const VOZO_TOKEN = 'e2e-vozo-token-0123456789';
const LIP_SYNC_EVENTS = ['generated_lip_sync_video_failed', 'generated_lip_sync_video_success'];

describe('Lip Sync Trigger in a real n8n', () => {
	let sb: Sandbox;
	let n8n: N8nInstance;
	let credentials: CredentialRefs;

	beforeAll(async () => {
		({ sb, n8n, credentials } = await startTriggerRig());
	});

	afterAll(async () => await stopTriggerRig({ sb, n8n }));

	const deliveriesFor = (kind: DeliveryRecord['kind'], marker: string, done: (records: DeliveryRecord[]) => boolean) => deliveriesIn(sb, kind, marker, done);

	describe('Vozo mode', () => {
		const callbackUrl = (token: string) => `${PUBLIC_BASE}/webhook/${VOZO_WEBHOOK_ID}/callback?token=${token}`;
		const createNode = (name: string, token: string) =>
			vendorNode(
				'vozo',
				name,
				{
					operation: 'create',
					...createFields('vozo', 'https://example.com/face.mp4', 'https://example.com/voice.mp3'),
					options: { callbackUrl: callbackUrl(token) },
				},
				credentials,
			);
		const statusRequests = () => sb.log.count({ vendor: 'vozo', endpoint: 'status' });
		const finished = (records: DeliveryRecord[]) => records.some((r) => (r.body as { status?: string }).status === 'done');
		let triggerId: string;

		it('starts one confirmed execution (verified: true) per finished job created in this n8n; a repeated "done" and a stale "processing" start nothing; a wrong token gets 401', async () => {
			const trigger = await n8n.importWorkflow(
				workflow(
					'e2e trigger: vozo',
					[triggerNode(VOZO_WEBHOOK_ID, { vendor: 'vozo', token: VOZO_TOKEN, includeIntermediate: false }, { vozoApi: credentials.vozoApi })],
					{},
				),
			);
			triggerId = trigger.id;
			await n8n.publish(trigger.id);

			// Started through a published webhook, so the Vozo node runs in this n8n server (regular
			// mode), the one that receives the callbacks: the trigger then knows each reference's job.
			const creator = await n8n.importWorkflow(
				workflow(
					'e2e trigger: create vozo jobs with callbacks',
					[webhookTrigger('Start', 'e2e-trigger-vozo-create', 'e2e-vozo-create'), createNode('Right Token', VOZO_TOKEN), createNode('Wrong Token', 'not-the-token-at-all')],
					connect(['Start', 'Right Token'], ['Start', 'Wrong Token']),
				),
			);
			await n8n.publish(creator.id);
			const started = await n8n.webhook('webhook/e2e-vozo-create', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
			expect(started.status).toBe(200);
			await started.arrayBuffer();
			const creation = await n8n.waitForExecution({ workflowId: creator.id, timeoutMs: 30_000 });
			expect(creation.status).toBe('success');
			const [right] = nodeItems(creation.data, 'Right Token').map((i) => i.json);
			const [wrong] = nodeItems(creation.data, 'Wrong Token').map((i) => i.json);
			expect(right.callbackReference).toEqual(expect.any(String));
			// The reference (signed: the credential has a Callback Secret) travels in the callback URL
			// the vendor was given; a version 1 trigger in token mode checks the token only.
			const sent = sb.jobs.get('vozo', right.jobId)?.input as Record<string, unknown>;
			expect(String(sent.callback_url)).toBe(
				`${callbackUrl(VOZO_TOKEN)}&lipsync_ref=${right.callbackReference}&lipsync_sig=${signCallbackReference(E2E_VOZO_CALLBACK_SECRET, right.callbackReference)}`,
			);

			const rightCalls = await deliveriesFor('vozo-callback', right.callbackReference, finished);
			const wrongCalls = await deliveriesFor('vozo-callback', wrong.callbackReference, finished);
			expect(rightCalls.every((r) => r.targetUrl.startsWith(n8n.webhookBase))).toBe(true);
			expect(rightCalls.map((r) => r.statusCode)).toEqual(rightCalls.map(() => 200));
			expect(wrongCalls.map((r) => r.statusCode)).toEqual(wrongCalls.map(() => 401));

			const execution = await n8n.waitForExecution({ workflowId: trigger.id, timeoutMs: 30_000 });
			expect(execution.status).toBe('success');
			const [item] = nodeItems(execution.data, 'Lip Sync Trigger');
			expect(item.json).toMatchObject({
				provider: 'vozo',
				jobId: right.jobId,
				status: 'succeeded',
				providerStatus: 'done',
				callbackReference: right.callbackReference,
				verified: true,
				verification: 'confirmed by a Vozo status request',
				videoUrl: expect.stringContaining(`/vozo/results/${right.jobId}.mp4`),
			});
			// One status request, for the one final callback with the right token.
			expect(statusRequests()).toBe(1);

			// Vozo sends "done" again, then a stale "processing": answered, nothing starts.
			const done = rightCalls.find((r) => (r.body as { status?: string }).status === 'done')!;
			const log = deliveryLogOf(sb.deliveries);
			const again = await log.redeliverCallback(done);
			const stale = await log.redeliverCallback(done, { status: 'processing' });
			expect([again.statusCode, stale.statusCode]).toEqual([200, 200]);
			await sleep(1_000);
			expect(await n8n.executions({ workflowId: trigger.id })).toHaveLength(1);
			expect(statusRequests()).toBe(1);
		});

		it('answers a callback with a missing or wrong token with 401 and starts nothing', async () => {
			const before = await latestExecutionId(n8n, triggerId);
			const body = JSON.stringify({ status: 'done', video_url: 'https://evil.example/video.mp4' });
			for (const query of ['?lipsync_ref=forged-1', `?token=${VOZO_TOKEN.slice(0, -1)}x&lipsync_ref=forged-2`, '?token=&lipsync_ref=forged-3']) {
				const res = await n8n.webhook(`webhook/${VOZO_WEBHOOK_ID}/callback${query}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body,
				});
				expect(res.status).toBe(401);
				await res.arrayBuffer();
			}
			await sleep(1_000);
			expect(await latestExecutionId(n8n, triggerId)).toBe(before);
		});

		it("answers a GET and a HEAD to the trigger's URL (Vozo's callback check, an assumption) with 200 and starts nothing", async () => {
			const before = await latestExecutionId(n8n, triggerId);
			for (const query of [`?token=${VOZO_TOKEN}`, '']) {
				const get = await n8n.webhook(`webhook/${VOZO_WEBHOOK_ID}/callback${query}`, { method: 'GET' });
				expect(get.status).toBe(200);
				expect(await get.json()).toEqual({ ok: true });
				const head = await n8n.webhook(`webhook/${VOZO_WEBHOOK_ID}/callback${query}`, { method: 'HEAD' });
				expect(head.status).toBe(200);
				await head.arrayBuffer();
			}
			await sleep(1_000);
			expect(await latestExecutionId(n8n, triggerId)).toBe(before);
		});

		it('a job created by another n8n process (`n8n execute`) still starts the workflow, unconfirmed (verified: false)', async () => {
			const before = await latestExecutionId(n8n, triggerId);
			const creator = await n8n.importWorkflow(
				workflow('e2e trigger: create a vozo job from the CLI', [manualTrigger(), createNode('Create', VOZO_TOKEN)], connect(['Start', 'Create'])),
			);
			const run = await n8n.execute(creator.id);
			expect(run.error).toBeUndefined();
			const [job] = run.output('Create');
			await deliveriesFor('vozo-callback', job.callbackReference, finished);
			const execution = await n8n.waitForExecution({ workflowId: triggerId, newerThan: before, timeoutMs: 30_000 });
			expect(nodeItems(execution.data, 'Lip Sync Trigger')[0].json).toMatchObject({
				callbackReference: job.callbackReference,
				status: 'succeeded',
				verified: false,
				verification: expect.stringContaining('unknown to this n8n server'),
			});
			await n8n.api('POST', `/workflows/${triggerId}/deactivate`, {});
		});
	});

	describe('JoggAI mode', () => {
		const triggerUrl = `${PUBLIC_BASE}/webhook/${JOGGAI_WEBHOOK_ID}/callback`;
		let triggerId: string;

		it('registers its https URL as a JoggAI endpoint on activation', async () => {
			const trigger = await n8n.importWorkflow(
				workflow('e2e trigger: joggai', [triggerNode(JOGGAI_WEBHOOK_ID, { vendor: 'joggai', events: LIP_SYNC_EVENTS }, { joggAiApi: credentials.joggAiApi })], {}),
			);
			triggerId = trigger.id;
			await n8n.publish(trigger.id);

			// n8n finishes activating triggers shortly after the API call returns.
			const endpoints = await waitFor('the JoggAI endpoint registration', async () => (sb.joggai.endpoints().length > 0 ? sb.joggai.endpoints() : undefined), {
				timeoutMs: 15_000,
			});
			expect(endpoints).toHaveLength(1);
			expect(endpoints[0]).toMatchObject({ url: triggerUrl, status: 'enabled' });
			expect([...endpoints[0].events].sort()).toEqual(LIP_SYNC_EVENTS);
		});

		it('starts an execution for a signed delivery of a real job, once even when delivered twice', async () => {
			sb.setOptions({ webhookAlwaysDuplicate: true });
			try {
				const creator = await n8n.importWorkflow(
					workflow(
						'e2e trigger: create a joggai job',
						[
							manualTrigger(),
							vendorNode(
								'joggai',
								'Create',
								{ operation: 'create', ...createFields('joggai', 'https://example.com/face.mp4', 'https://example.com/voice.mp3'), options: {} },
								credentials,
							),
						],
						connect(['Start', 'Create']),
					),
				);
				const run = await n8n.execute(creator.id);
				expect(run.error).toBeUndefined();
				const jobId = run.output('Create')[0].jobId as string;

				const deliveries = await deliveriesFor('joggai-webhook', jobId, (records) => records.length >= 2);
				expect(deliveries.map((d) => [d.duplicate === true, d.statusCode])).toEqual([
					[false, 200],
					[true, 200],
				]);
				expect(deliveries[0].eventId).toBe(deliveries[1].eventId);

				const execution = await n8n.waitForExecution({ workflowId: triggerId, timeoutMs: 30_000 });
				expect(execution.status).toBe('success');
				const [item] = nodeItems(execution.data, 'Lip Sync Trigger');
				expect(item.json).toMatchObject({
					event: 'generated_lip_sync_video_success',
					event_id: deliveries[0].eventId,
					job: { provider: 'joggai', jobId, status: 'succeeded', videoUrl: expect.stringContaining(`/joggai/results/${jobId}.mp4`) },
				});
				await sleep(1_000);
				expect(await n8n.executions({ workflowId: triggerId })).toHaveLength(1);
			} finally {
				sb.setOptions({ webhookAlwaysDuplicate: false });
			}
		});

		it('answers a forged or unsigned delivery with 401 and starts nothing', async () => {
			const before = await latestExecutionId(n8n, triggerId);
			const body = JSON.stringify({
				event_id: 'evt_forged_1',
				event: 'generated_lip_sync_video_success',
				timestamp: Math.floor(Date.now() / 1000),
				data: { task_id: 'forged-task', status: 'success', result_url: 'https://evil.example/video.mp4' },
			});
			const send = (headers: Record<string, string>) =>
				n8n.webhook(`webhook/${JOGGAI_WEBHOOK_ID}/callback`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

			const forged = await send({ 'x-webhook-signature': signJoggAiBody('not-the-endpoint-secret', body) });
			expect(forged.status).toBe(401);
			await forged.arrayBuffer();
			const unsigned = await send({});
			expect(unsigned.status).toBe(401);
			await unsigned.arrayBuffer();

			// The same body signed with the endpoint's real secret is accepted: only the signature differed.
			const secret = sb.joggai.endpoints()[0].secret;
			const genuine = await send({ 'x-webhook-signature': signJoggAiBody(secret, body) });
			expect(genuine.status).toBe(200);
			await genuine.arrayBuffer();
			const execution = await n8n.waitForExecution({ workflowId: triggerId, newerThan: before, timeoutMs: 30_000 });
			expect(nodeItems(execution.data, 'Lip Sync Trigger')[0].json.event_id).toBe('evt_forged_1');
			await sleep(1_000);
			expect((await n8n.executions({ workflowId: triggerId })).filter((e) => Number(e.id) > Number(before))).toHaveLength(1);
		});

		it('refuses a genuine delivery whose signed timestamp is too old (a replay) or too far ahead with 401, starting nothing', async () => {
			const before = await latestExecutionId(n8n, triggerId);
			const secret = sb.joggai.endpoints()[0].secret;
			const nowSeconds = Math.floor(Date.now() / 1000);
			for (const [eventId, timestamp] of [
				['evt_replayed_1', nowSeconds - 3600],
				['evt_future_1', nowSeconds + 3600],
			] as const) {
				const body = JSON.stringify({
					event_id: eventId,
					event: 'generated_lip_sync_video_success',
					timestamp,
					data: { task_id: `task-${eventId}`, status: 'success', result_url: 'https://cdn.example.test/old.mp4' },
				});
				const res = await n8n.webhook(`webhook/${JOGGAI_WEBHOOK_ID}/callback`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'x-webhook-signature': signJoggAiBody(secret, body) },
					body,
				});
				expect(res.status).toBe(401);
				expect(await res.text()).toMatch(/old|future/);
			}
			await sleep(1_000);
			expect(await latestExecutionId(n8n, triggerId)).toBe(before);
		});

		it('deletes its endpoint when the workflow is deactivated', async () => {
			await n8n.api('POST', `/workflows/${triggerId}/deactivate`, {});
			await waitFor('the JoggAI endpoint deletion', async () => (sb.joggai.endpoints().length === 0 ? true : undefined), { timeoutMs: 15_000 });
			expect(sb.log.count({ vendor: 'joggai', endpoint: 'endpoint-delete' })).toBe(1);
		});
	});
});
