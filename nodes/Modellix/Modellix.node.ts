import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { buildLipSyncProperties } from '../shared/operations/description';
import { runLipSyncOperation } from '../shared/operations/router';
import { modellixAdapter } from './modellix.adapter';

export class Modellix implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Modellix',
		name: 'modellix',
		icon: { light: 'file:modellix.svg', dark: 'file:modellix.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ { create: "Create", get: "Get Status", wait: "Wait", createAndWait: "Create and Wait" }[$parameter["operation"]] }}',
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
