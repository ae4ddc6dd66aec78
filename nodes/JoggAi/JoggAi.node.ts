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
import { joggAiAdapter } from './joggAi.adapter';

export class JoggAi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'JoggAI',
		name: 'joggAi',
		icon: { light: 'file:joggAi.svg', dark: 'file:joggAi.dark.svg' },
		group: ['transform'],
		version: LIP_SYNC_NODE_VERSIONS,
		defaultVersion: LIP_SYNC_DEFAULT_VERSION,
		subtitle: LIP_SYNC_SUBTITLE,
		description: 'Create JoggAI lip-sync videos and wait for many jobs at once',
		defaults: { name: 'JoggAI' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'joggAiApi', required: true }],
		properties: buildLipSyncProperties(joggAiAdapter),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runLipSyncOperation.call(this, joggAiAdapter);
	}
}
