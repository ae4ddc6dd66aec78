import type { INodeProperties } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import { withCallbackWait } from './callbackWait';
import { createOption } from './create.operation';
import { createAndWaitOption } from './createAndWait.operation';
import { getOption, getProperties } from './get.operation';
import { optionsProperty } from './runOptions';
import { waitOption } from './wait.operation';

const CREATE_OPERATIONS = ['create', 'createAndWait'];

const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: false,
	description: "Whether to leave the vendor's raw response body out of the output (the normalized job fields stay)",
};

/** Shows a vendor create field for Create and Create and Wait, keeping the field's own conditions. */
function forCreateOperations(property: INodeProperties): INodeProperties {
	const show = { ...(property.displayOptions?.show ?? {}), operation: CREATE_OPERATIONS };
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
		options: [createOption, createAndWaitOption, getOption, waitOption],
		default: 'createAndWait',
	};
	const vendor = splitVendorOptions(adapter);
	const options = optionsProperty(adapter);
	options.options = [...(options.options as INodeProperties[]), ...vendor.options].sort((a, b) =>
		String(a.displayName).localeCompare(String(b.displayName)),
	);
	const properties = [operation, ...vendor.fields, ...getProperties, simplifyProperty, options];
	// A vendor that calls back on status changes also offers Wait By "Vendor Callback".
	return adapter.setCallbackUrl ? withCallbackWait(properties, adapter) : properties;
}
