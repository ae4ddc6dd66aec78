import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import { isCallbackWait, waitForVendorCallback } from './callbackWait';
import { executeCreate } from './create.operation';
import { executeCreateAndWait } from './createAndWait.operation';
import { executeGet } from './get.operation';
import type { Operation } from './runOptions';
import { executeWait } from './wait.operation';

const operations: Record<Operation, (this: IExecuteFunctions, adapter: VendorAdapter) => Promise<INodeExecutionData[][]>> = {
	create: executeCreate,
	createAndWait: executeCreateAndWait,
	get: executeGet,
	wait: executeWait,
};

/** The `execute` of every vendor node: one operation for all items of the run (or one parked job). */
export async function runLipSyncOperation(
	this: IExecuteFunctions,
	adapter: VendorAdapter,
): Promise<INodeExecutionData[][]> {
	if (this.getInputData().length === 0) return [[]];
	if (isCallbackWait(this, adapter)) return await waitForVendorCallback(this, adapter);
	const operation = this.getNodeParameter('operation', 0) as Operation;
	const run = operations[operation];
	if (!run) throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}"`);
	return await run.call(this, adapter);
}
