import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { credentialTestRules, credentialTestUrl } from '../nodes/shared/credentialTestRules';
import { JOGGAI_KEY_CODES } from '../nodes/JoggAi/joggAi.keyCodes';

export class JoggAiApi implements ICredentialType {
	name = 'joggAiApi';

	displayName = 'JoggAI API';

	icon: Icon = { light: 'file:../nodes/JoggAi/joggAi.svg', dark: 'file:../nodes/JoggAi/joggAi.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-lipsync/n8n-nodes-lipsync#joggai';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The API key from your JoggAI account',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.jogg.ai',
			description:
				'Change only for a regional or proxy endpoint (some JoggAI docs show paths under /open)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'x-api-key': '={{$credentials.apiKey}}' },
		},
	};

	// JoggAI answers HTTP 200 even for a bad key; the envelope's `code` says what happened. n8n
	// compares a rule's value with `===`: the code is a number in JoggAI's docs, and each code
	// has a rule for its string spelling too.
	test: ICredentialTestRequest = {
		request: {
			url: credentialTestUrl('/v2/user/whoami'),
			disableFollowRedirect: true,
			method: 'GET',
		},
		rules: credentialTestRules(
			'JoggAI',
			Object.entries(JOGGAI_KEY_CODES).flatMap(([code, { refusal: message }]) =>
				[Number(code), code].map((value) => ({
					type: 'responseSuccessBody' as const,
					properties: { key: 'code', value, message },
				})),
			),
		),
	};
}
