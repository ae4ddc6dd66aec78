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
import { modellixAdapter } from './modellix.adapter';

export class Modellix implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Modellix',
		name: 'modellix',
		icon: { light: 'file:modellix.svg', dark: 'file:modellix.dark.svg' },
		group: ['transform'],
		version: LIP_SYNC_NODE_VERSIONS,
		defaultVersion: LIP_SYNC_DEFAULT_VERSION,
		subtitle: LIP_SYNC_SUBTITLE,
		description: 'Create Modellix (Vidu) lip-sync videos and wait for many jobs at once',
		defaults: { name: 'Modellix' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'modellixApi', required: true }],
		properties: buildLipSyncProperties(modellixAdapter),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runLipSyncOperation.call(this, modellixAdapter);
	}
}
