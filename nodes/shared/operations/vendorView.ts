import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CoreCreateInput, VendorAdapter } from '../adapter';

/**
 * A node that offers several vendors runs each vendor's share of its items through the same
 * engine as the vendor's own node. The engine and the adapter read the vendor's create fields by
 * the vendor node's names; this view of the node's context answers them from the multi-vendor
 * node's fields: the core input (face, speech) as the adapter maps it, then the vendor's own
 * section, then the field's default. Every other parameter (operation, options, job id) is the
 * node's own, and item indexes are the node's.
 *
 * Each view is its own object, so the engine opens one session per vendor: its credential, its
 * base URL and its account's limits. It continues on fail, so every item comes back as a result
 * and the node decides what to do with it (move it to another vendor, or fail the run).
 */

/** The parameter holding a vendor's own section in a multi-vendor node. */
export const vendorSettingsName = (adapter: VendorAdapter): string => `${adapter.provider}Settings`;

/** The vendor's create fields offered in its own section, without the conditions that pointed at sibling fields. */
export function vendorSettingsFields(adapter: VendorAdapter): INodeProperties[] {
	const byName = new Map<string, INodeProperties>();
	for (const property of adapter.createProperties) {
		if (!adapter.coreInput.settings.includes(property.name)) continue;
		const { displayOptions: _conditions, required: _required, ...field } = property;
		// A field defined once per node version: the newest definition wins.
		byName.set(property.name, field);
	}
	return [...byName.values()];
}

export interface CoreInputReader {
	(itemIndex: number): CoreCreateInput;
}

export function vendorView(ctx: IExecuteFunctions, adapter: VendorAdapter, readCore: CoreInputReader): IExecuteFunctions {
	const vendorFields = new Map<string, INodeProperties>();
	for (const property of adapter.createProperties) if (property.name !== 'options') vendorFields.set(property.name, property);
	const settings = new Set(adapter.coreInput.settings);
	const mapped = new Map<number, IDataObject>();
	const coreOf = (itemIndex: number): IDataObject => {
		let parameters = mapped.get(itemIndex);
		if (!parameters) {
			const answer = adapter.coreInput.parameters(readCore(itemIndex));
			parameters = 'refused' in answer ? {} : answer;
			mapped.set(itemIndex, parameters);
		}
		return parameters;
	};
	const view = Object.create(ctx) as IExecuteFunctions;
	const getNodeParameter = ((name: string, itemIndex: number, fallback?: unknown, options?: IDataObject) => {
		const field = vendorFields.get(name);
		if (!field) return ctx.getNodeParameter(name, itemIndex, fallback as never, options);
		const core = coreOf(itemIndex);
		if (name in core) return core[name];
		if (settings.has(name)) return ctx.getNodeParameter(`${vendorSettingsName(adapter)}.${name}`, itemIndex, field.default as never, options);
		return field.default ?? fallback;
	}) as IExecuteFunctions['getNodeParameter'];
	Object.assign(view, { getNodeParameter, continueOnFail: () => true });
	return view;
}
