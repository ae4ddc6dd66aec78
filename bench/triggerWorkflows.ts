/**
 * The workflows of the trigger part: our Lip Sync Trigger (JoggAI mode), what a user would build
 * without it (Webhook with the raw body → Crypto HMAC-SHA256 → If signature matches and the signed
 * timestamp is fresh → Remove Duplicates by event id), n8n's plain Webhook node (checks nothing:
 * n8n's ceiling) and the same Webhook node with one expression (n8n then runs the webhook phase in
 * a V8 isolate, as it does for every trigger but the plain Webhook node).
 */
export const TRIGGER_WEBHOOK_ID = 'bench-lipsync-trigger-0001';
export const EVENT = 'generated_lip_sync_video_success';
/** The trigger's default Max Delivery Age; the hand-built If checks the same. */
const MAX_AGE_MS = 300_000;

const link = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });
const ref = (credential: { id: string; name: string }) => ({ id: credential.id, name: credential.name });

export function triggerWorkflow(credential: { id: string; name: string }, typeVersion = 1, extraParameters: Record<string, unknown> = {}) {
	return {
		name: 'bench: Lip Sync Trigger (JoggAI)',
		nodes: [
			{
				id: 'bench-trigger',
				name: 'Lip Sync Trigger',
				type: 'n8n-nodes-lipsync.lipSyncTrigger',
				typeVersion,
				position: [0, 0],
				webhookId: TRIGGER_WEBHOOK_ID,
				parameters: { vendor: 'joggai', events: [EVENT], ...extraParameters },
				credentials: { joggAiApi: ref(credential) },
			},
		],
		connections: {},
	};
}

export const webhookNode = (id: string, path: string, options: Record<string, unknown>) => ({
	id,
	name: 'Webhook',
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	position: [0, 0],
	webhookId: `bench-${path}-0001`,
	parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options },
});

export const plainWebhookWorkflow = () => ({ name: 'bench: n8n Webhook node', nodes: [webhookNode('bench-webhook', 'bench-webhook', {})], connections: {} });

export const expressionWebhookWorkflow = () => ({
	name: 'bench: n8n Webhook node with an expression',
	// Evaluates to the default; only makes the parameters non-static.
	nodes: [webhookNode('bench-webhook-expression', 'bench-webhook-expression', { ignoreBots: '={{ false }}' })],
	connections: {},
});

export const USER_BUILT_PATH = 'bench-user-built';

/** What a user builds without our trigger; `cryptoCredential` holds the endpoint's secret. */
export function userBuiltWorkflow(cryptoCredential: { id: string; name: string }) {
	const timestampMs = '($json.body.timestamp < 1e12 ? $json.body.timestamp * 1000 : $json.body.timestamp)';
	return {
		name: 'bench: hand-built signed webhook (Crypto, If, Remove Duplicates)',
		nodes: [
			// Raw body: the signature covers the bytes as sent, not JSON serialized again.
			{ ...webhookNode('bench-user-webhook', USER_BUILT_PATH, { rawBody: true }), position: [0, 0] },
			{
				id: 'bench-user-hmac',
				name: 'HMAC',
				type: 'n8n-nodes-base.crypto',
				typeVersion: 2,
				position: [220, 0],
				parameters: { action: 'hmac', binaryData: true, binaryPropertyName: 'data', type: 'SHA256', dataPropertyName: 'signature', encoding: 'hex' },
				credentials: { crypto: ref(cryptoCredential) },
			},
			{
				id: 'bench-user-if',
				name: 'Genuine and fresh?',
				type: 'n8n-nodes-base.if',
				typeVersion: 2,
				position: [440, 0],
				parameters: {
					conditions: {
						options: { caseSensitive: true, leftValue: '', typeValidation: 'loose' },
						conditions: [
							{
								id: 'signature',
								leftValue: '={{ $json.signature }}',
								rightValue: "={{ $json.headers['x-webhook-signature'] }}",
								operator: { type: 'string', operation: 'equals' },
							},
							{
								id: 'fresh',
								leftValue: `={{ Math.abs(Date.now() - ${timestampMs}) }}`,
								rightValue: MAX_AGE_MS,
								operator: { type: 'number', operation: 'lte' },
							},
						],
						combinator: 'and',
					},
					options: {},
				},
			},
			{
				id: 'bench-user-dedupe',
				name: 'Remove Duplicates',
				type: 'n8n-nodes-base.removeDuplicates',
				typeVersion: 2,
				position: [660, 0],
				parameters: {
					operation: 'removeItemsSeenInPreviousExecutions',
					logic: 'removeItemsWithAlreadySeenKeyValues',
					dedupeValue: '={{ $json.body.event_id }}',
					options: {},
				},
			},
		],
		connections: { Webhook: link('HMAC'), HMAC: link('Genuine and fresh?'), 'Genuine and fresh?': link('Remove Duplicates') },
	};
}
