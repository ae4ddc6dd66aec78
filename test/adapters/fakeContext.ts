import { NodeOperationError } from 'n8n-workflow';
import type { IBinaryData, IExecuteFunctions, INode } from 'n8n-workflow';

/**
 * A minimal IExecuteFunctions stand-in for pure adapter unit tests: parameters per item,
 * binary data per item, and the node. Hidden parameters are absent, as in n8n.
 */
export interface FakeItem {
	params: Record<string, unknown>;
	binary?: Record<string, Partial<IBinaryData>>;
}

export const fakeNode: INode = {
	id: 'node-1',
	name: 'Lip Sync',
	type: 'n8n-nodes-lipsync.test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export function fakeContext(
	items: FakeItem[],
	binaryMetadata: Record<string, { fileSize: number; mimeType?: string; fileName?: string }> = {},
): IExecuteFunctions {
	const ctx = {
		getNode: () => fakeNode,
		getNodeParameter(name: string, itemIndex: number, fallback?: unknown, options?: { extractValue?: boolean }) {
			const value = items[itemIndex]?.params[name];
			if (value === undefined) {
				if (arguments.length < 3) throw new Error(`Could not get parameter "${name}"`);
				return fallback;
			}
			if (options?.extractValue && value && typeof value === 'object' && 'value' in value) {
				return (value as { value: unknown }).value;
			}
			return value;
		},
		helpers: {
			assertBinaryData(itemIndex: number, property: string): IBinaryData {
				const binary = items[itemIndex]?.binary?.[property];
				if (!binary) {
					throw new NodeOperationError(fakeNode, `This operation expects the node's input data to contain a binary file '${property}', but none was found [item ${itemIndex}]`, { itemIndex });
				}
				return { data: '', mimeType: 'application/octet-stream', ...binary } as IBinaryData;
			},
			async getBinaryMetadata(id: string) {
				const metadata = binaryMetadata[id];
				if (!metadata) throw new Error(`unknown binary ${id}`);
				return metadata;
			},
		},
	};
	return ctx as unknown as IExecuteFunctions;
}

/** The message of the error `fn` throws (fails the test when it does not throw). */
export async function errorOf(fn: () => unknown): Promise<Error> {
	try {
		await fn();
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected an error, none was thrown');
}
