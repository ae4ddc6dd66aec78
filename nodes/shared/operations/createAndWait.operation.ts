import type { IExecuteFunctions, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import { submitAndWait } from './submitAndWait';

export const createAndWaitOption: INodePropertyOptions = {
	name: 'Create and Wait',
	value: 'createAndWait',
	action: 'Create lip-sync video and wait',
	description: 'Submit one job per item, wait for all of them together and output the finished videos',
};

export async function executeCreateAndWait(
	this: IExecuteFunctions,
	adapter: VendorAdapter,
): Promise<INodeExecutionData[][]> {
	return await submitAndWait(this, adapter, 'untilDone');
}
