import type { INodeProperties } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import { withCallbackWait } from './callbackWaitDescription';
import { createOption } from './create.operation';
import { createAndWaitOption } from './createAndWait.operation';
import { getOption, getProperties } from './get.operation';
import { optionsProperty } from './runOptionsProperty';
import { waitOption } from './wait.operation';

const CREATE_OPERATIONS = ['create', 'createAndWait'];

const OPERATIONS = [createOption, createAndWaitOption, getOption, waitOption];

/** The node version new nodes get; saved workflows keep the version they were built with. */
export const LIP_SYNC_NODE_VERSIONS = [1, 1.1];
export const LIP_SYNC_DEFAULT_VERSION = 1.1;

/** The canvas subtitle: the operation's name exactly as the Operation list shows it. */
export const LIP_SYNC_SUBTITLE = `={{ ${JSON.stringify(Object.fromEntries(OPERATIONS.map((o) => [o.value, o.name])))}[$parameter["operation"]] }}`;

/**
 * Simplify is on for new nodes (1.1): rows written to a sheet or table stay flat. Version 1
 * nodes were saved with it off, and n8n does not save a parameter that equals its default, so
 * they keep their default (off) and their `raw` field.
 */
const simplifyDescription =
	"Whether to leave the vendor's raw response body (the raw field) out of the output. The normalized job fields stay.";
const simplifyProperties: INodeProperties[] = [
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: false,
		description: simplifyDescription,
		displayOptions: { show: { '@version': [1] } },
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: simplifyDescription,
		displayOptions: { show: { '@version': [{ _cnd: { gte: 1.1 } }] } },
	},
];

/**
 * Shows a vendor create field for Create and Create and Wait, keeping the field's own
 * conditions. `operation` goes first: n8n stops checking a field's conditions at the first one
 * that holds an expression (a source chooser set by an expression may), so this one is always checked.
 */
function forCreateOperations(property: INodeProperties): INodeProperties {
	const { operation: _own, ...own } = property.displayOptions?.show ?? {};
	const show = { operation: CREATE_OPERATIONS, ...own };
	return { ...property, displayOptions: { ...(property.displayOptions ?? {}), show } };
}

/**
 * A vendor may add create-time entries to the shared Options collection by declaring its own
 * `options` collection (e.g. a Callback URL). n8n allows one parameter per name, so the entries
 * are merged into ours and shown for the create operations only.
 */
function splitVendorOptions(adapter: VendorAdapter): { fields: INodeProperties[]; options: INodeProperties[] } {
	const fields: INodeProperties[] = [];
	const options: INodeProperties[] = [];
	for (const property of adapter.createProperties) {
		if (property.name === 'options' && property.type === 'collection') {
			for (const entry of (property.options ?? []) as INodeProperties[]) {
				const show = { ...(entry.displayOptions?.show ?? {}), '/operation': CREATE_OPERATIONS };
				options.push({ ...entry, displayOptions: { ...(entry.displayOptions ?? {}), show } });
			}
		} else fields.push(forCreateOperations(property));
	}
	return { fields, options };
}

/** The properties of a vendor node: operation, the vendor's create fields, job id, Wait By (callback vendors), options. */
export function buildLipSyncProperties(adapter: VendorAdapter): INodeProperties[] {
	const operation: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: OPERATIONS,
		default: 'createAndWait',
	};
	const vendor = splitVendorOptions(adapter);
	const options = optionsProperty(adapter);
	options.options = [...(options.options as INodeProperties[]), ...vendor.options].sort((a, b) =>
		String(a.displayName).localeCompare(String(b.displayName)),
	);
	const properties = [operation, ...vendor.fields, ...getProperties, ...simplifyProperties, options];
	// A vendor that calls back on status changes also offers Wait By "Vendor Callback".
	return adapter.callback ? withCallbackWait(properties, adapter) : properties;
}
