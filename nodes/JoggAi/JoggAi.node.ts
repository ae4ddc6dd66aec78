import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { buildLipSyncProperties } from '../shared/operations/description';
import { runLipSyncOperation } from '../shared/operations/router';
import { joggAiAdapter } from './joggAi.adapter';

export class JoggAi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'JoggAI',
		name: 'joggAi',
		icon: { light: 'file:joggAi.svg', dark: 'file:joggAi.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ { create: "Create", get: "Get Status", wait: "Wait", createAndWait: "Create and Wait" }[$parameter["operation"]] }}',
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
