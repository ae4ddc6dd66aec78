import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { lipSyncCreate } from './lipSync.create';
import { LIP_SYNC_ALL_SUBTITLE, lipSyncCredentials, lipSyncProperties } from './lipSync.description';
import { lipSyncJobs } from './lipSync.jobs';

export class LipSync implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Lip Sync',
		name: 'lipSync',
		icon: { light: 'file:lipSync.svg', dark: 'file:lipSync.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: LIP_SYNC_ALL_SUBTITLE,
		description: 'Create lip-sync videos with any vendor, chosen per row, with fallback vendors',
		defaults: { name: 'Lip Sync' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: lipSyncCredentials(),
		properties: lipSyncProperties(),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (this.getInputData().length === 0) return [[]];
		const operation = this.getNodeParameter('operation', 0) as string;
		if (operation === 'create') return await lipSyncCreate(this, 'untilSubmitted');
		if (operation === 'createAndWait') return await lipSyncCreate(this, 'untilDone');
		if (operation === 'get' || operation === 'wait') return await lipSyncJobs(this, operation);
		throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}"`);
	}
}
