import type { IHttpRequestMethods, IWebhookDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/**
 * What a vendor node adds to its class when its adapter offers callback waiting
 * (`callback`): the resume webhook the vendor's callback lands on, and the webhook
 * lifecycle n8n requires of every node with webhooks. `execute` (router) and `webhook`
 * (callbackResume) are shared already.
 */

/**
 * n8n's resume URL of a parked execution arrives here (a restart webhook, like n8n's Wait node):
 * the callback by POST, and a vendor's check of the URL (`checkMethods`, e.g. GET and HEAD) that
 * answerCallbackCheck answers without resuming anything. n8n picks the webhook by method.
 */
export function callbackResumeWebhooks(checkMethods: readonly IHttpRequestMethods[] = []): IWebhookDescription[] {
	return (['POST', ...checkMethods] as IHttpRequestMethods[]).map((httpMethod) => ({
		name: 'default',
		httpMethod,
		responseMode: 'onReceived',
		responseData: '',
		path: '',
		restartWebhook: true,
		isFullPath: true,
	}));
}

const CHECK_ANSWER = { ok: true };

/**
 * A GET or HEAD to a callback URL is a check that the URL answers, never a callback: answered
 * 200 with nothing started or resumed (n8n starts or resumes only on returned workflowData).
 */
export function answerCallbackCheck(ctx: IWebhookFunctions): IWebhookResponseData | undefined {
	const method = String(ctx.getRequestObject().method ?? '').toUpperCase();
	if (method !== 'GET' && method !== 'HEAD') return undefined;
	return { webhookResponse: CHECK_ANSWER };
}

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
