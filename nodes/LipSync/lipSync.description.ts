import type { INodeCredentialDescription, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { VENDOR_MODULES } from '../registry';
import { audioUrlField } from '../shared/adapterKit/coreFields';
import { createOption } from '../shared/operations/create.operation';
import { createAndWaitOption } from '../shared/operations/createAndWait.operation';
import { getOption } from '../shared/operations/get.operation';
import { jobIdProperty } from '../shared/operations/jobIds';
import { optionsProperty } from '../shared/operations/runOptionsProperty';
import { vendorSettingsFields, vendorSettingsName } from '../shared/operations/vendorView';
import { waitOption } from '../shared/operations/wait.operation';

/**
 * The Lip Sync node's fields: every vendor of the registry with its credential, the core input once, each vendor's own settings in its
 * section. A vendor added to the registry appears here without an edit.
 */

const CREATE_OPERATIONS = ['create', 'createAndWait'];
const OPERATIONS = [createOption, createAndWaitOption, getOption, waitOption];
const adapters = () => VENDOR_MODULES.map((module) => module.adapter);

export const LIP_SYNC_ALL_SUBTITLE = `={{ ${JSON.stringify(Object.fromEntries(OPERATIONS.map((o) => [o.value, o.name])))}[$parameter["operation"]] }}`;

const vendorOptions = (): INodePropertyOptions[] =>
	adapters().map((adapter) => ({ name: adapter.displayName, value: adapter.provider }));

/**
 * One credential per vendor, always shown and labelled with the vendor, none required: the rows
 * and fallbacks decide which are needed, and the node refuses a row whose vendor has none before
 * anything is sent. A credential shown by a parameter's value would hide that parameter in
 * n8n's editor (docs/n8n.md).
 */
export function lipSyncCredentials(): INodeCredentialDescription[] {
	return adapters().map((adapter) => ({
		name: adapter.credentialName,
		displayName: `${adapter.displayName} Credential`,
		required: false,
	}));
}

const createOnly = { show: { operation: CREATE_OPERATIONS } };

function coreInputProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Face Source',
			name: 'faceSource',
			type: 'options',
			options: [
				{ name: 'Binary File', value: 'binary', description: 'A video or photo of the speaking person in a binary field of the input item' },
				{ name: 'Image URL', value: 'imageUrl', description: 'A public direct link to a photo of the speaking person (not every vendor takes a photo)' },
				{ name: 'Video URL', value: 'videoUrl', description: 'A public direct link to a video of the speaking person' },
			],
			default: 'videoUrl',
			displayOptions: createOnly,
		},
		{
			displayName: 'Face URL',
			name: 'faceUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://example.com/presenter.mp4',
			description: 'Public direct link to the video or photo of the speaking person',
			displayOptions: { show: { operation: CREATE_OPERATIONS, faceSource: ['videoUrl', 'imageUrl'] } },
		},
		{
			displayName: 'Face Input Binary Field',
			name: 'faceBinaryProperty',
			type: 'string',
			default: 'face',
			required: true,
			description: 'The name of the input binary field holding the video or photo of the speaking person',
			displayOptions: { show: { operation: CREATE_OPERATIONS, faceSource: ['binary'] } },
		},
		{
			displayName: 'Speech Source',
			name: 'speechSource',
			type: 'options',
			options: [
				{ name: 'Audio URL', value: 'audioUrl', description: 'A public direct link to the speech' },
				{ name: 'Binary File', value: 'binary', description: 'The speech in a binary field of the input item' },
			],
			default: 'audioUrl',
			displayOptions: createOnly,
		},
		audioUrlField({ show: { operation: CREATE_OPERATIONS, speechSource: ['audioUrl'] } }),
		{
			displayName: 'Audio Input Binary Field',
			name: 'audioBinaryProperty',
			type: 'string',
			default: 'data',
			required: true,
			description: 'The name of the input binary field holding the speech',
			displayOptions: { show: { operation: CREATE_OPERATIONS, speechSource: ['binary'] } },
		},
	];
}

function vendorSections(): INodeProperties[] {
	return adapters().flatMap((adapter) => {
		const fields = vendorSettingsFields(adapter);
		if (fields.length === 0) return [];
		return [
			{
				displayName: `${adapter.displayName} Settings`,
				name: vendorSettingsName(adapter),
				type: 'collection',
				placeholder: 'Add Setting',
				default: {},
				description: `${adapter.displayName}'s own settings for the rows it makes; unset ones keep ${adapter.displayName}'s defaults`,
				options: fields,
				displayOptions: createOnly,
			} satisfies INodeProperties,
		];
	});
}

export function lipSyncProperties(): INodeProperties[] {
	const first = adapters()[0];
	const options = optionsProperty(first);
	options.options = [
		...(options.options as INodeProperties[]),
		{
			displayName: 'Fall Back When a Job Fails (Pays Twice)',
			name: 'fallBackOnJobFailure',
			type: 'boolean',
			default: false,
			description:
				'Whether a job that the vendor ran and that failed is made again by the next fallback vendor. The failed job may be billed, so the row may cost twice.',
			displayOptions: { show: { '/operation': ['createAndWait'] } },
		} satisfies INodeProperties,
	].sort((a, b) => String(a.displayName).localeCompare(String(b.displayName)));
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: OPERATIONS,
			default: 'createAndWait',
		},
		{
			displayName: 'Vendor',
			name: 'vendor',
			type: 'options',
			options: vendorOptions(),
			default: '',
			description:
				'The vendor that makes the row\'s video. As an expression each row picks its own from a column (a vendor\'s ID such as "joggai" or its name); its credential must be set above.',
			displayOptions: createOnly,
		},
		...coreInputProperties(),
		{
			displayName: 'Fallback Vendors',
			name: 'fallbackVendors',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			placeholder: 'Add Fallback Vendor',
			default: {},
			description:
				'Tried in order when a vendor definitely made nothing for a row (refused for credit, key, permission, plan or input, or its limits stayed full until the wait limit). A create without a clear answer never moves on.',
			options: [{ displayName: 'Fallback', name: 'fallback', values: [{ displayName: 'Vendor', name: 'vendor', type: 'options', options: vendorOptions(), default: '' }] }],
			displayOptions: createOnly,
		},
		...vendorSections(),
		{
			displayName: 'Vendor of the Job',
			name: 'jobVendor',
			type: 'options',
			options: vendorOptions(),
			default: '={{ $json.provider }}',
			description: 'The vendor that has the job: the provider field of the Create output',
			displayOptions: { show: { operation: ['get', 'wait'] } },
		},
		jobIdProperty,
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: true,
			description:
				"Whether to leave the vendor's raw response body out of the output and write errors and attempts as text, so rows stay flat for a sheet or Data Table",
		},
		options,
	];
}
