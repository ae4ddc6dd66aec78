import type { IWebhookDescription } from 'n8n-workflow';

/**
 * What a vendor node adds to its class when its adapter offers callback waiting
 * (`setCallbackUrl`): the resume webhook the vendor's callback lands on, and the webhook
 * lifecycle n8n requires of every node with webhooks. `execute` (router) and `webhook`
 * (callbackResume) are shared already.
 */

/** n8n's resume URL of a parked execution arrives here (a restart webhook, like n8n's Wait node). */
export const callbackResumeWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		responseData: '',
		path: '',
		restartWebhook: true,
		isFullPath: true,
	},
];

/** n8n registers the resume webhook per waiting execution: nothing to register with the vendor. */
export const callbackResumeWebhookMethods = {
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
