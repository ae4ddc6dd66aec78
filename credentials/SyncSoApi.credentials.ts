import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { credentialTestRules, credentialTestUrl } from '../nodes/shared/credentialTestRules';

export class SyncSoApi implements ICredentialType {
	name = 'syncSoApi';

	displayName = 'sync.so API';

	icon: Icon = { light: 'file:../nodes/SyncSo/syncSo.svg', dark: 'file:../nodes/SyncSo/syncSo.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-lipsync/n8n-nodes-lipsync#syncso';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'An API key from sync.so (Settings → API Keys); it acts for its organization',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.sync.so',
			description: 'Change only for a proxy endpoint',
		},
		{
			displayName: 'Plan',
			name: 'plan',
			type: 'options',
			default: 'unknown',
			description:
				'The sync.so plan of this organization: the node never runs more generations at once than it allows (all executions on this key together). Not Set: the node learns the limit from sync.so\'s "concurrency limit reached" refusals.',
			options: [
				{ name: 'Not Set (Learn From sync.so)', value: 'unknown' },
				{ name: 'Hobbyist (1 at a Time)', value: 'hobbyist' },
				{ name: 'Creator (3 at a Time)', value: 'creator' },
				{ name: 'Growth (6 at a Time)', value: 'growth' },
				{ name: 'Scale (15 at a Time)', value: 'scale' },
				{ name: 'Custom (Enterprise)', value: 'custom' },
			],
		},
		{
			displayName: 'Generations at Once',
			name: 'customConcurrency',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1,
			description: 'How many generations the contract lets run at once',
			displayOptions: { show: { plan: ['custom'] } },
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'x-api-key': '={{$credentials.apiKey}}' },
		},
	};

	// Listing the models is free and needs a valid key: sync.so answers a missing, invalid or
	// revoked key with HTTP 401, which n8n reports as a failed test.
	test: ICredentialTestRequest = {
		request: {
			url: credentialTestUrl('/v2/models'),
			disableFollowRedirect: true,
			method: 'GET',
		},
		rules: credentialTestRules('sync.so', []),
	};
}
