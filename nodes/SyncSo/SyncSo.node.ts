import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { callbackResumeWebhookMethods, callbackResumeWebhooks } from '../shared/operations/callbackNode';
import { resumeFromCallback } from '../shared/operations/callbackResume';
import {
	buildLipSyncProperties,
	LIP_SYNC_DEFAULT_VERSION,
	LIP_SYNC_NODE_VERSIONS,
	LIP_SYNC_SUBTITLE,
} from '../shared/operations/description';
import { runLipSyncOperation } from '../shared/operations/router';
import { syncSoAdapter } from './syncSo.adapter';

export class SyncSo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'sync.so',
		name: 'syncSo',
		icon: { light: 'file:syncSo.svg', dark: 'file:syncSo.dark.svg' },
		group: ['transform'],
		version: LIP_SYNC_NODE_VERSIONS,
		defaultVersion: LIP_SYNC_DEFAULT_VERSION,
		subtitle: LIP_SYNC_SUBTITLE,
		description: 'Create sync.so lip-sync videos and wait for many jobs at once',
		defaults: { name: 'sync.so' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'syncSoApi', required: true }],
		// Create and Wait with Wait By "Vendor Callback" parks the execution on n8n's resume URL,
		// which sync.so's webhook then calls.
		webhooks: callbackResumeWebhooks(),
		properties: buildLipSyncProperties(syncSoAdapter),
	};

	webhookMethods = callbackResumeWebhookMethods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runLipSyncOperation.call(this, syncSoAdapter);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeFromCallback(this, syncSoAdapter);
	}
}
