/**
 * Builders for batch workflows in a real n8n: a webhook posts `{rows: [...]}`, Split Out turns
 * them into items, our node runs over them. Plus readers for what the job ledger leaves behind
 * (n8n's log, the execution's custom data; see docs/n8n-stop-and-crash.md).
 */
import type { N8nInstance } from '../harness';
import { waitFor } from '../harness';
import type { Sandbox, Vendor } from '../../sandbox';
import { createFields, latestExecutionId, vendorNode, webhookTrigger, type CredentialRefs, type WorkflowNode } from './lipsync';

export const LEDGER_KEYS = ['lipsyncJobs', ...[1, 2, 3, 4, 5, 6].map((n) => `lipsyncJobs${n}`)];

/** n8n's per-node settings (next to `parameters` in the workflow JSON). */
export interface NodeSettings {
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
}

export const splitOutRows = (name = 'Rows'): WorkflowNode => ({
	id: `split-${name.replace(/\W/g, '')}`,
	name,
	type: 'n8n-nodes-base.splitOut',
	typeVersion: 1,
	position: [0, 0],
	parameters: { fieldToSplitOut: 'body.rows', include: 'noOtherFields', options: {} },
});

export const loopOverItems = (name: string, batchSize: number): WorkflowNode => ({
	id: `loop-${name.replace(/\W/g, '')}`,
	name,
	type: 'n8n-nodes-base.splitInBatches',
	typeVersion: 3,
	position: [0, 0],
	parameters: { batchSize, options: {} },
});

export const noOp = (name: string): WorkflowNode => ({
	id: `noop-${name.replace(/\W/g, '')}`,
	name,
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
});

/** The vendor node reading `videoUrl`/`audioUrl` from each row. */
export function rowNode(
	vendor: Vendor,
	name: string,
	credentials: CredentialRefs,
	parameters: Record<string, unknown>,
	settings: NodeSettings = {},
): WorkflowNode {
	const fields = createFields(vendor, '={{ $json.videoUrl }}', '={{ $json.audioUrl }}');
	return { ...vendorNode(vendor, name, { ...fields, ...parameters }, credentials), ...settings };
}

/** Connections from [from, to, output] triples (output 0 unless given). */
export function wire(...edges: Array<[string, string, number?]>): Record<string, unknown> {
	const connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }> = {};
	for (const [from, to, output = 0] of edges) {
		const main = (connections[from] = connections[from] ?? { main: [] }).main;
		while (main.length <= output) main.push([]);
		main[output].push({ node: to, type: 'main', index: 0 });
	}
	return connections;
}

/**
 * Webhook → Split Out → `nodes` (the first one fed by Split Out), laid out left to right.
 * `settings` are n8n's workflow settings, e.g. `{ saveExecutionProgress: true }`.
 */
export function rowsWorkflow(
	name: string,
	webhookId: string,
	nodes: WorkflowNode[],
	edges: Array<[string, string, number?]> = [],
	settings: Record<string, unknown> = {},
) {
	const all = [webhookTrigger('Webhook', webhookId, webhookId), splitOutRows(), ...nodes];
	all.forEach((node, i) => (node.position = [i * 220, 0]));
	return {
		name,
		nodes: all,
		connections: wire(['Webhook', 'Rows'], ['Rows', nodes[0].name], ...edges),
		settings: { executionOrder: 'v1', ...settings },
	};
}

export const row = (i: number, tag = 'row') => ({
	videoUrl: `https://cdn.example.test/${tag}-${i}-face.mp4`,
	audioUrl: `https://cdn.example.test/${tag}-${i}-voice.mp3`,
});
export const rows = (count: number, tag = 'row') => Array.from({ length: count }, (_, i) => row(i, tag));

/** Posts the rows to the published workflow's webhook (answered at once: `onReceived`). */
export async function postRows(n8n: N8nInstance, webhookId: string, body: unknown[]): Promise<void> {
	const res = await n8n.webhook(`webhook/${webhookId}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ rows: body }),
	});
	await res.arrayBuffer();
	if (res.status !== 200) throw new Error(`webhook ${webhookId} answered ${res.status}`);
}

/** Posts rows and returns the finished execution (with data). */
export async function runRows(n8n: N8nInstance, workflowId: string, webhookId: string, body: unknown[], timeoutMs = 120_000) {
	const before = await latestExecutionId(n8n, workflowId);
	await postRows(n8n, webhookId, body);
	return await n8n.waitForExecution({ workflowId, newerThan: before, timeoutMs });
}

/** Posts rows, waits until the vendor holds `jobs` jobs and the execution runs; returns its id. */
export async function startRunning(n8n: N8nInstance, sb: Sandbox, vendor: Vendor, workflowId: string, webhookId: string, body: unknown[], jobs: number) {
	await postRows(n8n, webhookId, body);
	await waitFor(`${jobs} ${vendor} jobs at the vendor`, async () => (sb.jobs.list(vendor).length >= jobs ? true : undefined), {
		timeoutMs: 90_000,
		intervalMs: 100,
	});
	const running = await waitFor('the running execution', async () => (await n8n.executions({ workflowId, status: 'running' }))[0], {
		timeoutMs: 30_000,
	});
	return String(running.id);
}

/** Stops an execution through n8n (the editor's Stop) and returns it once n8n reports it ended. */
export async function stopExecution(n8n: N8nInstance, executionId: string) {
	await n8n.rest('POST', `/executions/${executionId}/stop`);
	return await waitFor(
		`execution ${executionId} to end`,
		async () => {
			const execution = await n8n.api<any>('GET', `/executions/${executionId}?includeData=true`);
			return ['canceled', 'success', 'error', 'crashed'].includes(execution.status) ? execution : undefined;
		},
		{ timeoutMs: 30_000 },
	);
}

/** The job ledger's lines of one execution in n8n's log (the harness runs n8n with JSON logs). */
export function ledgerLines(log: string, executionId: string): string[] {
	return log
		.split('\n')
		.filter((line) => line.startsWith('{"level"'))
		.map((line) => {
			try {
				return String((JSON.parse(line) as { message: string }).message);
			} catch {
				return '';
			}
		})
		.filter((message) => message.startsWith('lipsync job ') && message.endsWith(`execution ${executionId})`));
}

/** Job ids of the "submitted" ledger lines, in order. */
export const loggedJobIds = (lines: string[]) =>
	lines.map((line) => /^lipsync job submitted: \S+ job (\S+) item \d+/.exec(line)?.[1]).filter((id): id is string => !!id);

/** `item → jobId` from the ledger's custom-data lists of an execution. */
export function customDataJobs(customData: Record<string, string> | undefined): Map<number, string> {
	const jobs = new Map<number, string>();
	for (const key of LEDGER_KEYS.slice(1)) {
		const value = customData?.[key] ?? '';
		for (const token of value.slice(value.indexOf(': ') + 2).split(' ')) {
			const match = /^(\d+)=(.+)$/.exec(token);
			if (match) jobs.set(Number(match[1]), match[2]);
		}
	}
	return jobs;
}

/** The largest number of `times` (ms) inside any window of `windowMs`. */
export function busiestWindow(times: number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let best = 0;
	for (let start = 0, end = 0; end < sorted.length; end++) {
		while (sorted[end] - sorted[start] >= windowMs) start++;
		best = Math.max(best, end - start + 1);
	}
	return best;
}
