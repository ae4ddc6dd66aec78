/**
 * The workflows in examples/, and a real n8n set up for them as `npm start` sets it up: the
 * provider sandbox, a public-looking WEBHOOK_URL whose calls the sandbox delivers to n8n's local
 * port (the nodes refuse callback URLs a vendor could not reach), credentials pointing at the
 * sandbox, the examples' Data Tables with their pending rows, and the values a user would fill
 * in (test/e2e/support/exampleTables.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packPackage, REPO_ROOT, startN8n, type N8nInstance } from '../harness';
import { startSandbox, type Sandbox } from '../../sandbox';
import { fillDemoInputs } from './exampleTables';
import { sandboxCredentials, type CredentialRefs } from './lipsync';

export const PUBLIC_BASE = 'https://n8n.example.test';

export interface ExampleNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, any>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
}
export interface Example {
	file: string;
	id: string;
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
}

const EXAMPLES_DIR = join(REPO_ROOT, 'examples');

export const EXAMPLES: Example[] = readdirSync(EXAMPLES_DIR)
	.filter((file) => file.endsWith('.json'))
	.sort()
	.map((file) => ({ file, ...JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) }));

export function example(file: string): Example {
	const found = EXAMPLES.find((e) => e.file === file);
	if (!found) throw new Error(`examples/${file} is missing`);
	return found;
}

/** The nodes of this package in a workflow. */
export const ourNodes = (wf: Example): ExampleNode[] => wf.nodes.filter((n) => n.type.startsWith('n8n-nodes-lipsync.'));

export interface DemoLikeN8n {
	sb: Sandbox;
	n8n: N8nInstance;
	credentials: CredentialRefs;
}

export async function startDemoLikeN8n(jobDurationMs = 1_500): Promise<DemoLikeN8n> {
	const sb = await startSandbox({ jobDurationMs, jitterMs: 0, webhookRetries: 0 });
	const n8n = await startN8n({ packageTarball: await packPackage(), webhookUrl: `${PUBLIC_BASE}/` });
	sb.setOptions({ webhookHostRewrite: { [PUBLIC_BASE]: n8n.webhookBase } });
	return { sb, n8n, credentials: await sandboxCredentials(n8n, sb) };
}

/** Imports an example through the public API with its credentials rewired; returns the workflow id. */
export async function importExample({ sb, n8n, credentials }: DemoLikeN8n, example: Example): Promise<string> {
	const wf = fillDemoInputs(structuredClone(example), sb);
	const nodes = wf.nodes.map((node) => ({
		...node,
		...(node.credentials
			? { credentials: Object.fromEntries(Object.keys(node.credentials).map((type) => [type, credentials[type]])) }
			: {}),
	}));
	const created = await n8n.importWorkflow({ name: wf.name, nodes, connections: wf.connections, settings: wf.settings });
	return created.id;
}

/**
 * Runs a workflow from one of its triggers the way the editor's "Execute workflow" does
 * (`POST /rest/workflows/<id>/run`), in n8n's main process. `n8n execute` cannot run the Data
 * Table examples: the CLI starts no backend modules, and the Data Table node then says "the
 * module is disabled". Resolves with the finished execution, its data included.
 */
export async function runFromTrigger(n8n: N8nInstance, workflowId: string, triggerName: string): Promise<any> {
	const started = await n8n.rest<{ executionId?: string; waitingForWebhook?: boolean }>('POST', `/workflows/${workflowId}/run`, {
		triggerToStartFrom: { name: triggerName },
	});
	if (!started.executionId) throw new Error(`n8n did not start workflow ${workflowId} from "${triggerName}": ${JSON.stringify(started)}`);
	const deadline = Date.now() + 120_000;
	for (;;) {
		const execution = await n8n.api<any>('GET', `/executions/${started.executionId}?includeData=true`).catch(() => undefined);
		if (execution?.finished || ['success', 'error', 'crashed', 'canceled'].includes(execution?.status)) return execution;
		if (Date.now() > deadline) throw new Error(`execution ${started.executionId} did not finish within 120 s`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}
