import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	IHookFunctions,
	INodeCredentialDescription,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { triggerModes } from '../registry';
import { answerCallbackCheck } from '../shared/operations/callbackNode';
import { shownFor, VENDOR_PARAMETER, withVendor, type TriggerMode } from './triggerMode';

/**
 * The Lip Sync Trigger routes to the trigger modes of the vendors in the registry (each vendor's
 * folder owns its mode: parameters, credential, webhook and registration with the vendor).
 */

const MODES = triggerModes();

/**
 * The Vendor a node has when its parameters do not say: n8n does not store a parameter that
 * equals its default, so workflows saved for Vozo rely on this staying 'vozo'.
 */
const DEFAULT_VENDOR = 'vozo';

function modeOf(ctx: IHookFunctions | IWebhookFunctions): TriggerMode {
	const vendor = ctx.getNodeParameter(VENDOR_PARAMETER, DEFAULT_VENDOR) as string;
	const mode = MODES.find((candidate) => candidate.vendor === vendor);
	if (!mode) throw new NodeOperationError(ctx.getNode(), `The Lip Sync Trigger has no mode for vendor "${vendor}"`);
	return mode;
}

const vendorProperty: INodeProperties = {
	displayName: 'Vendor',
	name: VENDOR_PARAMETER,
	type: 'options',
	noDataExpression: true,
	options: MODES.map((mode) => ({ name: mode.name, value: mode.vendor, description: mode.description })).sort((a, b) =>
		a.name.localeCompare(b.name),
	),
	default: DEFAULT_VENDOR,
};

const credentials: INodeCredentialDescription[] = MODES.flatMap((mode) =>
	mode.credential
		? [
				{
					name: mode.credential.name,
					required: mode.credential.required,
					displayOptions: withVendor(mode.vendor, mode.credential.displayOptions),
				},
			]
		: [],
);

const subtitles = Object.fromEntries(MODES.map((mode) => [mode.vendor, mode.subtitle]));

export class LipSyncTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Lip Sync Trigger',
		name: 'lipSyncTrigger',
		icon: { light: 'file:lipSyncTrigger.svg', dark: 'file:lipSyncTrigger.dark.svg' },
		group: ['trigger'],
		// 1.1: the Vozo mode defaults to signed callback URLs (version 1 keeps its token default).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: `={{ ${JSON.stringify(subtitles)}[$parameter["${VENDOR_PARAMETER}"]] }}`,
		description: 'Starts the workflow when a lip-sync video job finishes (Vozo callbacks, JoggAI and sync.so webhooks)',
		defaults: { name: 'Lip Sync Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials,
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
			// A vendor may check its callback URL before accepting a job (Vozo's "callback challenge",
			// an assumption: vozo.assumptions.ts): answered 200, nothing starts. Named 'setup' (as
			// n8n's Mailchimp Trigger names its GET check) so activation registers nothing for them.
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', responseData: '', path: 'callback' },
			{ name: 'setup', httpMethod: 'HEAD', responseMode: 'onReceived', responseData: '', path: 'callback' },
		],
		properties: [vendorProperty, ...MODES.flatMap((mode) => shownFor(mode.vendor, mode.properties))],
	};

	methods = {
		loadOptions: Object.assign({}, ...MODES.map((mode) => mode.loadOptions ?? {})) as NonNullable<
			TriggerMode['loadOptions']
		>,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const mode = modeOf(this);
				return mode.checkExists ? await mode.checkExists.call(this) : true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const mode = modeOf(this);
				return mode.create ? await mode.create.call(this) : true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const mode = modeOf(this);
				return mode.delete ? await mode.delete.call(this) : true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return answerCallbackCheck(this) ?? (await modeOf(this).webhook.call(this));
	}
}
