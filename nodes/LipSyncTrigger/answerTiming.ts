import type { IDataObject, INodeProperties, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/**
 * When an accepted delivery is answered. n8n's own way (responseMode onReceived) answers only
 * once `WorkflowRunner.run` returned: the execution saved and started. Under a burst that step
 * waits behind the executions already running on n8n's main thread (measured in n8n 2.41.1: 2–2.8
 * s on an idle machine at 20 deliveries a second with one expression node after the trigger,
 * 11–37 s on a busy one; docs/n8n.md, "A trigger under bursts"), past a 5 s deadline such as
 * JoggAI's. Answering at once writes the 2xx before handing the items to n8n: the answer then
 * costs only the trigger's own checks. What that gives up: if n8n then fails to start the
 * execution, the vendor has its 2xx and does not send the event again.
 */
export type AnswerTiming = 'atOnce' | 'afterStart';

export const DEFAULT_ANSWER_TIMING: AnswerTiming = 'atOnce';

/** An option of a mode's Options collection (`options.answer`). */
export function answerTimingOption(deadline: string): INodeProperties {
	return {
		displayName: 'Answer',
		name: 'answer',
		type: 'options',
		options: [
			{
				name: 'At Once',
				value: 'atOnce',
				description: `Answer 200 as soon as the delivery passed the checks, then start the workflow: answered within ${deadline} also under bursts, but an execution n8n fails to start (a database error, a restart in that moment) is not sent again`,
			},
			{
				name: 'Once the Workflow Started',
				value: 'afterStart',
				description: `Answer 200 only once n8n saved and started the execution, and an error if it could not, so the vendor sends the event again; under bursts n8n may answer later than ${deadline}`,
			},
		],
		default: DEFAULT_ANSWER_TIMING,
		description: 'When an accepted delivery is answered',
	};
}

export function answerTiming(ctx: IWebhookFunctions): AnswerTiming {
	const options = (ctx.getNodeParameter('options', {}) ?? {}) as IDataObject;
	return options.answer === 'afterStart' ? 'afterStart' : DEFAULT_ANSWER_TIMING;
}

interface OutboundResponse {
	status(code: number): OutboundResponse;
	json(body: unknown): unknown;
}

/**
 * Accepted, answered now: the node writes the 200 itself and n8n, seeing `noWebhookResponse`,
 * sends nothing more and starts the workflow with the items (n8n's webhook-helpers.js).
 */
export function acceptAtOnce(ctx: IWebhookFunctions, items: IDataObject[]): IWebhookResponseData {
	const response = ctx.getResponseObject() as unknown as OutboundResponse;
	response.status(200).json({ received: true });
	return { noWebhookResponse: true, workflowData: [items.map((json) => ({ json }))] };
}
