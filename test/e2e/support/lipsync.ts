/**
 * Building blocks for the end-to-end tests of our nodes in a real n8n: sandbox credentials,
 * node and workflow builders, and readers for run data (from `n8n execute` or the public API).
 */
import { VENDOR_MODULES } from '../../../nodes/registry';
import type { N8nInstance } from '../harness';
import { VENDORS, type Sandbox, type Vendor } from '../../sandbox';
import { vendorFiles } from '../../registry/vendorFiles';
import { hasCallbackSecret } from '../../registry/registeredNodes';

export const VENDOR_LIST: Vendor[] = [...VENDORS];

const adapterOf = (vendor: Vendor) => {
	const module = VENDOR_MODULES.find((registered) => registered.adapter.provider === vendor);
	if (!module) throw new Error(`the sandbox vendor ${vendor} is not in nodes/registry.ts`);
	return module.adapter;
};
const perVendor = <T>(value: (vendor: Vendor) => T): Record<Vendor, T> =>
	Object.fromEntries(VENDOR_LIST.map((vendor) => [vendor, value(vendor)])) as Record<Vendor, T>;

/** `n8n-nodes-lipsync.<name>` of each vendor's node. */
export const NODE_TYPES = perVendor((vendor) => vendorFiles(adapterOf(vendor)).nodeType);
export const TRIGGER_TYPE = 'n8n-nodes-lipsync.lipSyncTrigger';

export const CREDENTIAL_TYPES = perVendor((vendor) => adapterOf(vendor).credentialName);

/** The sandbox's status words per vendor (test/sandbox/README.md, "Jobs"). */
export const RUNNING_WORDS: Record<Vendor, string[]> = {
	vozo: ['pending', 'processing'],
	personate: ['rendering'],
	modellix: ['pending', 'processing'],
	joggai: ['pending', 'processing'],
	syncso: ['PENDING', 'PROCESSING'],
};
export const SUCCESS_WORD: Record<Vendor, string> = {
	vozo: 'done',
	personate: 'completed',
	modellix: 'success',
	joggai: 'success',
	syncso: 'COMPLETED',
};

export type CredentialRefs = Record<string, { id: string; name: string }>;

/** The Vozo credential's Callback Secret in the e2e runs (`npm start` makes a random one). */
export const E2E_VOZO_CALLBACK_SECRET = 'e2e-callback-secret-7f3a9c1e5b2d8f4a6c0e9b1d3f5a7c9e';

/** One credential per vendor pointing at the sandbox, keyed by credential type. */
export async function sandboxCredentials(n8n: N8nInstance, sb: Sandbox): Promise<CredentialRefs> {
	const created = await n8n.importCredentials(
		VENDOR_LIST.map((vendor) => ({
			name: `${vendor} (e2e sandbox)`,
			type: CREDENTIAL_TYPES[vendor],
			data: { apiKey: sb.keys[vendor], baseUrl: sb.baseUrl(vendor), ...(hasCallbackSecret(vendor) ? { callbackSecret: E2E_VOZO_CALLBACK_SECRET } : {}) },
		})),
	);
	return Object.fromEntries(created.map((c) => [c.type, { id: c.id, name: c.name }]));
}

/** The create fields of each vendor node for a video/audio URL pair (expressions allowed). */
const CREATE_FIELDS: Record<Vendor, (videoUrl: string, audioUrl: string) => Record<string, unknown>> = {
	vozo: (videoUrl, audioUrl) => ({ generationMode: 'referenceFile', referenceFileType: 'video', referenceFileUrl: videoUrl, model: 'standard_v1', audioUrl }),
	personate: (videoUrl, audioUrl) => ({ model: 'v2', actorSource: 'video', videoUrl, scriptSource: 'audio', audioUrl }),
	modellix: (videoUrl, audioUrl) => ({ modelSlug: 'vidu/lip-sync', videoUrl, audioUrl }),
	joggai: (videoUrl, audioUrl) => ({ videoSource: 'url', videoUrl, audioSource: 'url', audioUrl, playbackType: 'normal' }),
	syncso: (videoUrl, audioUrl) => ({ model: 'lipsync-2', videoSource: 'url', videoUrl, audioSource: 'url', audioUrl }),
};
export function createFields(vendor: Vendor, videoUrl: string, audioUrl: string): Record<string, unknown> {
	return CREATE_FIELDS[vendor](videoUrl, audioUrl);
}

let nodeCounter = 0;
const nextId = () => `e2e-node-${++nodeCounter}`;

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
}

export function vendorNode(
	vendor: Vendor,
	name: string,
	parameters: Record<string, unknown>,
	credentials: CredentialRefs,
): WorkflowNode {
	const type = CREDENTIAL_TYPES[vendor];
	return {
		id: nextId(),
		name,
		type: NODE_TYPES[vendor],
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { [type]: credentials[type] },
	};
}

export const manualTrigger = (name = 'Start'): WorkflowNode => ({
	id: nextId(),
	name,
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
});

export const webhookTrigger = (name: string, webhookId: string, path: string): WorkflowNode => ({
	id: nextId(),
	name,
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	position: [0, 0],
	webhookId,
	parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
});

export const setNode = (name: string, values: Record<string, string>): WorkflowNode => ({
	id: nextId(),
	name,
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	position: [0, 0],
	parameters: {
		assignments: {
			assignments: Object.entries(values).map(([key, value], i) => ({ id: `a${i}`, name: key, value, type: 'string' })),
		},
		options: {},
	},
});

/** Connections from `edges` as [from, to] pairs (several edges from one node fan out). */
export function connect(...edges: Array<[string, string]>): Record<string, unknown> {
	const connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }> = {};
	for (const [from, to] of edges) {
		connections[from] = connections[from] ?? { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	}
	return connections;
}

/** Lays nodes out left to right so the workflows stay readable when opened in the editor. */
export function workflow(name: string, nodes: WorkflowNode[], connections: Record<string, unknown>) {
	nodes.forEach((node, i) => (node.position = [i * 220, 0]));
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

export interface RunItem {
	json: Record<string, any>;
	binary?: Record<string, { mimeType: string; fileName?: string; fileSize?: string; bytes?: number; [key: string]: unknown }>;
	pairedItem?: unknown;
}

/** The items a node produced on its first output in its last run, from an IRun-like `data`. */
export function nodeItems(runData: any, nodeName: string): RunItem[] {
	const runs = runData?.resultData?.runData?.[nodeName] as any[] | undefined;
	if (!runs?.length) {
		const ran = Object.keys(runData?.resultData?.runData ?? {}).join(', ');
		throw new Error(`node "${nodeName}" did not run; ran: ${ran || 'nothing'}`);
	}
	const last = runs[runs.length - 1];
	if (last.error) throw new Error(`node "${nodeName}" failed: ${last.error.message}`);
	return (last.data?.main?.[0] ?? []) as RunItem[];
}

/** The latest execution id of a workflow, or '0' (for `waitForExecution({ newerThan })`). */
export async function latestExecutionId(n8n: N8nInstance, workflowId: string): Promise<string> {
	const list = await n8n.executions({ workflowId, limit: 1 });
	return list[0]?.id ?? '0';
}
