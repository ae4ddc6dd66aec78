/**
 * A vendor node's n8n context outside an execution: n8n-core's real LoadOptionsContext (the
 * context of list searches and option lists) over a one-node workflow holding the node under
 * test and its credential. `getCredentials()` and `httpRequestWithAuthentication()` are therefore
 * n8n-core's own code, and the context is what the engine's transport accepts as it is — so a
 * test can drive the transport, the limits and the scheduler with real HTTP to the sandbox and
 * a virtual clock (`openSession(ctx, adapter, { clock, … })`).
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ILoadOptionsFunctions,
	INode,
	INodeParameters,
	INodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { ExternalSecretsProxy, LoadOptionsContext } from 'n8n-core';

import { HarnessCredentialsHelper } from './credentialsHelper';
import { oneNodeWorkflow } from './oneNodeWorkflow';
import { ensureN8nRuntime } from './runtime';

export interface VendorContextOptions {
	nodeType: INodeType;
	credentialType: ICredentialType;
	/** Decrypted credential data, e.g. `{ apiKey, baseUrl }`. */
	credentials: ICredentialDataDecryptedObject;
	/** The node's parameters as the editor holds them while loading options. */
	parameters?: INodeParameters;
}

export async function vendorContext(options: VendorContextOptions): Promise<ILoadOptionsFunctions> {
	await ensureN8nRuntime();
	const { nodeType, credentialType } = options;
	const typeName = `n8n-nodes-lipsync.${nodeType.description.name}`;
	const node: INode = {
		id: 'vendor-node',
		name: nodeType.description.defaults.name ?? nodeType.description.displayName,
		type: typeName,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType.name]: { id: `cred-${credentialType.name}`, name: credentialType.name } },
	};
	node.parameters = NodeHelpers.getNodeParameters(
		nodeType.description.properties,
		options.parameters ?? {},
		true,
		false,
		node,
		nodeType.description,
	) as INodeParameters;
	const workflow = oneNodeWorkflow('vendor-context-workflow', 'Vendor context', node, nodeType);
	const additionalData = {
		credentialsHelper: new HarnessCredentialsHelper({ [credentialType.name]: options.credentials }, [credentialType]),
		currentNodeParameters: node.parameters,
		executionId: 'vendor-context',
		workflowId: workflow.id,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		variables: {},
		externalSecretsProxy: new ExternalSecretsProxy(),
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
	return new LoadOptionsContext(workflow, node, additionalData, 'parameters');
}
