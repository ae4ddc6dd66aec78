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
import { vozoAdapter } from './vozo.adapter';
import { VOZO_CALLBACK_CHECK_METHODS } from './vozo.assumptions';

export class Vozo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Vozo',
		name: 'vozo',
		icon: { light: 'file:vozo.svg', dark: 'file:vozo.dark.svg' },
		group: ['transform'],
		version: LIP_SYNC_NODE_VERSIONS,
		defaultVersion: LIP_SYNC_DEFAULT_VERSION,
		subtitle: LIP_SYNC_SUBTITLE,
		description: 'Create Vozo lip-sync videos and wait for many jobs at once',
		defaults: { name: 'Vozo' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'vozoApi', required: true }],
		// Create and Wait with Wait By "Vendor Callback" parks the execution on n8n's resume URL;
		// Vozo's check of that URL (GET/HEAD, an assumption) is answered without resuming.
		webhooks: callbackResumeWebhooks(VOZO_CALLBACK_CHECK_METHODS),
		properties: buildLipSyncProperties(vozoAdapter),
	};

	webhookMethods = callbackResumeWebhookMethods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runLipSyncOperation.call(this, vozoAdapter);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeFromCallback(this, vozoAdapter);
	}
}
