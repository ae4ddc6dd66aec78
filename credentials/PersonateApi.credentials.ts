import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { credentialTestRules, credentialTestUrl } from '../nodes/shared/credentialTestRules';

export class PersonateApi implements ICredentialType {
	name = 'personateApi';

	displayName = 'Personate API';

	icon: Icon = {
		light: 'file:../nodes/Personate/personate.svg',
		dark: 'file:../nodes/Personate/personate.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-lipsync/n8n-nodes-lipsync#personate';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The API key from your Personate account',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://raijin.personate.ai',
			description:
				'Change only for a regional or proxy endpoint',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiKey}}' },
		},
	};

	// ASSUMPTION (docs/vendors.md, Personate): listing the public avatars is free and needs a valid
	// key, so a bad key gets an HTTP 4xx, which n8n reports as a failed test. An error body sent
	// with HTTP 200 (`{status: "error", message}`) fails the test too.
	test: ICredentialTestRequest = {
		request: {
			url: credentialTestUrl('/api/avatars/public'),
			disableFollowRedirect: true,
			method: 'GET',
		},
		rules: credentialTestRules('Personate', [
			{
				type: 'responseSuccessBody',
				properties: { key: 'status', value: 'error', message: 'Personate answered with an error' },
			},
		]),
	};
}
