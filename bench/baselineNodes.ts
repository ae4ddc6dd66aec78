/**
 * Baselines for the CPU part, run through the same n8n-core harness as our nodes with the same
 * items: a node that does nothing (n8n-core's own cost per item), and a node that only sends the
 * same request per item through n8n's authenticated request helper (what any node pays n8n for
 * one HTTP call). Our node's cost minus the latter is what our code adds. A third, the plain
 * request node, sends the same requests through n8n's `httpRequest` with the key put in the header
 * once per run, as our transport does (it renders the credential's `authenticate` once per node
 * run instead of n8n doing it per request): our cost minus it is our code's work alone.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { PersonateApi } from '../credentials/PersonateApi.credentials';
import { runNode } from '../test/harness';
import type { SandboxTarget } from './nodeRun';

const describe = (name: string, credentials: boolean): INodeType['description'] => ({
	displayName: name,
	name,
	group: ['transform'],
	version: 1,
	description: 'bench baseline',
	defaults: { name },
	inputs: ['main'],
	outputs: ['main'],
	credentials: credentials ? [{ name: 'personateApi', required: true }] : [],
	properties: [{ displayName: 'Mode', name: 'mode', type: 'string', default: 'create' }],
});

const noopNode: INodeType = {
	description: describe('benchNoop', false),
	async execute(this: IExecuteFunctions) {
		return [this.getInputData()];
	},
};

/** The requests our Personate node sends, five at a time as our node does, nothing else. */
const requestNode = (plain: boolean): INodeType => ({
	description: describe(plain ? 'benchPlainRequest' : 'benchRequest', true),
	async execute(this: IExecuteFunctions) {
		const items = this.getInputData();
		const mode = this.getNodeParameter('mode', 0) as string;
		const { baseUrl, apiKey } = await this.getCredentials<{ baseUrl: string; apiKey: string }>('personateApi');
		const send = (request: IHttpRequestOptions) =>
			plain
				? this.helpers.httpRequest({ ...request, headers: { Authorization: `Bearer ${apiKey}` } })
				: this.helpers.httpRequestWithAuthentication.call(this, 'personateApi', request);
		const out: INodeExecutionData[] = new Array(items.length);
		let next = 0;
		const worker = async () => {
			while (next < items.length) {
				const i = next++;
				const json = items[i].json;
				const request: IHttpRequestOptions =
					mode === 'create'
						? {
								method: 'POST',
								url: `${baseUrl}/api/express_lipsync_video`,
								body: { model: 'v2', actor: { use: 'video', video_url: 'https://cdn.example.test/face.mp4' }, script: { use: 'audio', audio_url: json.audio } },
								json: true,
							}
						: { method: 'GET', url: `${baseUrl}/api/express_lipsync_video/${json.jobId}`, json: true };
				const body = (await send(request)) as IDataObject;
				out[i] = { json: body, pairedItem: { item: i } };
			}
		};
		await Promise.all(Array.from({ length: 5 }, worker));
		return [out];
	},
});

const NODES = { noop: noopNode, request: requestNode(false), plain: requestNode(true) };

export type BaselineKind = keyof typeof NODES;

export async function runBaseline(kind: BaselineKind, mode: 'create' | 'status', target: SandboxTarget, items: INodeExecutionData[]) {
	const result = await runNode({
		nodeType: NODES[kind],
		credentials: kind === 'noop' ? {} : { personateApi: { apiKey: target.apiKey, baseUrl: target.baseUrl } },
		credentialTypes: [new PersonateApi()],
		parameters: { mode },
		inputItems: items,
		mode: 'trigger',
	});
	if (result.executionStatus !== 'success' || result.output?.[0]?.length !== items.length) {
		throw new Error(`baseline ${kind} ${mode}: ${result.executionStatus} ${result.error?.message ?? ''}`);
	}
}
