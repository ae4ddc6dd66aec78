/**
 * Test-only nodes and credential for harness.test.ts: each exercises one piece of n8n-core
 * machinery the harness must run for real. Not a pattern for vendor nodes (they live in nodes/).
 */
import { createHash } from 'node:crypto';
import type {
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

export const API_KEY = 'sk-test-5ecret';

export class HarnessTestApi implements ICredentialType {
	name = 'harnessTestApi';
	displayName = 'Harness Test API';
	properties: ICredentialType['properties'] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Region', name: 'region', type: 'string', default: 'eu' },
	];
	authenticate = {
		type: 'generic' as const,
		properties: {
			headers: { 'X-Api-Key': '={{$credentials.apiKey}}', 'X-Region': '={{$credentials.region}}' },
			qs: { client: 'n8n' },
		},
	};
}

export function describeNode(
	name: string,
	extra: Partial<INodeTypeDescription> = {},
): INodeTypeDescription {
	return {
		displayName: name,
		name,
		group: ['transform'],
		version: 1,
		description: 'test-only node',
		defaults: { name },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }],
		...extra,
	};
}

/** GETs `url` with the harnessTestApi credential and outputs the response. */
export const authNode: INodeType = {
	description: describeNode('authCall', {
		credentials: [{ name: 'harnessTestApi', required: true }],
	}),
	async execute(this: IExecuteFunctions) {
		const items = this.getInputData();
		const out = [];
		for (let i = 0; i < items.length; i++) {
			const url = this.getNodeParameter('url', i) as string;
			const body = await this.helpers.httpRequestWithAuthentication.call(this, 'harnessTestApi', {
				url,
				json: true,
			});
			out.push({ json: body, pairedItem: { item: i } });
		}
		return [out];
	},
};

/** Fails until its third try; counts tries in the node context, as a node's own state would. */
export const flakyNode: INodeType = {
	description: describeNode('flaky'),
	async execute(this: IExecuteFunctions) {
		const context = this.getContext('node');
		context.tries = ((context.tries as number | undefined) ?? 0) + 1;
		if ((context.tries as number) < 3) {
			if (this.continueOnFail()) return [[{ json: { error: 'handled' }, pairedItem: { item: 0 } }]];
			throw new NodeOperationError(this.getNode(), `try ${context.tries} failed`);
		}
		return [[{ json: { tries: context.tries }, pairedItem: { item: 0 } }]];
	},
};

/** Streams `url` into binary `data`, and reports on the binary input it received. */
export const binaryNode: INodeType = {
	description: describeNode('binary'),
	async execute(this: IExecuteFunctions) {
		const url = this.getNodeParameter('url', 0) as string;
		const items = this.getInputData();
		const out = [];
		for (let i = 0; i < items.length; i++) {
			const json: IDataObject = {};
			if (items[i].binary?.data) {
				const input = this.helpers.assertBinaryData(i, 'data');
				const hash = createHash('sha256');
				for await (const chunk of await this.helpers.getBinaryStream(input.id!))
					hash.update(chunk as Buffer);
				const meta = await this.helpers.getBinaryMetadata(input.id!);
				Object.assign(json, { inputSha256: hash.digest('hex'), inputMeta: meta });
			}
			const res = await this.helpers.httpRequest({
				url,
				encoding: 'stream',
				returnFullResponse: true,
			});
			json.bodyIsStream = typeof (res.body as NodeJS.ReadableStream).pipe === 'function';
			const binary = await this.helpers.prepareBinaryData(res.body, 'clip.mp4', 'video/mp4');
			out.push({ json, binary: { data: binary }, pairedItem: { item: i } });
		}
		return [out];
	},
};

let sleeperStartListeners: Array<() => void> = [];

/** Resolves when the next sleeperNode run has started. */
export function whenSleeperStarts(): Promise<void> {
	return new Promise((resolve) => sleeperStartListeners.push(resolve));
}

/** Sleeps in slices until the execution is cancelled; reports whether it saw the signal. */
export const sleeperNode: INodeType = {
	description: describeNode('sleeper'),
	async execute(this: IExecuteFunctions) {
		const signal = this.getExecutionCancelSignal();
		const listeners = sleeperStartListeners;
		sleeperStartListeners = [];
		for (const started of listeners) started();
		const started = Date.now();
		while (!signal?.aborted && Date.now() - started < 10_000) await sleep(20);
		return [[{ json: { sawAbort: signal?.aborted === true }, pairedItem: { item: 0 } }]];
	},
};

/** GETs `url` with the plain httpRequest helper, passing the cancel signal only if asked to. */
export const plainGetNode: INodeType = {
	description: describeNode('plainGet', {
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Pass Signal', name: 'passSignal', type: 'boolean', default: false },
		],
	}),
	async execute(this: IExecuteFunctions) {
		const url = this.getNodeParameter('url', 0) as string;
		const abortSignal = this.getNodeParameter('passSignal', 0)
			? this.getExecutionCancelSignal()
			: undefined;
		const body = await this.helpers.httpRequest({ url, json: true, abortSignal });
		return [[{ json: { body }, pairedItem: { item: 0 } }]];
	},
};

/** Puts the execution to wait and outputs its resume URL, as a callback-waiting node does. */
export const waitingNode: INodeType = {
	description: describeNode('waiting'),
	async execute(this: IExecuteFunctions) {
		const resumeUrl = this.evaluateExpression('{{ $execution.resumeUrl }}', 0) as string;
		await this.putExecutionToWait(new Date('2100-01-01T00:00:00Z'));
		return [
			this.getInputData().map((item, i) => ({
				json: { ...item.json, resumeUrl },
				pairedItem: { item: i },
			})),
		];
	},
};
