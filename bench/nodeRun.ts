/** Runs our vendor nodes in-process through n8n-core's WorkflowExecute (test/harness) against a sandbox. */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { runNode, type RunNodeResult } from '../test/harness';
import { registeredNodes } from '../test/registry/registeredNodes';
import type { Vendor } from '../test/sandbox';

/** Any registered vendor: the node and its create fields come from the registry, not from a list here. */
export type BenchVendor = Vendor;
export type Operation = 'create' | 'createAndWait' | 'get' | 'wait';

const FACE = 'https://cdn.example.test/face.mp4';

/**
 * A vendor's node (loaded by its full file name: tsx resolves `X.node` to the codex file
 * `X.node.json` before `X.node.ts`), credential, and create fields: the adapter's own mapping of
 * a face video URL and each item's `audio` URL (the Lip Sync node's core input), every other
 * field at its default.
 */
function setupOf(vendor: BenchVendor) {
	const registered = registeredNodes().find((node) => node.adapter.provider === vendor);
	if (!registered) throw new Error(`${vendor} is not in nodes/registry.ts`);
	const { adapter } = registered;
	const create = adapter.coreInput.parameters({
		face: { source: 'videoUrl', url: FACE, binaryPropertyName: '' },
		speech: { source: 'audioUrl', url: '={{ $json.audio }}', binaryPropertyName: '' },
	});
	if ('refused' in create) throw new Error(`${vendor} takes no face video with an audio URL: ${String(create.refused)}`);
	return { node: registered.node, credentialName: adapter.credentialName, credentialType: adapter.credentialType, create: create as INodeParameters };
}

export interface SandboxTarget {
	/** Credential base URL, e.g. http://127.0.0.1:4010/personate */
	baseUrl: string;
	apiKey: string;
	/** Further credential fields (e.g. a plan). */
	credentialFields?: Record<string, string | number>;
}

export const audioItems = (count: number, tag = 'item'): INodeExecutionData[] =>
	Array.from({ length: count }, (_, i) => ({ json: { audio: `https://cdn.example.test/${tag}-${i}.mp3` } }));

export async function runVendorNode(
	vendor: BenchVendor,
	target: SandboxTarget,
	operation: Operation,
	inputItems: INodeExecutionData[],
	options: INodeParameters,
	abortSignal?: AbortSignal,
	parameters: INodeParameters = {},
): Promise<RunNodeResult> {
	const setup = setupOf(vendor);
	const isCreate = operation === 'create' || operation === 'createAndWait';
	return await runNode({
		nodeType: setup.node(),
		credentials: { [setup.credentialName]: { apiKey: target.apiKey, baseUrl: target.baseUrl, ...target.credentialFields } },
		credentialTypes: [setup.credentialType],
		parameters: { operation, ...(isCreate ? setup.create : {}), options, ...parameters },
		inputItems,
		abortSignal,
		// A production run, as in an activated workflow (no manual-run shortcuts).
		mode: 'trigger',
	});
}

/** The node's output items, or a thrown error when the execution failed. */
export function outputOf(result: RunNodeResult, what: string): IDataObject[] {
	if (result.error || result.executionStatus !== 'success') {
		throw new Error(`${what}: execution ${result.executionStatus}: ${result.error?.message ?? 'no output'}`);
	}
	return (result.output?.[0] ?? []).map((item) => item.json);
}
