import type { IExecuteFunctions, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import { submitAndWait } from './submitAndWait';

export const createOption: INodePropertyOptions = {
	name: 'Create',
	value: 'create',
	action: 'Create lip-sync video',
	description: 'Submit one job per item and output the job IDs without waiting for the videos',
};

/** Submits every item; waits only for free slots when the vendor caps running jobs. */
export async function executeCreate(this: IExecuteFunctions, adapter: VendorAdapter): Promise<INodeExecutionData[][]> {
	return await submitAndWait(this, adapter, 'untilSubmitted');
}
