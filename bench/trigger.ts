/**
 * Trigger throughput in the real n8n: deliveries per second (fixed concurrency and duration, only
 * 2xx counted) and the n8n process's CPU per delivery, for our Lip Sync Trigger (JoggAI mode),
 * the flow a user would build instead (triggerWorkflows.ts), n8n's plain Webhook node (n8n's
 * ceiling: it checks nothing) and the Webhook node with one expression (the control that shows
 * what keeps every other trigger below the plain Webhook node). Same signed deliveries, same run,
 * order rotated per round.
 */
import { createHmac } from 'node:crypto';

import type { N8nInstance } from '../test/e2e/harness';
import { startSandbox, type Sandbox } from '../test/sandbox';
import { runLoad, type LoadRequest, type LoadResult } from './load';
import { verdict, type PartContext, type Row } from './parts';
import { finishedExecutions, latestId, mainPid, processTreeCpuSeconds, sandboxCredential } from './realN8n';
import { fmt, median, sleep, until } from './stats';
import {
	EVENT,
	expressionWebhookWorkflow,
	plainWebhookWorkflow,
	TRIGGER_WEBHOOK_ID,
	triggerWorkflow,
	USER_BUILT_PATH,
	userBuiltWorkflow,
} from './triggerWorkflows';

type Target = 'trigger' | 'userBuilt' | 'webhook' | 'webhookExpression';
type TargetRun = LoadResult & { cpuMsPerDelivery: number };

export const TRIGGER_PATH = `/webhook/${TRIGGER_WEBHOOK_ID}/callback`;
let sequence = 0;

/** A JoggAI event with a unique id and a current signed timestamp (the trigger refuses stale ones). */
export function eventBody(tag: string): string {
	const taskId = `bench-${tag}-${++sequence}`;
	return JSON.stringify({
		event_id: `evt-${taskId}`,
		event: EVENT,
		timestamp: Date.now(),
		data: { task_id: taskId, status: 'success', result_url: `https://cdn.example.test/${taskId}.mp4`, duration_seconds: 3 },
	});
}

export const signedHeaders = (secret: string, body: string) => ({
	'content-type': 'application/json',
	'x-webhook-event': EVENT,
	'x-webhook-signature': createHmac('sha256', secret).update(body).digest('hex'),
	'user-agent': 'JoggAI-Webhook/2.0',
});

async function post(n8n: N8nInstance, path: string, headers: Record<string, string>, body: string) {
	const res = await n8n.webhook(path, { method: 'POST', headers, body });
	return { status: res.status, text: await res.text() };
}

/**
 * n8n 2.41 answers the activation call before the trigger's activation has finished in the
 * background: first the endpoint appears at the sandbox's JoggAI, then the secret reaches the
 * workflow's saved static data. Until then a signed delivery is refused ("holds no JoggAI
 * signing secret"), so signed probes are sent until one is accepted.
 */
export async function waitUntilTriggerAccepts(n8n: N8nInstance, sb: Sandbox): Promise<string> {
	const endpoint = await until('the trigger to register its JoggAI endpoint', () => sb.joggai.endpoints().find((e) => e.url.includes(TRIGGER_WEBHOOK_ID)), 60_000);
	const secret = endpoint!.secret as string;
	let last = '';
	await until(
		'the trigger to accept a signed delivery',
		async () => {
			const body = eventBody('probe');
			const res = await post(n8n, TRIGGER_PATH, signedHeaders(secret, body), body);
			last = `${res.status} ${res.text.slice(0, 200)}`;
			return res.status === 200;
		},
		60_000,
		500,
	).catch((error: Error) => {
		throw new Error(`${error.message} (last answer: ${last})`);
	});
	return secret;
}

/** Both checking flows refuse what they should: a forged delivery and a repeated event id. */
async function checkBothCheck(n8n: N8nInstance, secret: string, triggerId: string, userBuiltId: string) {
	const genuine = eventBody('check');
	const forged = eventBody('forged');
	const forgedHeaders = { ...signedHeaders(secret, forged), 'x-webhook-signature': '00'.repeat(32) };

	const beforeTrigger = await latestId(n8n, triggerId);
	const answers = [
		await post(n8n, TRIGGER_PATH, signedHeaders(secret, genuine), genuine),
		await post(n8n, TRIGGER_PATH, forgedHeaders, forged),
		await post(n8n, TRIGGER_PATH, signedHeaders(secret, genuine), genuine),
	];
	if (answers.map((a) => a.status).join() !== '200,401,200') throw new Error(`trigger check: answers ${answers.map((a) => `${a.status} ${a.text}`).join(' | ')}`);
	await sleep(1_500);
	const triggerRuns = (await n8n.executions({ workflowId: triggerId, limit: 10 })).filter((e) => Number(e.id) > Number(beforeTrigger));
	if (triggerRuns.length !== 1) throw new Error(`trigger check: ${triggerRuns.length} executions for one genuine delivery sent twice and one forged`);

	const path = `/webhook/${USER_BUILT_PATH}`;
	const beforeUser = await latestId(n8n, userBuiltId);
	for (const [headers, body] of [[signedHeaders(secret, genuine), genuine], [forgedHeaders, forged], [signedHeaders(secret, genuine), genuine]] as const) {
		const res = await post(n8n, path, headers, body);
		if (res.status !== 200) throw new Error(`hand-built check: HTTP ${res.status} ${res.text}`);
	}
	const runs = await finishedExecutions(n8n, userBuiltId, beforeUser, 3, 60_000);
	const passed = runs
		.sort((a, b) => Number(a.id) - Number(b.id))
		.map((run) => {
			const dedupe = run.data?.resultData?.runData?.['Remove Duplicates'];
			return dedupe?.at(-1)?.data?.main?.[0]?.length ?? 0;
		});
	if (passed.join() !== '1,0,0') throw new Error(`hand-built check: items through Remove Duplicates per delivery ${passed.join()} (expected 1,0,0)`);
}

async function measure(n8n: N8nInstance, ctx: PartContext, names: Target[], label: string): Promise<Record<Target, TargetRun[]>> {
	const { config, log } = ctx;
	const sb = await startSandbox({ jobDurationMs: config.jobMs });
	try {
		const joggai = Object.values(await sandboxCredential(n8n, sb, 'joggai'))[0];
		const trigger = await n8n.importWorkflow(triggerWorkflow(joggai));
		await n8n.publish(trigger.id);
		const secret = await waitUntilTriggerAccepts(n8n, sb);
		// The user pastes the endpoint's secret into a Crypto credential.
		const [crypto] = await n8n.importCredentials([{ name: 'bench JoggAI webhook secret', type: 'crypto', data: { hmacSecret: secret } }]);
		const userBuilt = await n8n.importWorkflow(userBuiltWorkflow(crypto));
		const webhook = await n8n.importWorkflow(plainWebhookWorkflow());
		const webhookExpression = await n8n.importWorkflow(expressionWebhookWorkflow());
		const workflows = [trigger, userBuilt, webhook, webhookExpression];
		for (const wf of workflows.slice(1)) await n8n.publish(wf.id);
		for (const path of ['/webhook/bench-webhook', '/webhook/bench-webhook-expression']) {
			const res = await post(n8n, path, { 'content-type': 'application/json' }, eventBody('plain'));
			if (res.status !== 200) throw new Error(`webhook check ${path}: HTTP ${res.status}`);
		}
		await checkBothCheck(n8n, secret, trigger.id, userBuilt.id);

		const signed = (path: string) => (): LoadRequest => {
			const body = eventBody('load');
			return { path, headers: signedHeaders(secret, body), body };
		};
		const targets: Record<Target, () => LoadRequest> = {
			trigger: signed(TRIGGER_PATH),
			userBuilt: signed(`/webhook/${USER_BUILT_PATH}`),
			webhook: signed('/webhook/bench-webhook'),
			webhookExpression: signed('/webhook/bench-webhook-expression'),
		};
		const pid = mainPid(n8n);
		const runs: Record<Target, TargetRun[]> = { trigger: [], userBuilt: [], webhook: [], webhookExpression: [] };
		for (let round = 1; round <= config.triggerRounds; round++) {
			const order = names.slice((round - 1) % names.length).concat(names.slice(0, (round - 1) % names.length));
			for (const name of order) {
				// Let n8n finish the executions the previous segment started before measuring the next.
				await sleep(2_000);
				const cpuBefore = processTreeCpuSeconds(pid);
				const result = await runLoad(n8n.webhookBase, config.triggerConcurrency, config.triggerSeconds, targets[name]);
				// Executions started near the end still run after the last answer: count their CPU too.
				await sleep(1_500);
				const cpuMsPerDelivery = ((processTreeCpuSeconds(pid) - cpuBefore) * 1000) / Math.max(1, result.ok);
				runs[name].push({ ...result, cpuMsPerDelivery });
				log(
					`trigger${label} round ${round} ${name}: ${result.perSecond.toFixed(1)}/s, n8n CPU ${cpuMsPerDelivery.toFixed(0)} ms/delivery ` +
						`(${result.ok} ok, ${result.failed} failed${result.firstFailure ? `: ${result.firstFailure}` : ''})`,
				);
			}
		}
		for (const wf of workflows) await n8n.api('POST', `/workflows/${wf.id}/deactivate`, {});
		return runs;
	} finally {
		await sb.close();
	}
}

const ALL: Target[] = ['trigger', 'userBuilt', 'webhook', 'webhookExpression'];

export async function runTrigger(ctx: PartContext): Promise<Row[]> {
	return triggerRows(await measure(await ctx.n8n.instance(), ctx, ALL, ''), ctx);
}

/**
 * The same comparison in an n8n started with N8N_EXPRESSION_ENGINE=legacy (expressions evaluated
 * in the main V8 context, no isolates): what our node's checks cost against the hand-built chain
 * once n8n's per-delivery isolate for non-Webhook triggers is out of the picture.
 */
export async function runTriggerLegacy(ctx: PartContext): Promise<Row[]> {
	const n8n = await ctx.n8n.legacy();
	try {
		const runs = await measure(n8n, ctx, ['trigger', 'userBuilt', 'webhook'], ' (legacy)');
		const rate = (name: Target) => median(runs[name].map((r) => r.perSecond));
		const cpu = (name: Target) => `${fmt(median(runs[name].map((r) => r.cpuMsPerDelivery)), 0)} ms`;
		const [t, u, w] = [rate('trigger'), rate('userBuilt'), rate('webhook')];
		return [
			[
				'5. The same with N8N_EXPRESSION_ENGINE=legacy (no V8 isolates): Lip Sync Trigger vs the hand-built flow, and vs the plain Webhook node',
				'comparison',
				`${fmt(t, 1)}/s vs ${fmt(u, 1)}/s = ${fmt(t / u)} × the hand-built flow; ${fmt(t / w)} × the Webhook node (${fmt(w, 1)}/s)`,
				'—',
				`median of ${runs.trigger.length} run(s) of ${ctx.config.triggerSeconds} s at concurrency ${ctx.config.triggerConcurrency}, order rotated; n8n CPU per delivery: ours ${cpu('trigger')}, hand-built ${cpu('userBuilt')}, Webhook node ${cpu('webhook')}`,
			],
		];
	} finally {
		await ctx.n8n.stopLegacy();
	}
}

function triggerRows(runs: Record<Target, TargetRun[]>, { config }: PartContext): Row[] {
	const rate = (name: Target) => median(runs[name].map((r) => r.perSecond));
	const cpu = (name: Target) => `${fmt(median(runs[name].map((r) => r.cpuMsPerDelivery)), 0)} ms`;
	const failed = Object.values(runs).flat().reduce((sum, r) => sum + r.failed, 0);
	const [t, u, w, we] = [rate('trigger'), rate('userBuilt'), rate('webhook'), rate('webhookExpression')];
	const how = `median of ${runs.trigger.length} run(s) of ${config.triggerSeconds} s at concurrency ${config.triggerConcurrency}, order rotated; ${failed} non-2xx in all`;
	return [
		[
			'5. Trigger throughput: Lip Sync Trigger (JoggAI: signature, signed timestamp, duplicate drop) vs what a user would build (Webhook raw body → Crypto HMAC-SHA256 → If signature and age → Remove Duplicates by event id), real n8n, same signed deliveries',
			'≥ 1.5 × the hand-built flow',
			`${fmt(t, 1)}/s vs ${fmt(u, 1)}/s = ${fmt(t / u)} ×`,
			verdict(t / u >= 1.5),
			`${how}; both checked first: a forged delivery and a repeated event id get through neither; n8n CPU per delivery: ours ${cpu('trigger')}, hand-built ${cpu('userBuilt')}`,
		],
		[
			"5. n8n's ceiling: Lip Sync Trigger vs n8n's plain Webhook node (checks nothing, static parameters)",
			'ceiling (reported)',
			`${fmt(t, 1)}/s vs ${fmt(w, 1)}/s = ${fmt(t / w)} ×`,
			'—',
			`same runs; n8n CPU per delivery: Webhook node ${cpu('webhook')}, ours ${cpu('trigger')}; what stays below it: see the control row`,
		],
		[
			'5. Control: Lip Sync Trigger vs the Webhook node with one expression parameter (n8n then gives its webhook phase a V8 isolate, as it does every trigger but the plain Webhook node)',
			'comparison',
			`${fmt(t, 1)}/s vs ${fmt(we, 1)}/s = ${fmt(t / we)} ×`,
			'—',
			`same runs; n8n CPU per delivery: Webhook node with expression ${cpu('webhookExpression')} (the plain one ${cpu('webhook')}): the isolate, not our checks, is the gap to the ceiling`,
		],
	];
}
