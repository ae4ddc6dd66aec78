/**
 * Runs one node class through n8n-core's real WorkflowExecute: a two-node Workflow
 * (Harness Input → node under test) executed with processRunExecutionData, the same call n8n's
 * WorkflowRunner makes. Retry On Fail, On Error, parameter defaults and expressions, paired
 * items, getContext('node'), putExecutionToWait and cancellation are therefore n8n's own code.
 * See README.md for what is real and what is a stand-in.
 */
import { randomUUID } from 'node:crypto';
import type {
	ExecutionStatus,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IRunData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, NodeHelpers, UnexpectedError, Workflow } from 'n8n-workflow';
import { ExecutionLifecycleHooks, ExternalSecretsProxy, WorkflowExecute } from 'n8n-core';

import { HarnessCredentialsHelper } from './credentialsHelper';
import { ensureN8nRuntime } from './runtime';

export interface RunNodeOptions {
	/** The node class instance under test, e.g. `new Vozo()`. */
	nodeType: INodeType | IVersionedNodeType;
	/** Default `n8n-nodes-lipsync.<description.name>`, the type name n8n gives our package's nodes. */
	typeName?: string;
	/** Default: the node's defaultVersion or highest version. */
	typeVersion?: number;
	/** The node's parameters as saved in a workflow; missing ones get their defaults, `={{ }}` works. */
	parameters?: INodeParameters;
	/** Decrypted credential data by credential type name, e.g. `{ vozoApi: { apiKey, baseUrl } }`. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Our credential classes, so their `authenticate` and property defaults are applied. */
	credentialTypes?: ICredentialType[];
	/** Items the node receives (default one empty item). Binary: see makeBinaryInputItem. */
	inputItems?: INodeExecutionData[];
	/** Node settings "Retry On Fail", "Max. Tries", "Wait Between Tries (ms)". */
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	/** Node setting "On Error: Continue" (`onError: 'continueRegularOutput'`). */
	continueOnFail?: boolean;
	/** Overrides continueOnFail, e.g. 'continueErrorOutput'. */
	onError?: INode['onError'];
	/** Aborting it stops the execution as the Stop button does (WorkflowExecute's cancel()). */
	abortSignal?: AbortSignal;
	/** Default 'manual' (a test run from the editor). */
	mode?: WorkflowExecuteMode;
	/** Base URL the instance pretends to have; `$execution.resumeUrl` is built from it. */
	instanceBaseUrl?: string;
	/** Workflow settings (e.g. `saveDataSuccessExecution: 'none'`), merged over executionOrder v1. */
	settings?: IWorkflowSettings;
}

export interface RunNodeResult {
	/** Main outputs of the node under test (its last run); undefined if it did not finish. */
	output: INodeExecutionData[][] | undefined;
	/**
	 * The execution's error, else the node's own (continueOnFail). As n8n stores it: a plain copy
	 * of the thrown error with `name`, `message`, `description`, `httpCode`, `context`…
	 */
	error?: Error & IDataObject;
	/** Every run of every node, keyed by node name (input node included). */
	runData: IRunData;
	/** Set when the node called putExecutionToWait. */
	waitTill?: Date;
	/** 'success' | 'error' | 'canceled' | 'waiting' … */
	executionStatus: ExecutionStatus;
	/** The name of the node under test inside the workflow (its key in runData). */
	nodeName: string;
	/** `$execution.resumeUrl` of this execution (for put-to-wait / callback tests). */
	resumeUrl: string;
	/** The full IRun returned by WorkflowExecute (absent if the workflow was refused). */
	run?: IRun;
}

const INPUT_NODE_TYPE = 'n8n-nodes-lipsync-harness.input';

/** The start node: emits the items it was started with, as a trigger does in production. */
const harnessInputNode: INodeType = {
	description: {
		displayName: 'Harness Input',
		name: 'harnessInput',
		group: ['trigger'],
		version: 1,
		description: 'Feeds the test items into the node under test',
		defaults: { name: 'Harness Input' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	},
	async execute() {
		return [this.getInputData()];
	},
};

let executionCounter = 0;

function defaultVersion(nodeType: INodeType | IVersionedNodeType): number {
	const { description } = nodeType;
	if ('defaultVersion' in description && description.defaultVersion !== undefined) {
		return description.defaultVersion;
	}
	const { version } = description as INodeType['description'];
	return Array.isArray(version) ? Math.max(...version) : version;
}

function notInHarness(what: string) {
	return async () => {
		throw new UnexpectedError(`Harness: ${what} is not available`);
	};
}

export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	await ensureN8nRuntime();
	const { nodeType } = options;
	const typeName = options.typeName ?? `n8n-nodes-lipsync.${nodeType.description.name}`;
	const typeVersion = options.typeVersion ?? defaultVersion(nodeType);
	const mode = options.mode ?? 'manual';
	const baseUrl = (options.instanceBaseUrl ?? 'http://127.0.0.1:5678').replace(/\/$/, '');
	const executionId = String(++executionCounter);

	const nodeTypes: INodeTypes = {
		getByName: (name) => (name === INPUT_NODE_TYPE ? harnessInputNode : nodeType),
		getByNameAndVersion: (name, version) => {
			if (name === INPUT_NODE_TYPE) return harnessInputNode;
			if (name !== typeName) throw new UnexpectedError(`Harness: unknown node type "${name}"`);
			return NodeHelpers.getVersionedNodeType(nodeType, version);
		},
		getKnownTypes: () => ({}),
	};

	const inputNode: INode = {
		id: randomUUID(),
		name: 'Harness Input',
		type: INPUT_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const described = NodeHelpers.getVersionedNodeType(nodeType, typeVersion).description;
	const nodeName = (described.defaults.name as string | undefined) ?? described.displayName;
	const nodeUnderTest: INode = {
		id: randomUUID(),
		name: nodeName,
		type: typeName,
		typeVersion,
		position: [220, 0],
		parameters: options.parameters ?? {},
		credentials: Object.fromEntries(
			Object.keys(options.credentials ?? {}).map((type) => [
				type,
				{ id: `cred-${type}`, name: type },
			]),
		),
		retryOnFail: options.retryOnFail,
		maxTries: options.maxTries,
		waitBetweenTries: options.waitBetweenTries,
		onError: options.onError ?? (options.continueOnFail ? 'continueRegularOutput' : undefined),
	};

	const workflowData: IWorkflowBase = {
		id: 'harness-workflow',
		name: `Harness: ${nodeName}`,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [inputNode, nodeUnderTest],
		connections: {
			[inputNode.name]: { main: [[{ node: nodeName, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1', ...options.settings },
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes });

	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const additionalData: IWorkflowExecuteAdditionalData = {
		credentialsHelper: new HarnessCredentialsHelper(
			options.credentials ?? {},
			options.credentialTypes ?? [],
		),
		hooks,
		executionId,
		workflowId: workflowData.id,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${baseUrl}/rest`,
		instanceBaseUrl: `${baseUrl}/`,
		formBaseUrl: `${baseUrl}/form`,
		formWaitingBaseUrl: `${baseUrl}/form-waiting`,
		formTestBaseUrl: `${baseUrl}/form-test`,
		webhookBaseUrl: `${baseUrl}/webhook`,
		webhookWaitingBaseUrl: `${baseUrl}/webhook-waiting`,
		webhookTestBaseUrl: `${baseUrl}/webhook-test`,
		mcpBaseUrl: `${baseUrl}/mcp`,
		mcpTestBaseUrl: `${baseUrl}/mcp-test`,
		variables: {},
		externalSecretsProxy: new ExternalSecretsProxy(),
		executeWorkflow: notInHarness('executeWorkflow (sub-workflows)'),
		getRunExecutionData: notInHarness('getRunExecutionData'),
		getRuntimeCredential: notInHarness('getRuntimeCredential'),
		startRunnerTask: notInHarness('startRunnerTask (task runners)'),
		logAiEvent: () => {},
	};

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: inputNode, data: { main: [options.inputItems ?? [{ json: {} }]] }, source: null },
			],
		},
	});
	const resumeUrl = `${additionalData.webhookWaitingBaseUrl}/${executionId}?signature=${runExecutionData.resumeToken}`;

	const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
	let run: IRun;
	try {
		// n8n's Stop button ends in ActiveExecutions.stopExecution → this PCancelable's cancel(),
		// which aborts WorkflowExecute's AbortController: the signal nodes get from
		// getExecutionCancelSignal(), which httpRequestWithAuthentication puts on its request.
		const execution = workflowExecute.processRunExecutionData(workflow);
		const stop = () => execution.cancel();
		if (options.abortSignal?.aborted) stop();
		options.abortSignal?.addEventListener('abort', stop, { once: true });
		try {
			run = await execution;
		} finally {
			options.abortSignal?.removeEventListener('abort', stop);
		}
	} catch (error) {
		// Raised before the execution starts, e.g. WorkflowHasIssuesError for a missing required
		// parameter (n8n refuses to start such a workflow).
		return {
			output: undefined,
			error: error as Error & IDataObject,
			runData: {},
			executionStatus: 'error',
			nodeName,
			resumeUrl,
		};
	}

	const runData = run.data.resultData.runData;
	const lastRun = runData[nodeName]?.at(-1);
	return {
		output: lastRun?.data?.main as INodeExecutionData[][] | undefined,
		error: (run.data.resultData.error ?? lastRun?.error) as (Error & IDataObject) | undefined,
		runData,
		waitTill: run.waitTill ?? undefined,
		executionStatus: run.status,
		nodeName,
		resumeUrl,
		run,
	};
}
