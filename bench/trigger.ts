/**
 * Measurement 5: callbacks per second through the Lip Sync Trigger (JoggAI mode, signatures
 * checked) next to n8n's own Webhook node (POST, respond immediately), same n8n, same run,
 * alternating order, fixed concurrency and duration; plus the n8n process's CPU per delivery.
 *
 * Control: the Webhook node with one expression in its parameters. n8n 2.41 (expression engine
 * `vm`) gives every webhook call a fresh V8 isolate for its webhook phase, except a Webhook node
 * whose parameters are all static (live-webhooks.js webhookPhaseNeedsIsolate); every execution
 * takes another one. So any other trigger node, ours included, pays two isolates per delivery
 * where the plain Webhook node pays one. The control pays two as well: ours against it shows
 * what our node itself costs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';

import type { N8nInstance } from '../test/e2e/harness';
import type { Sandbox } from '../test/sandbox';
import type { BenchConfig } from './config';
import { runLoad, type LoadResult } from './load';
import { sleep, until } from './stats';

const TRIGGER_WEBHOOK_ID = 'bench-lipsync-trigger-0001';
const EVENT = 'generated_lip_sync_video_success';

export type TriggerTarget = 'trigger' | 'webhook' | 'webhookExpression';
export type TriggerRun = LoadResult & { cpuMsPerDelivery: number };
export type TriggerResults = Record<TriggerTarget, TriggerRun[]>;

/** CPU seconds used so far by a process and its direct children (n8n's task runner). */
function processTreeCpuSeconds(rootPid: number): number {
	const ticksPerSecond = 100;
	let total = 0;
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		let stat: string;
		try {
			stat = readFileSync(`/proc/${name}/stat`, 'utf8');
		} catch {
			continue; // the process ended while we listed them
		}
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(name) === rootPid || Number(fields[1]) === rootPid) total += (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
	}
	return total;
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
	const webhookNode = (id: string, path: string, options: Record<string, unknown>) => ({
		id,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: `bench-${path}-0001`,
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options },
	});
	const webhook = await n8n.importWorkflow({ name: 'bench: n8n Webhook node', nodes: [webhookNode('bench-webhook', 'bench-webhook', {})], connections: {} });
	const webhookExpression = await n8n.importWorkflow({
		name: 'bench: n8n Webhook node with an expression',
		// Evaluates to the default; only makes the parameters non-static.
		nodes: [webhookNode('bench-webhook-expression', 'bench-webhook-expression', { ignoreBots: '={{ false }}' })],
		connections: {},
	});
	for (const wf of [trigger, webhook, webhookExpression]) await n8n.publish(wf.id);
	// Activation registered the endpoint with the sandbox's JoggAI; its secret signs our requests.
	const endpoint = await until(
		'the trigger to register its JoggAI endpoint',
		() => sb.joggai.endpoints().find((e: { url: string }) => e.url.includes(TRIGGER_WEBHOOK_ID)),
		30_000,
	);
	return { secret: (endpoint as { secret: string }).secret, workflowIds: [trigger.id, webhook.id, webhookExpression.id] };
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
	for (const path of ['/webhook/bench-webhook', '/webhook/bench-webhook-expression']) {
		const core = await n8n.webhook(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: probe });
		if (core.status !== 200) throw new Error(`webhook sanity ${path}: HTTP ${core.status}`);
		await core.arrayBuffer();
	}

	const mainPid = n8n.processes.find((p) => p.name === 'main')?.child.pid;
	if (mainPid === undefined) throw new Error('trigger: no pid for the n8n main process');
	const results: TriggerResults = { trigger: [], webhook: [], webhookExpression: [] };
	const plain = (path: string) => (round: number) => (sequence: number) => ({
		path,
		headers: { 'content-type': 'application/json' },
		body: eventBody(round, sequence + 1),
	});
	const targets: Record<TriggerTarget, (round: number) => (sequence: number) => { path: string; headers: Record<string, string>; body: string }> = {
		trigger: (round: number) => (sequence: number) => {
			const body = eventBody(round, sequence + 1);
			return { path: triggerPath, headers: signed(body), body };
		},
		webhook: plain('/webhook/bench-webhook'),
		webhookExpression: plain('/webhook/bench-webhook-expression'),
	};
	const names = Object.keys(targets) as TriggerTarget[];
	for (let round = 1; round <= config.triggerRounds; round++) {
		const order = round % 2 ? names : [...names].reverse();
		for (const [index, name] of order.entries()) {
			// Let n8n finish the executions the previous segment started before measuring the next.
			await sleep(2_000);
			const cpuBefore = processTreeCpuSeconds(mainPid);
			const result = await runLoad(n8n.webhookBase, config.triggerConcurrency, config.triggerSeconds, targets[name](round * 10 + index));
			// Executions started near the end still run after the last answer: count their CPU too.
			await sleep(1_500);
			const cpuMsPerDelivery = ((processTreeCpuSeconds(mainPid) - cpuBefore) * 1000) / Math.max(1, result.ok);
			results[name].push({ ...result, cpuMsPerDelivery });
			log(
				`trigger round ${round} ${name}: ${result.perSecond.toFixed(1)}/s, n8n CPU ${cpuMsPerDelivery.toFixed(0)} ms/delivery ` +
					`(${result.ok} ok, ${result.failed} failed${result.firstFailure ? `: ${result.firstFailure}` : ''})`,
			);
		}
	}
	for (const id of workflowIds) await n8n.api('POST', `/workflows/${id}/deactivate`, {});
	return results;
}
