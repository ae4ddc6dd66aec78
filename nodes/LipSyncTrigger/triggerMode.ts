import type {
	ICredentialsDisplayOptions,
	IDisplayOptions,
	IHookFunctions,
	ILoadOptionsFunctions,
	INodeProperties,
	INodePropertyOptions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import type { ProviderId } from '../shared/job';

/**
 * One vendor's way of starting workflows, owned by the vendor's folder and found through the
 * vendor registry. The Lip Sync Trigger node only routes: it offers every registered mode in its
 * Vendor list, shows a mode's parameters and credential when that vendor is picked, and hands
 * webhook calls and n8n's activation hooks to the picked mode.
 */
export interface TriggerMode {
	/** The value of the node's Vendor parameter: the vendor adapter's provider id. */
	vendor: ProviderId;
	/** The name in the Vendor list. */
	name: string;
	/** What the mode starts on, shown under its name in the Vendor list. */
	description: string;
	/** The node's subtitle on the canvas while this vendor is picked. */
	subtitle: string;
	/** The mode's parameters; the node shows them only while this vendor is picked. */
	properties: INodeProperties[];
	/** The vendor credential. `required: false` means the mode works without one. */
	credential?: { name: string; required: boolean; displayOptions?: ICredentialsDisplayOptions };
	/** Option lists for the mode's parameters, by method name (names must be unique across modes). */
	loadOptions?: Record<string, (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>>;
	/** Answers one call to the trigger's webhook URL; returned items start the workflow. */
	webhook(this: IWebhookFunctions): Promise<IWebhookResponseData>;
	/**
	 * Registration with the vendor while the workflow is active (n8n's webhookMethods: on
	 * activation checkExists, then create when it answered false; delete on deactivation).
	 * A mode without them has nothing to register.
	 */
	checkExists?(this: IHookFunctions): Promise<boolean>;
	create?(this: IHookFunctions): Promise<boolean>;
	delete?(this: IHookFunctions): Promise<boolean>;
}

/** The node parameter that picks the mode. */
export const VENDOR_PARAMETER = 'vendor';

/** `properties` shown only while `vendor` is picked (their own conditions are kept). */
export function shownFor(vendor: ProviderId, properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: withVendor(vendor, property.displayOptions),
	}));
}

export function withVendor<T extends IDisplayOptions | ICredentialsDisplayOptions>(vendor: ProviderId, displayOptions: T | undefined): T {
	return {
		...(displayOptions ?? {}),
		show: { ...(displayOptions?.show ?? {}), [VENDOR_PARAMETER]: [vendor] },
	} as unknown as T;
}
