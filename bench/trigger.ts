/**
 * Measurement 5: callbacks per second through the Lip Sync Trigger (JoggAI mode, signatures
 * checked) next to n8n's own Webhook node (POST, respond immediately), same n8n, same run,
 * alternating order, fixed concurrency and duration.
 */
import { createHmac } from 'node:crypto';

import type { N8nInstance } from '../test/e2e/harness';
import type { Sandbox } from '../test/sandbox';
import type { BenchConfig } from './config';
import { runLoad, type LoadResult } from './load';
import { sleep, until } from './stats';

const TRIGGER_WEBHOOK_ID = 'bench-lipsync-trigger-0001';
const EVENT = 'generated_lip_sync_video_success';

export interface TriggerResults {
	trigger: LoadResult[];
	webhook: LoadResult[];
}

function eventBody(round: number, sequence: number): string {
	const taskId = `bench-${round}-${sequence}`;
	return JSON.stringify({
		event_id: `evt-${taskId}`,
		event: EVENT,
		timestamp: Date.now(),
		data: {
			task_id: taskId,
			status: 'success',
			result_url: `https://cdn.example.test/${taskId}.mp4`,
			video_url: `https://cdn.example.test/${taskId}.mp4`,
			cover_url: `https://cdn.example.test/${taskId}.jpg`,
			duration_seconds: 3,
		},
	});
}

async function setUpWorkflows(n8n: N8nInstance, sb: Sandbox) {
	const [credential] = await n8n.importCredentials([
		{ name: 'bench JoggAI', type: 'joggAiApi', data: { apiKey: sb.keys.joggai, baseUrl: sb.baseUrl('joggai') } },
	]);
	const trigger = await n8n.importWorkflow({
		name: 'bench: Lip Sync Trigger (JoggAI)',
		nodes: [
			{
				id: 'bench-trigger',
				name: 'Lip Sync Trigger',
				type: 'n8n-nodes-lipsync.lipSyncTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: TRIGGER_WEBHOOK_ID,
				parameters: { vendor: 'joggai', events: [EVENT] },
				credentials: { joggAiApi: { id: credential.id, name: credential.name } },
			},
		],
		connections: {},
	});
	const webhook = await n8n.importWorkflow({
		name: 'bench: n8n Webhook node',
		nodes: [
			{
				id: 'bench-webhook',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'bench-core-webhook-0001',
				parameters: { httpMethod: 'POST', path: 'bench-webhook', responseMode: 'onReceived', options: {} },
			},
		],
		connections: {},
	});
	await n8n.publish(trigger.id);
	await n8n.publish(webhook.id);
	// Activation registered the endpoint with the sandbox's JoggAI; its secret signs our requests.
	const endpoint = await until(
		'the trigger to register its JoggAI endpoint',
		() => sb.joggai.endpoints().find((e: { url: string }) => e.url.includes(TRIGGER_WEBHOOK_ID)),
		30_000,
	);
	return { secret: (endpoint as { secret: string }).secret, workflowIds: [trigger.id, webhook.id] };
}

export async function runTrigger(
	n8n: N8nInstance,
	sb: Sandbox,
	config: BenchConfig,
	log: (line: string) => void,
): Promise<TriggerResults> {
	const { secret, workflowIds } = await setUpWorkflows(n8n, sb);
	const triggerPath = `/webhook/${TRIGGER_WEBHOOK_ID}/callback`;
	const signed = (body: string) => ({
		'content-type': 'application/json',
		'x-webhook-event': EVENT,
		'x-webhook-signature': createHmac('sha256', secret).update(body).digest('hex'),
		'user-agent': 'JoggAI-Webhook/2.0',
	});
	// Sanity: a signed event is accepted, a forged one refused (so signatures are really checked).
	const probe = eventBody(0, 0);
	const good = await n8n.webhook(triggerPath, { method: 'POST', headers: signed(probe), body: probe });
	const forged = await n8n.webhook(triggerPath, { method: 'POST', headers: { ...signed(probe), 'x-webhook-signature': '00'.repeat(32) }, body: eventBody(0, 1) });
	if (good.status !== 200 || forged.status !== 401) {
		throw new Error(`trigger sanity: signed → ${good.status} ${await good.text()}, forged → ${forged.status}`);
	}
	const core = await n8n.webhook('/webhook/bench-webhook', { method: 'POST', headers: { 'content-type': 'application/json' }, body: probe });
	if (core.status !== 200) throw new Error(`webhook sanity: HTTP ${core.status}`);

	const results: TriggerResults = { trigger: [], webhook: [] };
	const targets = {
		trigger: (round: number) => (sequence: number) => {
			const body = eventBody(round, sequence + 1);
			return { path: triggerPath, headers: signed(body), body };
		},
		webhook: (round: number) => (sequence: number) => ({
			path: '/webhook/bench-webhook',
			headers: { 'content-type': 'application/json' },
			body: eventBody(round, sequence + 1),
		}),
	};
	for (let round = 1; round <= config.triggerRounds; round++) {
		const order: Array<keyof typeof targets> = round % 2 ? ['webhook', 'trigger'] : ['trigger', 'webhook'];
		for (const name of order) {
			// Let n8n finish the executions the previous segment started before measuring the next.
			await sleep(2_000);
			const result = await runLoad(n8n.webhookBase, config.triggerConcurrency, config.triggerSeconds, targets[name](round * 2 + (name === 'trigger' ? 1 : 0)));
			results[name].push(result);
			log(`trigger round ${round} ${name}: ${result.perSecond.toFixed(1)}/s (${result.ok} ok, ${result.failed} failed${result.firstFailure ? `: ${result.firstFailure}` : ''})`);
		}
	}
	for (const id of workflowIds) await n8n.api('POST', `/workflows/${id}/deactivate`, {});
	return results;
}
