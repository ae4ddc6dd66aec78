import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { buildLipSyncProperties } from '../shared/operations/description';
import { runLipSyncOperation } from '../shared/operations/router';
import { vozoAdapter } from './vozo.adapter';

export class Vozo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Vozo',
		name: 'vozo',
		icon: { light: 'file:vozo.svg', dark: 'file:vozo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ { create: "Create", get: "Get Status", wait: "Wait", createAndWait: "Create and Wait" }[$parameter["operation"]] }}',
		description: 'Create Vozo lip-sync videos and wait for many jobs at once',
		defaults: { name: 'Vozo' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'vozoApi', required: true }],
		properties: buildLipSyncProperties(vozoAdapter),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runLipSyncOperation.call(this, vozoAdapter);
	}
}
