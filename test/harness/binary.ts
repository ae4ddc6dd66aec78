/**
 * Binary data in and out of a harness run, through n8n-core's BinaryDataService in `filesystem`
 * mode (set up by runtime.ts): what a node gets from getBinaryStream/getBinaryMetadata is a real
 * file on disk, and what it wrote with prepareBinaryData can be read back here.
 */
import { Container } from '@n8n/di';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { UnexpectedError } from 'n8n-workflow';
import { BinaryDataService, prepareBinaryData } from 'n8n-core';

import { ensureN8nRuntime } from './runtime';

/** Binary input is stored as if an earlier execution of this workflow had produced it. */
const INPUT_LOCATION = { workflowId: 'harness-workflow', executionId: 'harness-input' };

export interface BinaryInput {
	/** Key under `item.binary`, default 'data' (n8n's default "Input Binary Field"). */
	propertyName?: string;
	/** A file to stream into the store (not read into memory)… */
	filePath?: string;
	/** …or bytes. */
	buffer?: Buffer;
	/** Required for a buffer (n8n-core's sniffing needs ESM import(), which jest lacks). */
	mimeType?: string;
	/** Default: the file's base name, or 'data.bin'. */
	fileName?: string;
}

/** An input item whose binary property is stored in the binary data service, like n8n's. */
export async function makeBinaryInputItem(
	json: IDataObject,
	input: BinaryInput,
): Promise<INodeExecutionData> {
	await ensureN8nRuntime();
	if ((input.filePath === undefined) === (input.buffer === undefined)) {
		throw new UnexpectedError('makeBinaryInputItem: give exactly one of filePath or buffer');
	}
	const fileName = input.fileName ?? (input.filePath ? path.basename(input.filePath) : 'data.bin');
	const content = input.filePath ? createReadStream(input.filePath) : (input.buffer as Buffer);
	if (input.buffer && !input.mimeType) {
		throw new UnexpectedError('makeBinaryInputItem: give mimeType with a buffer');
	}
	const binary = await prepareBinaryData(
		content,
		INPUT_LOCATION.executionId,
		INPUT_LOCATION.workflowId,
		fileName,
		input.mimeType,
	);
	return { json, binary: { [input.propertyName ?? 'data']: binary } };
}

/** The bytes of a binary property from a node's output (reads the stored file). */
export async function readBinary(binary: IBinaryData): Promise<Buffer> {
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

/** Where the binary data service keeps this binary on disk (filesystem mode). */
export function binaryFilePath(binary: IBinaryData): string {
	if (!binary.id) throw new UnexpectedError('This binary is held in memory, not in the store');
	return Container.get(BinaryDataService).getPath(binary.id);
}
