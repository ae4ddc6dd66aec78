import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { credentialTestRules, credentialTestUrl } from '../nodes/shared/credentialTestRules';

export class ModellixApi implements ICredentialType {
	name = 'modellixApi';

	displayName = 'Modellix API';

	icon: Icon = {
		light: 'file:../nodes/Modellix/modellix.svg',
		dark: 'file:../nodes/Modellix/modellix.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-lipsync/n8n-nodes-lipsync#modellix';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The API key from your Modellix account',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.modellix.ai',
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

	// A bad key may come back as HTTP 200 with is_valid false rather than a 401.
	test: ICredentialTestRequest = {
		request: {
			url: credentialTestUrl('/api/v1/apikey/validate'),
			disableFollowRedirect: true,
			method: 'GET',
		},
		rules: credentialTestRules('Modellix', [
			{
				type: 'responseSuccessBody',
				properties: { key: 'data.is_valid', value: false, message: 'Modellix says this API key is not valid' },
			},
		]),
	};
}
