/**
 * The Lip Sync Trigger (JoggAI mode) under bursts in the real n8n (issue 22): a batch of JoggAI
 * jobs finishing together sends many deliveries at once, and JoggAI re-sends any not answered 2xx
 * within 5 s. Two shapes — 50 deliveries within 1 s, then 20 a second for BENCH_BURST_S seconds —
 * sent open-loop (burstLoad.ts). Per shape: answer time p50/p99 (due → answer), deliveries
 * answered late (> 5 s), deliveries lost (an event id in no execution) and events started twice
 * (an event id in more than one execution), read from n8n's saved executions.
 */
import { loadavg } from 'node:os';

import type { N8nInstance } from '../test/e2e/harness';
import { startSandbox } from '../test/sandbox';
import type { AnswerTiming } from '../nodes/LipSyncTrigger/answerTiming';
import { JOGGAI_DEADLINE_MS, sendBurst, type BurstDelivery, type BurstShape } from './burstLoad';
import { verdict, type PartContext, type Row } from './parts';
import { FINISHED, LAZY_ACQUIRE_ENV, latestId, sandboxCredential, startBenchN8n } from './realN8n';
import { fmt, percentile, sleep, until } from './stats';
import { eventBody, signedHeaders, TRIGGER_PATH, waitUntilTriggerAccepts } from './trigger';
import { triggerWorkflow } from './triggerWorkflows';

export interface BurstResult {
	shape: BurstShape;
	deliveries: BurstDelivery[];
	/** Executions per event id. */
	executionsPerEvent: Map<string, number>;
	/** Executions started that carry no event id of this burst. */
	strayExecutions: number;
	/** Executions not finished when they were read, and finished ones whose status is not success. */
	unfinished: number;
	notSuccess: number;
	/** n8n's error of the first execution that did not succeed. */
	firstExecutionError?: string;
}

/** Every execution newer than `after` of the workflow, with data, once all have finished. */
async function executionsAfter(n8n: N8nInstance, workflowId: string, after: string, expected: number, timeoutMs: number): Promise<any[]> {
	const read = async () => {
		const all: any[] = [];
		let cursor: string | undefined;
		for (let page = 0; page < 100; page++) {
			const query = new URLSearchParams({ workflowId, limit: '250', includeData: 'true', ...(cursor ? { cursor } : {}) });
			const answer = await n8n.api<{ data: any[]; nextCursor?: string | null }>('GET', `/executions?${query}`);
			const newer = answer.data.filter((e) => Number(e.id) > Number(after));
			all.push(...newer);
			if (!answer.nextCursor || newer.length < answer.data.length) break;
			cursor = answer.nextCursor;
		}
		return all;
	};
	let last: any[] = [];
	await until(
		`${expected} finished executions of the burst`,
		async () => {
			last = await read();
			return last.length >= expected && last.every((e) => FINISHED.includes(e.status));
		},
		timeoutMs,
		2_000,
	).catch(() => undefined);
	// Executions still arriving after the wait would only add to "twice"; give them a moment.
	await sleep(2_000);
	return await read();
}

/** The event an execution was started for: the trigger's output, or (not yet run) the item waiting for it. */
const eventIdOf = (execution: any): string | undefined =>
	execution?.data?.resultData?.runData?.['Lip Sync Trigger']?.[0]?.data?.main?.[0]?.[0]?.json?.event_id ??
	execution?.data?.executionData?.nodeExecutionStack?.[0]?.data?.main?.[0]?.[0]?.json?.event_id;

async function measureShape(n8n: N8nInstance, workflowId: string, secret: string, shape: BurstShape): Promise<BurstResult> {
	const before = await latestId(n8n, workflowId);
	const deliveries = await sendBurst(n8n.webhookBase, shape, () => {
		const body = eventBody('burst');
		return { eventId: JSON.parse(body).event_id as string, path: TRIGGER_PATH, headers: signedHeaders(secret, body), body };
	});
	const accepted = deliveries.filter((d) => d.accepted).length;
	const executions = await executionsAfter(n8n, workflowId, before, accepted, 180_000 + shape.seconds * 4_000);
	const ids = new Set(deliveries.map((d) => d.eventId));
	const executionsPerEvent = new Map<string, number>();
	let strayExecutions = 0;
	for (const execution of executions) {
		const id = eventIdOf(execution);
		if (id && ids.has(id)) executionsPerEvent.set(id, (executionsPerEvent.get(id) ?? 0) + 1);
		else strayExecutions++;
	}
	const unfinished = executions.filter((e) => !FINISHED.includes(e.status)).length;
	const notSuccess = executions.filter((e) => FINISHED.includes(e.status) && e.status !== 'success').length;
	const failed = executions.find((e) => FINISHED.includes(e.status) && e.status !== 'success');
	const firstExecutionError = failed ? `${failed.status}: ${String(failed.data?.resultData?.error?.message ?? 'no error saved').slice(0, 160)}` : undefined;
	return { shape, deliveries, executionsPerEvent, strayExecutions, unfinished, notSuccess, firstExecutionError };
}

/**
 * The trigger alone, or followed by an Edit Fields node with one expression (what a workflow does
 * with an event): n8n then needs an expression isolate for every execution, after the answer.
 */
function burstWorkflow(credential: { id: string; name: string }, withExpressionNode: boolean, answer: AnswerTiming) {
	// Version 1.1: what the node panel adds today.
	const workflow = triggerWorkflow(credential, 1.1, answer === 'atOnce' ? {} : { options: { answer } });
	if (!withExpressionNode) return workflow;
	const set = {
		id: 'bench-burst-set',
		name: 'Event id',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [220, 0],
		parameters: {
			mode: 'manual',
			assignments: { assignments: [{ id: 'event-id', name: 'eventId', value: '={{ $json.event_id }}', type: 'string' }] },
			options: {},
		},
	};
	return {
		...workflow,
		nodes: [...workflow.nodes, set],
		connections: { 'Lip Sync Trigger': { main: [[{ node: 'Event id', type: 'main', index: 0 }]] } },
	} as unknown as ReturnType<typeof triggerWorkflow>;
}

/** Runs both shapes against one n8n; `label` names the n8n's settings in the log. */
export async function measureBursts(n8n: N8nInstance, ctx: PartContext, label: string, withExpressionNode = false, answer: AnswerTiming = 'atOnce'): Promise<BurstResult[]> {
	const { config, log } = ctx;
	const sb = await startSandbox({ jobDurationMs: config.jobMs });
	try {
		const joggai = Object.values(await sandboxCredential(n8n, sb, 'joggai'))[0];
		const trigger = await n8n.importWorkflow(burstWorkflow(joggai, withExpressionNode, answer));
		await n8n.publish(trigger.id);
		const secret = await waitUntilTriggerAccepts(n8n, sb);
		const results: BurstResult[] = [];
		for (const shape of [{ perSecond: 50, seconds: 1 }, { perSecond: 20, seconds: config.burstSeconds }]) {
			await sleep(2_000);
			const result = await measureShape(n8n, trigger.id, secret, shape);
			const s = summarize(result);
			log(`trigger bursts${label} ${describe(shape)}: p50 ${fmt(s.p50, 0)} ms, p99 ${fmt(s.p99, 0)} ms, late ${s.late}, lost ${s.lost}, twice ${s.twice}, re-sends ${s.resends}, refused ${s.refused}${s.firstRefusal ? ` (${s.firstRefusal})` : ''}, stray executions ${result.strayExecutions}, unfinished ${result.unfinished}, not success ${result.notSuccess}${result.firstExecutionError ? ` (${result.firstExecutionError})` : ''}`);
			results.push(result);
		}
		await n8n.api('POST', `/workflows/${trigger.id}/deactivate`, {});
		return results;
	} finally {
		await sb.close();
	}
}

export function summarize(result: BurstResult) {
	const answers = result.deliveries.map((d) => d.answerMs);
	const count = (n: number | undefined) => n ?? 0;
	return {
		count: result.deliveries.length,
		p50: percentile(answers, 50),
		p99: percentile(answers, 99),
		late: result.deliveries.filter((d) => !(d.answerMs <= JOGGAI_DEADLINE_MS) || d.status < 200 || d.status >= 300).length,
		lost: result.deliveries.filter((d) => count(result.executionsPerEvent.get(d.eventId)) === 0).length,
		twice: [...result.executionsPerEvent.values()].filter((n) => n > 1).length,
		resends: result.deliveries.reduce((sum, d) => sum + d.resends, 0),
		refused: result.deliveries.filter((d) => d.status !== 0 && (d.status < 200 || d.status >= 300)).length,
		firstRefusal: result.deliveries.find((d) => d.refusal)?.refusal,
	};
}

export const describe = (shape: BurstShape) => (shape.seconds === 1 ? `${shape.perSecond} in 1 s` : `${shape.perSecond}/s for ${shape.seconds} s`);

/** One row per shape: the target is every delivery answered within 5 s, none lost, none twice. */
export function burstRows(results: BurstResult[], setting: string, load: string): Row[] {
	return results.map((result) => {
		const s = summarize(result);
		return [
			`5b. Trigger bursts (${setting}): Lip Sync Trigger, JoggAI mode, ${describe(result.shape)}, open loop, JoggAI's re-send after 5 s`,
			'p99 answer ≤ 5 s, 0 lost, 0 started twice',
			`p99 ${fmt(s.p99 / 1000, 2)} s (p50 ${fmt(s.p50 / 1000, 2)} s), ${s.lost} lost, ${s.twice} twice`,
			verdict(s.p99 <= JOGGAI_DEADLINE_MS && s.lost === 0 && s.twice === 0),
			`${s.count} deliveries; ${s.late} not answered 2xx within 5 s, ${s.resends} re-sends, ${s.refused} refused${s.firstRefusal ? ` (first: ${s.firstRefusal.replace(/\|/g, '/')})` : ''}; answer time = due → answer of the first send; executions unfinished when read ${result.unfinished}, not success ${result.notSuccess}${result.firstExecutionError ? ` (first: ${result.firstExecutionError.replace(/\|/g, '/')})` : ''}; ${load}`,
		];
	});
}

const loadNow = () => `load average ${loadavg()[0].toFixed(1)} at the end (2 cores, shared)`;

/**
 * The settings measured, in order (BENCH_BURST_SETTINGS picks some: defaults, lazy, lazyThen,
 * lazyThenAfterStart, queueThen, queueThenAfterStart). The trigger answers at once (its default)
 * except in the `…AfterStart` settings, where it leaves the answer to n8n once the execution started.
 */
const SETTINGS = ['defaults', 'lazy', 'lazyThen', 'lazyThenAfterStart', 'queueThen', 'queueThenAfterStart'] as const;
type Setting = (typeof SETTINGS)[number];

const EXPRESSION_NODE = 'the trigger followed by an Edit Fields node with one expression';
const AFTER_START = 'Answer: Once the Workflow Started';

/**
 * Bursts against the shared n8n with its default settings; against an n8n with the setting README
 * recommends for bursts (N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true), the trigger alone and followed by
 * a node with an expression; and that workflow in queue mode (n8n's webhook process answers, a
 * worker executes), which README recommends when the work after the trigger is heavy.
 */
export async function runTriggerBursts(ctx: PartContext): Promise<Row[]> {
	const wanted = (setting: Setting) => ctx.config.burstSettings.length === 0 || ctx.config.burstSettings.includes(setting);
	const rows: Row[] = [];
	if (wanted('defaults')) rows.push(...burstRows(await measureBursts(await ctx.n8n.instance(), ctx, ''), "n8n's defaults", loadNow()));
	if (wanted('lazy') || wanted('lazyThen') || wanted('lazyThenAfterStart')) {
		try {
			const n8n = await ctx.n8n.lazyAcquire();
			if (wanted('lazy')) rows.push(...burstRows(await measureBursts(n8n, ctx, ' (lazy acquire)'), 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', loadNow()));
			if (wanted('lazyThen')) {
				const results = await measureBursts(n8n, ctx, ' (lazy acquire, then an expression node)', true);
				rows.push(...burstRows(results, `N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true, ${EXPRESSION_NODE}`, loadNow()));
			}
			if (wanted('lazyThenAfterStart')) {
				const results = await measureBursts(n8n, ctx, ' (lazy acquire, then an expression node, answer once started)', true, 'afterStart');
				rows.push(...burstRows(results, `N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true, ${EXPRESSION_NODE}, ${AFTER_START}`, loadNow()));
			}
		} finally {
			await ctx.n8n.stopLazyAcquire();
		}
	}
	if (wanted('queueThen') || wanted('queueThenAfterStart')) {
		ctx.log('trigger bursts: starting n8n in queue mode (redis, main, 1 worker, webhook) with lazy acquisition…');
		const n8n = await startBenchN8n({ queueMode: true, workers: 1, env: LAZY_ACQUIRE_ENV }, ctx.log);
		const queue = `queue mode (webhook process, 1 worker), N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true, ${EXPRESSION_NODE}`;
		try {
			if (wanted('queueThen')) {
				const results = await measureBursts(n8n, ctx, ' (queue mode, lazy acquire, then an expression node)', true);
				rows.push(...burstRows(results, queue, loadNow()));
			}
			if (wanted('queueThenAfterStart')) {
				const results = await measureBursts(n8n, ctx, ' (queue mode, lazy acquire, then an expression node, answer once started)', true, 'afterStart');
				rows.push(...burstRows(results, `${queue}, ${AFTER_START}`, loadNow()));
			}
		} finally {
			await n8n.stop();
		}
	}
	return rows;
}
