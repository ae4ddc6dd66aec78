/** Runs our vendor nodes in-process through n8n-core's WorkflowExecute (test/harness) against a sandbox. */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { PersonateApi } from '../credentials/PersonateApi.credentials';
import { VozoApi } from '../credentials/VozoApi.credentials';
import { runNode, type RunNodeResult } from '../test/harness';

// tsx resolves `X.node` to the codex file `X.node.json` next to it before `X.node.ts`, so the
// node classes are required by their full file name.
const { Personate } = require('../nodes/Personate/Personate.node.ts') as typeof import('../nodes/Personate/Personate.node');
const { Vozo } = require('../nodes/Vozo/Vozo.node.ts') as typeof import('../nodes/Vozo/Vozo.node');

export type BenchVendor = 'personate' | 'vozo';
export type Operation = 'create' | 'createAndWait' | 'get' | 'wait';

const FACE = 'https://cdn.example.test/face.mp4';

const SETUP = {
	personate: {
		node: () => new Personate(),
		credentialName: 'personateApi',
		credentialType: () => new PersonateApi(),
		create: { model: 'v2', actorSource: 'video', videoUrl: FACE, scriptSource: 'audio', audioUrl: '={{ $json.audio }}' },
	},
	vozo: {
		node: () => new Vozo(),
		credentialName: 'vozoApi',
		credentialType: () => new VozoApi(),
		create: {
			generationMode: 'referenceFile',
			referenceFileType: 'video',
			referenceFileUrl: FACE,
			model: 'standard_v1',
			audioUrl: '={{ $json.audio }}',
		},
	},
} satisfies Record<BenchVendor, unknown>;

export interface SandboxTarget {
	/** Credential base URL, e.g. http://127.0.0.1:4010/personate */
	baseUrl: string;
	apiKey: string;
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
	const setup = SETUP[vendor];
	const isCreate = operation === 'create' || operation === 'createAndWait';
	return await runNode({
		nodeType: setup.node(),
		credentials: { [setup.credentialName]: { apiKey: target.apiKey, baseUrl: target.baseUrl } },
		credentialTypes: [setup.credentialType()],
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
