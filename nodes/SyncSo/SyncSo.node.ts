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
import { syncSoAdapter } from './syncSo.adapter';

export class SyncSo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'sync.so',
		name: 'syncSo',
		icon: { light: 'file:syncSo.svg', dark: 'file:syncSo.dark.svg' },
		group: ['transform'],
		version: LIP_SYNC_NODE_VERSIONS,
		defaultVersion: LIP_SYNC_DEFAULT_VERSION,
		subtitle: LIP_SYNC_SUBTITLE,
		description: 'Create sync.so lip-sync videos and wait for many jobs at once',
		defaults: { name: 'sync.so' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'syncSoApi', required: true }],
		properties: buildLipSyncProperties(syncSoAdapter),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runLipSyncOperation.call(this, syncSoAdapter);
	}
}
