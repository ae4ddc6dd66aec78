/**
 * The registered vendors' node classes, loaded from where CONTRIBUTING.md's naming rule puts them
 * (`nodes/<Name>/<Name>.node.ts`, class `<Name>`): tests walk these instead of importing each
 * vendor's node by name.
 */
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { VENDOR_MODULES } from '../../nodes/registry';
import type { VendorAdapter } from '../../nodes/shared/adapter';
import { vendorFiles } from './vendorFiles';

export interface RegisteredNode {
	adapter: VendorAdapter;
	/** The node type name (`joggAi`). */
	name: string;
	node: () => INodeType;
	description: INodeTypeDescription;
}

export function registeredNodes(): RegisteredNode[] {
	return VENDOR_MODULES.map(({ adapter }) => {
		const files = vendorFiles(adapter);
		const NodeClass = (require(files.nodeFile) as Record<string, new () => INodeType>)[files.className];
		if (typeof NodeClass !== 'function') throw new Error(`${files.nodeFile} exports no class ${files.className}`);
		return { adapter, name: files.name, node: () => new NodeClass(), description: new NodeClass().description };
	});
}

/** The registered adapter of a sandbox vendor. */
export function adapterOf(provider: string): VendorAdapter {
	const module = VENDOR_MODULES.find((registered) => registered.adapter.provider === provider);
	if (!module) throw new Error(`${provider} is not in nodes/registry.ts`);
	return module.adapter;
}

/** Whether a vendor's credential has a Callback Secret field (signed callback URLs). */
export const hasCallbackSecret = (provider: string): boolean =>
	adapterOf(provider).credentialType.properties.some((property) => property.name === 'callbackSecret');
