import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IHookFunctions, INodeProperties, IWebhookFunctions } from 'n8n-workflow';

import { queryValue } from '../LipSyncTrigger/inbound';
import { secretsMatch } from '../LipSyncTrigger/signature';
import {
	callbackSecretOf,
	isValidCallbackSignature,
	MIN_CALLBACK_SECRET_LENGTH,
	VOZO_CALLBACK_REFERENCE_PARAM,
	VOZO_CALLBACK_SIGNATURE_PARAM,
	weakSecretReason,
} from './vozo.callback';

/**
 * How the Vozo mode of the Lip Sync Trigger tells Vozo's callbacks from anyone else's POST
 * (Vozo signs nothing, docs/vendors.md):
 * - "signature" (default from node version 1.1): each callback URL carries its reference and an
 *   HMAC of it keyed by the Vozo credential's Callback Secret (vozo.callback.ts). The secret lives
 *   only in that credential, encrypted by n8n; the workflow holds nothing secret, and a leaked URL
 *   opens only its own job.
 * - "token" (version 1's default, kept so saved workflows keep working): one shared token, a node
 *   parameter, in every callback URL. It is stored in the workflow, its exports and every
 *   execution's workflow snapshot, and a leaked URL opens the trigger to any status. README:
 *   "Migrating from the Token".
 * - "none": anyone holding the URL.
 */

export type CallbackAuth = 'signature' | 'token' | 'none';

const TOKEN_QUERY_PARAM = 'token';
const MIN_TOKEN_LENGTH = 16;

/** Version 1 nodes were saved while the token was the default (n8n does not store a default). */
const defaultCallbackAuth = (ctx: IWebhookFunctions | IHookFunctions): CallbackAuth =>
	ctx.getNode().typeVersion >= 1.1 ? 'signature' : 'token';

export function callbackAuth(ctx: IWebhookFunctions | IHookFunctions): CallbackAuth {
	const value = ctx.getNodeParameter('callbackAuth', defaultCallbackAuth(ctx));
	return value === 'none' || value === 'signature' ? value : 'token';
}

export const usesCredentialSecret = (ctx: IWebhookFunctions | IHookFunctions): boolean => callbackAuth(ctx) === 'signature';

async function callbackSecret(ctx: IWebhookFunctions | IHookFunctions, credentialName: string): Promise<string> {
	if (ctx.getNode().credentials?.[credentialName] === undefined) return '';
	return callbackSecretOf((await ctx.getCredentials(credentialName)) as IDataObject);
}

/** Activation refuses a mode without a usable secret, rather than answering every callback 401. */
export async function checkCallbackAuthSetting(this: IHookFunctions, credentialName: string): Promise<void> {
	const auth = callbackAuth(this);
	if (auth === 'none') return;
	if (auth === 'signature') {
		if (this.getNode().credentials?.[credentialName] === undefined) {
			throw new NodeOperationError(this.getNode(), 'Select a Vozo credential: its Callback Secret verifies the signed callback URLs');
		}
		const problem = weakSecretReason(await callbackSecret(this, credentialName), MIN_CALLBACK_SECRET_LENGTH);
		if (problem) {
			throw new NodeOperationError(this.getNode(), `The Vozo credential's Callback Secret cannot be used: ${problem}`, {
				description: `Set the credential's Callback Secret to a long random value of at least ${MIN_CALLBACK_SECRET_LENGTH} characters (e.g. the output of "openssl rand -hex 32"). The Vozo nodes whose Callback URL points here must use the same credential.`,
			});
		}
		return;
	}
	const problem = weakSecretReason(String(this.getNodeParameter('token', '') ?? ''), MIN_TOKEN_LENGTH);
	if (problem) {
		throw new NodeOperationError(this.getNode(), `The Token cannot be used: ${problem}. Set a Token of at least ${MIN_TOKEN_LENGTH} random characters, or better choose "Signed Callback URL"`, {
			description: 'A Token is stored in the workflow in plain text. "Signed Callback URL" keeps its secret in the Vozo credential instead (README: "Migrating from the Token").',
		});
	}
}

/** Why this callback is refused (401), or undefined when its URL proves it was handed out by us. */
export async function callbackAuthProblem(ctx: IWebhookFunctions, credentialName: string): Promise<string | undefined> {
	const auth = callbackAuth(ctx);
	if (auth === 'none') return undefined;
	if (auth === 'token') {
		const expected = String(ctx.getNodeParameter('token', '') ?? '');
		if (expected === '') return 'This trigger has no token set, so no callback is accepted';
		// Activation refuses a weak token, but n8n may serve the webhook for a moment before the
		// refusal unregisters it: the callback itself is refused too, so that moment starts nothing.
		const weak = weakSecretReason(expected, MIN_TOKEN_LENGTH);
		if (weak) return `The Token cannot be used: ${weak}`;
		const received = queryValue(ctx, TOKEN_QUERY_PARAM);
		return received !== undefined && secretsMatch(expected, received) ? undefined : `Missing or wrong "${TOKEN_QUERY_PARAM}" query parameter`;
	}
	const secret = await callbackSecret(ctx, credentialName);
	if (secret === '') return "This trigger's Vozo credential has no Callback Secret, so no callback is accepted";
	const reference = queryValue(ctx, VOZO_CALLBACK_REFERENCE_PARAM);
	if (reference === undefined) return `The callback URL has no "${VOZO_CALLBACK_REFERENCE_PARAM}" (a Vozo node adds it and its signature)`;
	const signature = queryValue(ctx, VOZO_CALLBACK_SIGNATURE_PARAM);
	if (!isValidCallbackSignature(secret, reference, signature)) {
		return `Missing or wrong "${VOZO_CALLBACK_SIGNATURE_PARAM}" for this ${VOZO_CALLBACK_REFERENCE_PARAM} (is the Vozo node using the same credential and Callback Secret?)`;
	}
	return undefined;
}

const authOptions = [
	{
		name: 'No Token (Not Recommended)',
		value: 'none',
		description: 'Any caller that learns the URL can start the workflow',
	},
	{
		name: 'Signed Callback URL',
		value: 'signature',
		description:
			"Each Vozo node signs its job's callback URL with the Vozo credential's Callback Secret; only callbacks with a valid signature start the workflow. Nothing secret is stored in the workflow.",
	},
	{
		name: 'Token in URL (Legacy)',
		value: 'token',
		description: 'Only callbacks whose URL carries ?token=&lt;Token&gt; start the workflow. The Token is stored in the workflow in plain text.',
	},
];

/** Version 1 keeps the token as its default; new nodes (1.1) default to signed URLs. */
export const callbackAuthProperties: INodeProperties[] = [
	{
		displayName: 'Callback Authentication',
		name: 'callbackAuth',
		type: 'options',
		noDataExpression: true,
		options: authOptions,
		default: 'token',
		displayOptions: { show: { '@version': [1] } },
	},
	{
		displayName: 'Callback Authentication',
		name: 'callbackAuth',
		type: 'options',
		noDataExpression: true,
		options: authOptions,
		default: 'signature',
		displayOptions: { show: { '@version': [{ _cnd: { gte: 1.1 } }] } },
	},
	{
		displayName:
			'The Vozo nodes whose Callback URL is this trigger\'s URL must use this same Vozo credential, with its Callback Secret set: they add a signed "lipsync_ref" to each job\'s URL.',
		name: 'signatureNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { callbackAuth: ['signature'] } },
	},
	{
		displayName: 'Token',
		name: 'token',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description: `A secret of at least ${MIN_TOKEN_LENGTH} characters that you generate: a long random value from a password generator, or the output of "openssl rand -hex 24". Add it to the callback URL as ?token=&lt;value&gt;. Stored in the workflow: prefer "Signed Callback URL".`,
		displayOptions: { show: { callbackAuth: ['token'] } },
	},
	{
		displayName:
			'Without a token, anyone who learns this URL can start the workflow with a job status and video URL of their choosing. Outputs are marked "verified": false.',
		name: 'noTokenNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { callbackAuth: ['none'] } },
	},
];
