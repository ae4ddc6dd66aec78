/**
 * Delivers a callback to a vendor node's webhook() (any registered vendor whose adapter declares
 * the `callback` capability; the vendor is the one whose credential the delivery carries) the way n8n's WaitingWebhooks does for a
 * parked execution: n8n-core's real WebhookContext, built over the *persisted* run data of a
 * harness run that ended `waiting` (JSON round trip, as the database stores it). customData,
 * `$json`, parameters, credentials, httpRequestWithAuthentication and the binary store are
 * therefore n8n-core's own code.
 *
 * Stand-ins for n8n's HTTP server: the request is a plain object with what n8n's body parser
 * leaves on it (parsed `body`, `rawBody`, headers, query); the response records what the node
 * writes; n8n's answer rules for `webhookResponse` / `noWebhookResponse` are applied here.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	IRunExecutionData,
	IWebhookData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';
import { ExternalSecretsProxy, WebhookContext } from 'n8n-core';

import { LIP_SYNC_DEFAULT_VERSION } from '../../nodes/shared/operations/description';
import { ensureN8nRuntime, type RunNodeResult } from '../harness';
import { HarnessCredentialsHelper } from '../harness/credentialsHelper';
import { oneNodeWorkflow } from '../harness/oneNodeWorkflow';
import { RecordingResponse } from '../harness/recordingResponse';
import { registeredNodes } from '../registry/registeredNodes';
import { vendorFiles } from '../registry/vendorFiles';

export interface ResumeDelivery {
	/** The parked run (runNode result with executionStatus 'waiting'). */
	parked: RunNodeResult;
	/** The node parameters of that run. */
	parameters: IDataObject;
	/** One credential, keyed by its type name (`<name>Api`): it picks the vendor node. */
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** The callback body (parsed JSON, as n8n's body parser leaves it). */
	body: unknown;
	/** Default POST; n8n's waiting-webhook lookup picks the node's restart webhook for this method. */
	method?: string;
}

export interface ResumeAnswer {
	/** What the caller (the vendor) gets back. */
	statusCode: number;
	body: unknown;
	/** Items the execution resumes with; undefined while it keeps waiting. */
	items?: INodeExecutionData[];
}

export async function deliverCallback({ parked, parameters, credentials, body, method = 'POST' }: ResumeDelivery): Promise<ResumeAnswer> {
	await ensureN8nRuntime();
	if (!parked.run) throw new UnexpectedError('the parked run has no run data');
	const [credentialName] = Object.keys(credentials);
	const vendor = registeredNodes().find(({ adapter }) => adapter.credentialName === credentialName);
	if (!vendor?.adapter.callback) throw new UnexpectedError(`no registered vendor with callbacks uses the credential ${credentialName}`);
	const nodeType = vendor.node();
	const node: INode = {
		id: `${vendor.name}-node`,
		name: parked.nodeName,
		type: vendorFiles(vendor.adapter).nodeType,
		typeVersion: LIP_SYNC_DEFAULT_VERSION,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialName]: { id: `cred-${credentialName}`, name: credentialName } },
	};
	node.parameters = NodeHelpers.getNodeParameters(nodeType.description.properties, parameters as INode['parameters'], true, false, node, nodeType.description)!;
	const workflow = oneNodeWorkflow('harness-workflow', 'Resume test', node, nodeType);

	const resumeUrl = new URL(parked.resumeUrl);
	const executionId = resumeUrl.pathname.split('/').at(-1)!;
	const base = resumeUrl.origin;
	const response = new RecordingResponse();
	const additionalData = {
		credentialsHelper: new HarnessCredentialsHelper(credentials, [vendor.adapter.credentialType]),
		executionId,
		workflowId: workflow.id,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		variables: {},
		externalSecretsProxy: new ExternalSecretsProxy(),
		httpRequest: {
			body,
			rawBody: Buffer.from(JSON.stringify(body)),
			headers: { 'content-type': 'application/json' },
			query: Object.fromEntries(resumeUrl.searchParams),
			params: {},
			method,
		},
		httpResponse: response,
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
	// As n8n's WaitingWebhooks picks it: the request's method, path '', a restart webhook.
	const webhookDescription = nodeType.description.webhooks!.find((w) => w.httpMethod === method && w.path === '' && w.restartWebhook === true);
	if (!webhookDescription) throw new UnexpectedError(`no waiting webhook for ${method} (n8n would answer 404)`);
	const webhookData: IWebhookData = {
		httpMethod: method as IWebhookData['httpMethod'],
		node: node.name,
		path: '',
		webhookDescription,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
	};
	// As loaded from the database: a JSON copy (dates become strings, no shared objects).
	const runExecutionData = JSON.parse(JSON.stringify(parked.run.data)) as IRunExecutionData;
	const context = new WebhookContext(workflow, node, additionalData, 'manual', webhookData, [], runExecutionData);
	if (!nodeType.webhook) throw new UnexpectedError(`the ${vendor.name} node has no webhook() for callbacks`);
	const result = await nodeType.webhook.call(context);

	const items = result.workflowData?.[0];
	if (result.noWebhookResponse) return { statusCode: response.statusCode, body: response.body, items };
	return { statusCode: 200, body: result.webhookResponse ?? { message: 'Webhook call received' }, items };
}
