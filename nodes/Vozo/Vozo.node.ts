import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import type { CreateRequest } from '../shared/adapter';
import { resumeFromCallback } from '../shared/operations/callbackResume';
import { isCallbackWait, waitForVendorCallback, withCallbackWait } from '../shared/operations/callbackWait';
import { buildLipSyncProperties } from '../shared/operations/description';
import { runLipSyncOperation } from '../shared/operations/router';
import { vozoAdapter } from './vozo.adapter';
import { rememberVozoCallbackJobs } from './vozo.triggerJobs';

/** Vozo calls `callback_url` on every status change; n8n's resume URL goes in verbatim (it carries the token). */
const setVozoCallbackUrl = (request: CreateRequest, url: string): CreateRequest => ({
	...request,
	body: { ...(request.body ?? {}), callback_url: url },
});

export class Vozo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Vozo',
		name: 'vozo',
		icon: { light: 'file:vozo.svg', dark: 'file:vozo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ { create: "Create", get: "Get Status", wait: "Wait", createAndWait: "Create and Wait" }[$parameter["operation"]] }}',
		description: 'Create Vozo lip-sync videos and wait for many jobs at once',
		defaults: { name: 'Vozo' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'vozoApi', required: true }],
		// Create and Wait with Wait By "Vendor Callback" parks the execution; Vozo's callback to
		// $execution.resumeUrl arrives here (a restart webhook, like n8n's Wait node).
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: '',
				path: '',
				restartWebhook: true,
				isFullPath: true,
			},
		],
		properties: withCallbackWait(buildLipSyncProperties(vozoAdapter), vozoAdapter),
	};

	// The resume webhook is registered by n8n per waiting execution: nothing to set up at Vozo.
	webhookMethods = {
		default: {
			async checkExists(): Promise<boolean> {
				return true;
			},
			async create(): Promise<boolean> {
				return true;
			},
			async delete(): Promise<boolean> {
				return true;
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (isCallbackWait(this)) return await waitForVendorCallback(this, vozoAdapter, setVozoCallbackUrl);
		const output = await runLipSyncOperation.call(this, vozoAdapter);
		// Tells the Lip Sync Trigger which job each callback reference is for, so it can confirm callbacks.
		rememberVozoCallbackJobs(output[0] ?? []);
		return output;
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeFromCallback(this, vozoAdapter);
	}
}
