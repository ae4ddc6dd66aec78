import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IHookFunctions,
	ILoadOptionsFunctions,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { loadJoggAiEvents } from './joggAi.eventList';
import { receiveJoggAiEvent } from './joggAi.mode';
import { JOGGAI_CREDENTIAL } from './joggAi.request';
import { createJoggAiEndpoint, deleteJoggAiEndpoint, joggAiEndpointExists } from './registration';
import { receiveVozoCallback } from './vozo.mode';

/** Only JoggAI keeps a registration with the vendor; Vozo is given the URL per job. */
const usesJoggAi = (context: IHookFunctions): boolean => context.getNodeParameter('vendor') === 'joggai';

export class LipSyncTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Lip Sync Trigger',
		name: 'lipSyncTrigger',
		icon: { light: 'file:lipSyncTrigger.svg', dark: 'file:lipSyncTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["vendor"] === "joggai" ? "JoggAI events" : "Vozo callbacks" }}',
		description: 'Starts the workflow when a lip-sync video job finishes (Vozo callbacks, JoggAI webhooks)',
		defaults: { name: 'Lip Sync Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: JOGGAI_CREDENTIAL,
				required: true,
				displayOptions: { show: { vendor: ['joggai'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// Answer at once: JoggAI retries anything slower than 5 s.
				responseMode: 'onReceived',
				// With '' n8n answers with the node's own webhookResponse instead of "firstEntryJson".
				responseData: '',
				path: 'callback',
			},
		],
		properties: [
			{
				displayName: 'Vendor',
				name: 'vendor',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'JoggAI',
						value: 'joggai',
						description: 'Registers this trigger as a JoggAI webhook endpoint while the workflow is active',
					},
					{
						name: 'Vozo',
						value: 'vozo',
						description: "Receives the callbacks of Vozo jobs created with this trigger's URL as their Callback URL",
					},
				],
				default: 'vozo',
			},
			{
				displayName:
					'Copy the Production URL above (Webhook URLs) into the Vozo node\'s "Callback URL" option. If you set a token below, add it to the URL: ...callback?token=YOUR_TOKEN. The workflow starts with the finished job; the Vozo node\'s "callbackReference" output matches this trigger\'s "callbackReference".',
				name: 'vozoNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { vendor: ['vozo'] } },
			},
			{
				displayName: 'Token',
				name: 'token',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'Optional shared secret. When set, only callbacks whose URL carries ?token=&lt;this value&gt; start the workflow; others get HTTP 401.',
				displayOptions: { show: { vendor: ['vozo'] } },
			},
			{
				displayName: 'Include Intermediate Statuses',
				name: 'includeIntermediate',
				type: 'boolean',
				default: false,
				description:
					'Whether to also start the workflow for "pending" and "processing" callbacks, not only for finished (succeeded or failed) jobs',
				displayOptions: { show: { vendor: ['vozo'] } },
			},
			{
				displayName:
					'JoggAI delivers webhooks only to public https URLs: n8n must run with WEBHOOK_URL set to its public https address. Activating the workflow registers the endpoint with JoggAI; deactivating removes it.',
				name: 'joggAiNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { vendor: ['joggai'] } },
			},
			{
				displayName: 'Event Names or IDs',
				name: 'events',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getJoggAiEvents' },
				required: true,
				default: [],
				description:
					'The JoggAI events to receive. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { vendor: ['joggai'] } },
			},
		],
	};

	methods = {
		loadOptions: {
			async getJoggAiEvents(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return await loadJoggAiEvents.call(this);
			},
		},
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return usesJoggAi(this) ? await joggAiEndpointExists.call(this) : true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return usesJoggAi(this) ? await createJoggAiEndpoint.call(this) : true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return usesJoggAi(this) ? await deleteJoggAiEndpoint.call(this) : true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const vendor = this.getNodeParameter('vendor', 'vozo') as string;
		return vendor === 'joggai' ? receiveJoggAiEvent.call(this) : receiveVozoCallback.call(this);
	}
}
