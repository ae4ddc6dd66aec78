import { sleep, waitFor, type N8nInstance } from './harness';
import { startTriggerRig, stopTriggerRig, triggerNode } from './support/triggerRig';
import { signJoggAiBody, type Sandbox } from '../sandbox';
import { connect, workflow, type CredentialRefs, type WorkflowNode } from './support/lipsync';

/**
 * When the Lip Sync Trigger (JoggAI mode) answers an accepted delivery, in a real n8n whose
 * execution start is slow: n8n answers a trigger's delivery (responseMode onReceived) only once
 * `WorkflowRunner.run` saved and started the execution, and with N8N_CONCURRENCY_PRODUCTION_LIMIT=1
 * that start waits until the running execution (a 6 s Wait node) has finished — as under a burst
 * it waits behind the executions already on n8n's main thread. JoggAI wants a 2xx within 5 s.
 */

const WAIT_SECONDS = 6;
const AT_ONCE_ID = 'e2e-answer-at-once-0001';
const AFTER_START_ID = 'e2e-answer-after-start-0001';
const EVENT = 'generated_lip_sync_video_success';

const waitNode = (): WorkflowNode => ({
	id: 'wait-slot',
	name: 'Hold the slot',
	type: 'n8n-nodes-base.wait',
	typeVersion: 1.1,
	position: [0, 0],
	webhookId: `wait-${Math.random().toString(36).slice(2)}`,
	parameters: { resume: 'timeInterval', amount: WAIT_SECONDS, unit: 'seconds' },
});

describe('Lip Sync Trigger (JoggAI) answering while n8n is slow to start the execution', () => {
	let sb: Sandbox;
	let n8n: N8nInstance;
	let credentials: CredentialRefs;

	beforeAll(async () => {
		({ sb, n8n, credentials } = await startTriggerRig({ N8N_CONCURRENCY_PRODUCTION_LIMIT: '1' }));
	});

	afterAll(async () => await stopTriggerRig({ sb, n8n }));

	/** An active trigger → Wait workflow; `options` are the trigger's Options. */
	async function activeTrigger(webhookId: string, options: Record<string, unknown>): Promise<{ id: string; secret: string }> {
		const parameters = { vendor: 'joggai', events: [EVENT], ...(Object.keys(options).length ? { options } : {}) };
		const trigger = triggerNode(webhookId, parameters, { joggAiApi: credentials.joggAiApi }, 1.1);
		const created = await n8n.importWorkflow(workflow(`e2e answer timing ${webhookId}`, [trigger, waitNode()], connect(['Lip Sync Trigger', 'Hold the slot'])));
		await n8n.publish(created.id);
		const endpoint = await waitFor('the JoggAI endpoint registration', async () => sb.joggai.endpoints().find((e) => e.url.includes(webhookId)), { timeoutMs: 15_000 });
		// n8n saves the secret shortly after the endpoint appears; until then every delivery gets 401.
		// A delivery signed an hour ago is refused as old only once the signature verifies, and starts nothing.
		await waitFor(
			'the trigger to verify signatures',
			async () => {
				const probe = await send(webhookId, endpoint.secret, 'evt_probe', Math.floor(Date.now() / 1000) - 3_600);
				return probe.status === 401 && /old/.test(probe.text) ? true : undefined;
			},
			{ timeoutMs: 30_000, intervalMs: 300 },
		);
		return { id: created.id, secret: endpoint.secret };
	}

	async function send(webhookId: string, secret: string, eventId: string, timestamp: number): Promise<{ status: number; text: string }> {
		const body = JSON.stringify({
			event_id: eventId,
			event: EVENT,
			timestamp,
			data: { task_id: `task-${eventId}`, status: 'success', result_url: 'https://cdn.example.test/v.mp4' },
		});
		const res = await n8n.webhook(`webhook/${webhookId}/callback`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-webhook-signature': signJoggAiBody(secret, body) },
			body,
		});
		return { status: res.status, text: await res.text() };
	}

	/** Sends one signed event; resolves with its status and how long the answer took. */
	async function deliver(webhookId: string, secret: string, eventId: string): Promise<{ status: number; ms: number }> {
		const sent = performance.now();
		const { status } = await send(webhookId, secret, eventId, Math.floor(Date.now() / 1000));
		return { status, ms: performance.now() - sent };
	}

	/** The workflow's finished executions, oldest first, once `count` of them have finished successfully. */
	async function finishedExecutions(workflowId: string, count: number): Promise<any[]> {
		const finished = await waitFor(
			`${count} finished executions`,
			async () => {
				const list = (await n8n.api<{ data: any[] }>('GET', `/executions?workflowId=${workflowId}&includeData=true&limit=50`)).data;
				return list.length >= count && list.every((e) => e.status === 'success') ? list : undefined;
			},
			{ timeoutMs: 60_000, intervalMs: 500 },
		);
		return finished.sort((a, b) => Number(a.id) - Number(b.id));
	}

	const eventIdOf = (execution: any) => execution.data.resultData.runData['Lip Sync Trigger'][0].data.main[0][0].json.event_id as string;

	/** The event ids started, and proof that n8n held the second start until the first execution ended. */
	async function startedOneAfterTheOther(workflowId: string): Promise<string[]> {
		const [a, b] = await finishedExecutions(workflowId, 2);
		expect(Date.parse(b.startedAt)).toBeGreaterThanOrEqual(Date.parse(a.stoppedAt) - 500);
		return [eventIdOf(a), eventIdOf(b)].sort();
	}

	it('answers 200 at once (the default) while the execution waits for a free slot, and starts each event once; a re-send starts nothing', async () => {
		const { id, secret } = await activeTrigger(AT_ONCE_ID, {});
		const first = await deliver(AT_ONCE_ID, secret, 'evt_now_a');
		const second = await deliver(AT_ONCE_ID, secret, 'evt_now_b');
		expect(first.status).toBe(200);
		expect(second.status).toBe(200);
		// The start of evt_now_b waits ~6 s for evt_now_a's slot; its answer does not.
		expect(second.ms).toBeLessThan(2_000);

		expect(await startedOneAfterTheOther(id)).toEqual(['evt_now_a', 'evt_now_b']);
		expect((await deliver(AT_ONCE_ID, secret, 'evt_now_b')).status).toBe(200);
		await sleep(1_500);
		expect((await finishedExecutions(id, 2)).map(eventIdOf).sort()).toEqual(['evt_now_a', 'evt_now_b']);
		await n8n.api('POST', `/workflows/${id}/deactivate`, {});
	});

	it('with Answer "Once the Workflow Started", the answer waits until n8n started the execution (here past JoggAI\'s 5 s)', async () => {
		const { id, secret } = await activeTrigger(AFTER_START_ID, { answer: 'afterStart' });
		const first = await deliver(AFTER_START_ID, secret, 'evt_late_a');
		expect(first.status).toBe(200);
		const second = await deliver(AFTER_START_ID, secret, 'evt_late_b');
		expect(second.status).toBe(200);
		expect(second.ms).toBeGreaterThan(4_000);
		expect(await startedOneAfterTheOther(id)).toEqual(['evt_late_a', 'evt_late_b']);
		await n8n.api('POST', `/workflows/${id}/deactivate`, {});
	});
});
