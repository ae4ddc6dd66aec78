import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import {
	buildLipSyncProperties,
	LIP_SYNC_DEFAULT_VERSION,
	LIP_SYNC_NODE_VERSIONS,
	LIP_SYNC_SUBTITLE,
} from '../shared/operations/description';
import { runLipSyncOperation } from '../shared/operations/router';
import { personateAdapter } from './personate.adapter';
import { personateListSearch } from './personate.lists';

export class Personate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Personate',
		name: 'personate',
		icon: { light: 'file:personate.svg', dark: 'file:personate.dark.svg' },
		group: ['transform'],
		version: LIP_SYNC_NODE_VERSIONS,
		defaultVersion: LIP_SYNC_DEFAULT_VERSION,
		subtitle: LIP_SYNC_SUBTITLE,
		description: 'Create Personate lip-sync videos and wait for many jobs at once',
		defaults: { name: 'Personate' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'personateApi', required: true }],
		properties: buildLipSyncProperties(personateAdapter),
	};

	methods = { listSearch: personateListSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runLipSyncOperation.call(this, personateAdapter);
	}
}
