/**
 * Drives the Lip Sync Trigger through n8n-core's own contexts, the classes n8n instantiates:
 * HookContext for webhookMethods (activation), LoadOptionsContext for the event list and
 * WebhookContext for webhook(). Static data, parameters (with defaults), credentials and
 * `httpRequestWithAuthentication` are therefore n8n-core's real code.
 *
 * Stand-ins for what n8n's HTTP server does around webhook(): the request object is a plain
 * object carrying what n8n's body parser leaves on it (headers, query, parsed body and the
 * `rawBody` Buffer of the bytes received), and the response object records what the node writes.
 * `listen()` puts that behind a real node:http server so the sandbox can deliver over HTTP.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeParameters,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError, Workflow } from 'n8n-workflow';
import { ExternalSecretsProxy, HookContext, LoadOptionsContext, WebhookContext } from 'n8n-core';

import { LipSyncTrigger } from '../../nodes/LipSyncTrigger/LipSyncTrigger.node';
import { VENDOR_MODULES } from '../../nodes/registry';
import { HarnessCredentialsHelper } from '../harness/credentialsHelper';
import { ensureN8nRuntime } from '../harness/runtime';
import { RecordingResponse } from '../harness/recordingResponse';

export const PUBLIC_WEBHOOK_BASE = 'https://n8n.example.test/webhook';
export const TYPE_NAME = 'n8n-nodes-lipsync.lipSyncTrigger';
const NODE_NAME = 'Lip Sync Trigger';

export interface TriggerOptions {
	parameters: INodeParameters;
	/** JoggAI credential data (`apiKey`, `baseUrl`). */
	joggAi?: ICredentialDataDecryptedObject;
	/** Vozo credential data (`apiKey`, `baseUrl`): selects the optional Vozo credential. */
	vozo?: ICredentialDataDecryptedObject;
	/** Any registered vendor's credential data, by credential type name (`<name>Api`). */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** n8n's webhook base URL, from WEBHOOK_URL (default a public https host). */
	webhookBaseUrl?: string;
	webhookId?: string;
	/** The node's static data as n8n would load it from the database. */
	staticData?: IDataObject;
	/**
	 * Default: a new id per instance, so in-process memory keyed by workflow (the JoggAI duplicate
	 * check) does not leak between tests. Pass the same id to model n8n's fresh Workflow object per
	 * delivery of one workflow.
	 */
	workflowId?: string;
	/** The node's version (default 1, what saved workflows have). */
	typeVersion?: number;
}

let workflowCount = 0;

export interface Delivery {
	body: Buffer | string;
	/** Default POST; n8n routes the request to the node's webhook declared for this method. */
	method?: string;
	headers?: Record<string, string>;
	query?: Record<string, string>;
	/** Which of the trigger's URLs receives it: n8n runs test-URL deliveries in mode "manual". */
	endpoint?: 'production' | 'test';
	/**
	 * What n8n answers a delivery the node accepted: 200 once it started the execution (default),
	 * 500 when it could not ("There was a problem executing the workflow").
	 */
	n8nAnswers?: number;
	/** Hold n8n's answer (no 'finish' yet) until this resolves: the execution is still being started. */
	answerAfter?: Promise<unknown>;
}

export interface DeliveryResult {
	statusCode: number;
	body: unknown;
	/** The items the workflow would start with; undefined when nothing starts. */
	items?: IDataObject[];
}

export class TriggerUnderTest {
	readonly nodeType = new LipSyncTrigger();
	readonly workflow: Workflow;
	readonly node: INode;
	readonly workflowId: string;
	private readonly additionalData: IWorkflowExecuteAdditionalData;

	constructor(options: TriggerOptions) {
		const nodeType = this.nodeType;
		this.workflowId = options.workflowId ?? `trigger-workflow-${++workflowCount}`;
		const credentials: Record<string, ICredentialDataDecryptedObject> = {
			...(options.joggAi ? { joggAiApi: options.joggAi } : {}),
			...(options.vozo ? { vozoApi: options.vozo } : {}),
			...(options.credentials ?? {}),
		};
		this.node = {
			id: 'trigger-node-id',
			name: NODE_NAME,
			type: TYPE_NAME,
			typeVersion: options.typeVersion ?? 1,
			position: [0, 0],
			webhookId: options.webhookId ?? 'b3f4c1d2-0000-4000-8000-00000000abcd',
			parameters: options.parameters,
			credentials: Object.fromEntries(Object.keys(credentials).map((type) => [type, { id: `cred-${type}`, name: type }])),
		};
		const nodeTypes = {
			getByName: () => nodeType,
			getByNameAndVersion: (name: string, version?: number) => {
				if (name !== TYPE_NAME) throw new UnexpectedError(`unknown node type ${name}`);
				return NodeHelpers.getVersionedNodeType(nodeType, version);
			},
			getKnownTypes: () => ({}),
		};
		this.workflow = new Workflow({
			id: this.workflowId,
			name: 'Trigger test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: options.staticData ? { [`node:${NODE_NAME}`]: structuredClone(options.staticData) } : {},
			settings: { executionOrder: 'v1' },
		});
		// Parameters as n8n stores them: with the defaults of every shown parameter filled in.
		this.node.parameters = NodeHelpers.getNodeParameters(
			nodeType.description.properties,
			options.parameters,
			true,
			false,
			this.node,
			nodeType.description,
		) as INodeParameters;
		const base = (options.webhookBaseUrl ?? PUBLIC_WEBHOOK_BASE).replace(/\/webhook\/?$/, '');
		this.additionalData = {
			credentialsHelper: new HarnessCredentialsHelper(
				credentials,
				VENDOR_MODULES.map(({ adapter }) => adapter.credentialType),
			),
			executionId: 'trigger-test',
			workflowId: this.workflowId,
			currentNodeExecutionIndex: 0,
			restApiUrl: `${base}/rest`,
			instanceBaseUrl: `${base}/`,
			formBaseUrl: `${base}/form`,
			formWaitingBaseUrl: `${base}/form-waiting`,
			formTestBaseUrl: `${base}/form-test`,
			webhookBaseUrl: `${base}/webhook`,
			webhookWaitingBaseUrl: `${base}/webhook-waiting`,
			webhookTestBaseUrl: `${base}/webhook-test`,
			mcpBaseUrl: `${base}/mcp`,
			mcpTestBaseUrl: `${base}/mcp-test`,
			variables: {},
			externalSecretsProxy: new ExternalSecretsProxy(),
			logAiEvent: () => {},
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	/** The node's static data (what n8n saves to the database after activation or a delivery). */
	get staticData(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}

	/** The node's static data as n8n would save it (a JSON copy). */
	savedStaticData(): IDataObject {
		return JSON.parse(JSON.stringify(this.staticData)) as IDataObject;
	}

	/** n8n writes static data back to the database only when this flag is set. */
	get staticDataChanged(): boolean {
		return this.workflow.staticData.__dataChanged === true;
	}

	/** The production webhook URL, as the node sees it. */
	get webhookUrl(): string {
		return this.hook().getNodeWebhookUrl('default') ?? '';
	}

	private webhookData(method = 'POST', isTest = false): IWebhookData {
		const description = (this.nodeType.description.webhooks ?? []).find((webhook) => webhook.httpMethod === method);
		if (!description) throw new UnexpectedError(`the node declares no ${method} webhook (n8n would answer 404)`);
		return {
			isTest,
			httpMethod: method as IWebhookData['httpMethod'],
			node: NODE_NAME,
			path: `${this.node.webhookId}/callback`,
			webhookDescription: description,
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: this.additionalData,
			webhookId: this.node.webhookId,
		};
	}

	private hook(): HookContext {
		return new HookContext(this.workflow, this.node, this.additionalData, 'trigger', 'activate', this.webhookData());
	}

	async checkExists(): Promise<boolean> {
		await ensureN8nRuntime();
		return await this.nodeType.webhookMethods.default.checkExists.call(this.hook());
	}

	async create(): Promise<boolean> {
		await ensureN8nRuntime();
		return await this.nodeType.webhookMethods.default.create.call(this.hook());
	}

	async delete(): Promise<boolean> {
		await ensureN8nRuntime();
		return await this.nodeType.webhookMethods.default.delete.call(this.hook());
	}

	/** What n8n's WebhookService.createWebhookIfNotExists does on activation. */
	async activate(): Promise<void> {
		if (!(await this.checkExists())) await this.create();
	}

	async loadEvents() {
		await ensureN8nRuntime();
		const context = new LoadOptionsContext(this.workflow, this.node, this.additionalData, 'events');
		return await this.nodeType.methods.loadOptions.getJoggAiEvents.call(context);
	}

	/** Runs webhook() for one delivery, the way n8n's webhook helpers would answer it. */
	async receive(delivery: Delivery): Promise<DeliveryResult> {
		await ensureN8nRuntime();
		const rawBody = Buffer.isBuffer(delivery.body) ? delivery.body : Buffer.from(delivery.body);
		const headers: Record<string, string> = {
			'content-type': 'application/json',
			'content-length': String(rawBody.length),
		};
		for (const [name, value] of Object.entries(delivery.headers ?? {})) headers[name.toLowerCase()] = value;
		let parsed: unknown = {};
		try {
			parsed = JSON.parse(rawBody.toString('utf8'));
		} catch {
			parsed = {};
		}
		const method = delivery.method ?? 'POST';
		const request = { method, headers, query: delivery.query ?? {}, params: {}, body: parsed, rawBody };
		const response = new RecordingResponse();
		const additionalData = { ...this.additionalData, httpRequest: request, httpResponse: response };
		const context = new WebhookContext(
			this.workflow,
			this.node,
			additionalData as unknown as IWorkflowExecuteAdditionalData,
			delivery.endpoint === 'test' ? 'manual' : 'webhook',
			this.webhookData(method, delivery.endpoint === 'test'),
			[],
			null,
		);
		const result: IWebhookResponseData = await this.nodeType.webhook.call(context);
		if (result.noWebhookResponse) {
			if (!response.ended) throw new Error('webhook() claimed to answer but wrote no response');
			response.emit('finish');
			// Answered by the node itself; items it returns still start the workflow (n8n's webhook helpers).
			const started = result.workflowData?.[0]?.map((item) => item.json);
			return { statusCode: response.statusCode, body: response.body, ...(started ? { items: started } : {}) };
		}
		// n8n answers an accepted delivery once it started the execution (responseMode onReceived).
		const answer = async () => {
			await delivery.answerAfter;
			response.status(delivery.n8nAnswers ?? 200).json(result.webhookResponse);
			response.emit('finish');
		};
		if (delivery.answerAfter) void answer();
		else await answer();
		return {
			statusCode: delivery.n8nAnswers ?? 200,
			body: result.webhookResponse,
			items: result.workflowData?.[0]?.map((item) => item.json),
		};
	}

	/** Serves webhook() over real HTTP on 127.0.0.1 (any path); `started` collects the items. */
	async listen(): Promise<{ url: string; started: IDataObject[]; close: () => Promise<void> }> {
		const started: IDataObject[] = [];
		const server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const url = new URL(req.url ?? '/', 'http://127.0.0.1');
				const headers = Object.fromEntries(
					Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
				);
				this.receive({ body: Buffer.concat(chunks), headers, query: Object.fromEntries(url.searchParams) })
					.then((result) => {
						started.push(...(result.items ?? []));
						res.writeHead(result.statusCode, { 'content-type': 'application/json' });
						res.end(JSON.stringify(result.body ?? {}));
					})
					.catch((error: Error) => {
						res.writeHead(500).end(error.message);
					});
			});
		});
		server.listen(0, '127.0.0.1');
		await once(server, 'listening');
		const { port } = server.address() as AddressInfo;
		return {
			url: `http://127.0.0.1:${port}`,
			started,
			close: async () => {
				server.closeAllConnections();
				server.close();
				await once(server, 'close');
			},
		};
	}
}
