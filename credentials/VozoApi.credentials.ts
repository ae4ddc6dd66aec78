import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { credentialTestRules, credentialTestUrl, REDIRECT_STATUSES } from '../nodes/shared/credentialTestRules';
import { VOZO_KEY_CODES } from '../nodes/Vozo/vozo.keyCodes';

/**
 * ASSUMPTION (docs/vendors.md, Vozo): Vozo documents no credential-test endpoint. Asking for the
 * status of a task id that cannot exist is free; a good key gets a not-found error (an HTTP
 * 4xx other than 401/403, with a `code` that is not an auth code), a bad key gets HTTP 401/403
 * or one of the auth/permission codes below.
 * n8n fails a credential test on every non-2xx answer, so the test ignores HTTP status errors
 * except the ones that mean "rejected" or "could not check", and fails on the auth codes.
 * n8n compares a body rule's value with `===`: Vozo's `code` is a string in its OpenAPI schema
 * ("1302"), so each code has a rule for that spelling, and one for the number should Vozo
 * send it unquoted.
 * Known gap: a base URL that answers 404 for everything (a wrong host) passes the test.
 */
export class VozoApi implements ICredentialType {
	name = 'vozoApi';

	displayName = 'Vozo API';

	icon: Icon = { light: 'file:../nodes/Vozo/vozo.svg', dark: 'file:../nodes/Vozo/vozo.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-lipsync/n8n-nodes-lipsync#vozo';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The API key from your Vozo account',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.vozo.ai',
			description:
				'Change only for a regional or proxy endpoint',
		},
		// ASSUMPTION (nodes/Vozo/vozo.assumptions.ts, docs/vendors.md): the two paths below are not
		// in Vozo's documents. n8n has no "advanced" credential section, so they are plain optional
		// fields with the guess as default: a wrong guess is corrected here, without a release.
		{
			displayName: 'Reusable-Model Status Path (Advanced)',
			name: 'reusableModelStatusPath',
			type: 'string',
			default: '/v1/video_generation/{taskId}',
			placeholder: 'e.g. /v1/video_generation/{taskId}',
			description:
				'Only if Vozo serves reusable-model jobs under another path: the path of their status, {taskId} standing for the job ID. Asked after the documented path answers 404.',
		},
		{
			displayName: 'Credential Test Path (Advanced)',
			name: 'credentialCheckPath',
			type: 'string',
			default: '/v1/video_generation/lipsync-credential-check',
			placeholder: 'e.g. /v1/video_generation/lipsync-credential-check',
			description:
				'A free GET the credential test sends (Vozo documents none): a good key must get a not-found answer, a bad key HTTP 401/403 or an auth code',
		},
		{
			displayName: 'Callback Secret',
			name: 'callbackSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the Lip Sync Trigger: a long random value you generate (e.g. "openssl rand -hex 32"), at least 32 characters. Vozo nodes using this credential sign the reference in each Callback URL with it; a Lip Sync Trigger using this credential accepts only callbacks with a valid signature. Changing it invalidates the callback URLs of jobs still running.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiKey}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			url: credentialTestUrl('/v1/video_generation/lipsync-credential-check', 'credentialCheckPath'),
			disableFollowRedirect: true,
			method: 'GET',
			ignoreHttpStatusErrors: { ignore: true, except: [401, 403, 429, 500, 502, 503, 504, ...REDIRECT_STATUSES] },
		},
		rules: credentialTestRules(
			'Vozo',
			Object.entries(VOZO_KEY_CODES).flatMap(([code, { refusal: message }]) =>
				[code, Number(code)].map((value) => ({
					type: 'responseSuccessBody' as const,
					properties: { key: 'code', value, message },
				})),
			),
		),
	};
}
