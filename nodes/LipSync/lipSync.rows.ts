import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { VENDOR_MODULES } from '../registry';
import type { CoreCreateInput, VendorAdapter } from '../shared/adapter';

/**
 * Which vendor each row goes to, checked before anything is sent: the vendor must exist and
 * have its credential set in this node. n8n's own messages for a
 * missing credential name neither the row nor the vendor (docs/n8n.md), so the node says both.
 */

const itemLabel = (itemIndex: number) => `Item ${itemIndex}`;

/** Finds a registry vendor by its provider id or its name, ignoring case and spaces. */
export function findVendor(value: unknown): VendorAdapter | undefined {
	const wanted = String(value ?? '').replace(/\s+/g, '').toLowerCase();
	if (!wanted) return undefined;
	return VENDOR_MODULES.map((module) => module.adapter).find(
		(adapter) => adapter.provider.toLowerCase() === wanted || adapter.displayName.replace(/\s+/g, '').toLowerCase() === wanted,
	);
}

const knownVendors = () => VENDOR_MODULES.map((module) => `"${module.adapter.provider}" (${module.adapter.displayName})`).join(', ');

/** Why this node cannot use `adapter` now (no credential set), or undefined when it can. */
export function unusableReason(ctx: IExecuteFunctions, adapter: VendorAdapter): string | undefined {
	if (!ctx.getNode().credentials?.[adapter.credentialName]) {
		return `no ${adapter.displayName} credential is set in this node — choose one under "${adapter.displayName} Credential"`;
	}
	return undefined;
}

/** The row's vendor from the parameter `name` (an expression may pick it per row), or an error naming the row and the vendor. */
export function rowVendor(ctx: IExecuteFunctions, name: string, itemIndex: number): { adapter?: VendorAdapter; error?: NodeOperationError } {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const adapter = findVendor(value);
	const fail = (message: string) => ({
		error: new NodeOperationError(ctx.getNode(), `${itemLabel(itemIndex)}: ${message} — nothing was sent`, { itemIndex }),
	});
	if (!adapter && String(value ?? '').trim() === '') return fail(`no vendor is chosen — pick one in Vendor, or map a column naming it (${knownVendors()})`);
	if (!adapter) return fail(`the vendor "${String(value ?? '')}" is not one this node knows (${knownVendors()})`);
	const reason = unusableReason(ctx, adapter);
	if (reason) return { adapter, ...fail(`the row's vendor is ${adapter.displayName}, but ${reason}`) };
	return { adapter };
}

/** The fallback vendors in their order; any that cannot be used refuses the whole run before anything is sent. */
export function fallbackVendors(ctx: IExecuteFunctions): VendorAdapter[] {
	const entries = ((ctx.getNodeParameter('fallbackVendors', 0, {}) as IDataObject).fallback ?? []) as IDataObject[];
	const chain: VendorAdapter[] = [];
	for (const entry of entries) {
		const adapter = findVendor(entry.vendor);
		if (!adapter) throw new NodeOperationError(ctx.getNode(), `Fallback Vendors: "${String(entry.vendor)}" is not a vendor this node knows — nothing was sent`);
		const reason = unusableReason(ctx, adapter);
		if (reason) throw new NodeOperationError(ctx.getNode(), `Fallback Vendors: ${reason} — nothing was sent`);
		if (!chain.includes(adapter)) chain.push(adapter);
	}
	return chain;
}

/** The row's face and speech, as the node's core fields hold them. */
export function readCoreInput(ctx: IExecuteFunctions, itemIndex: number): CoreCreateInput {
	const text = (name: string, fallback: string) => String(ctx.getNodeParameter(name, itemIndex, fallback) ?? '').trim();
	const faceSource = text('faceSource', 'videoUrl');
	const speechSource = text('speechSource', 'audioUrl');
	return {
		face: {
			source: faceSource === 'binary' || faceSource === 'imageUrl' ? faceSource : 'videoUrl',
			url: faceSource === 'binary' ? '' : text('faceUrl', ''),
			binaryPropertyName: faceSource === 'binary' ? text('faceBinaryProperty', 'face') : '',
		},
		speech: {
			source: speechSource === 'binary' ? 'binary' : 'audioUrl',
			url: speechSource === 'binary' ? '' : text('audioUrl', ''),
			binaryPropertyName: speechSource === 'binary' ? text('audioBinaryProperty', 'data') : '',
		},
	};
}
