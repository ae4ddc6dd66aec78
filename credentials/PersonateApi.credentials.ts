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
		// ASSUMPTION (nodes/Personate/personate.assumptions.ts, docs/vendors.md): Personate documents
		// no endpoint to read a job. n8n has no "advanced" credential section, so the guess is a plain
		// optional field with the guess as default: a wrong guess is corrected here, without a release.
		{
			displayName: 'Status Path (Advanced)',
			name: 'statusPath',
			type: 'string',
			default: '/api/express_lipsync_video/{jobId}',
			placeholder: 'e.g. /api/express_lipsync_video/{jobId}',
			description:
				'Only if Personate reads jobs under another path: the path that returns a job, {jobId} standing for the job ID',
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
	// with HTTP 200 (`{status: "error", message}` or `{success: false}`) fails the test too.
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
			{
				type: 'responseSuccessBody',
				properties: { key: 'success', value: false, message: 'Personate refused this API key' },
			},
		]),
	};
}
