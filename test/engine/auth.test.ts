/**
 * The engine's renderer of a credential's declarative auth (nodes/shared/auth.ts): what it
 * renders, it renders exactly as n8n's expression engine does (through the harness's credentials
 * helper, which resolves every key and value like n8n's CLI helper); what it does not understand,
 * it refuses, so the transport falls back to n8n's helper.
 */
import type { ICredentialDataDecryptedObject, ICredentialType, IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';

import { VENDOR_MODULES } from '../../nodes/registry';
import { renderAuthValue, renderCredentialAuth, withRenderedAuth } from '../../nodes/shared/auth';
import { HarnessCredentialsHelper } from '../harness/credentialsHelper';
import { oneNodeWorkflow } from '../harness/oneNodeWorkflow';
import { ensureN8nRuntime } from '../harness/runtime';

const credentials: ICredentialDataDecryptedObject = {
	apiKey: 'sk-live-0123456789',
	accountId: 'acct 42',
	baseUrl: 'https://api.example.test',
};

const typeWith = (properties: IDataObject, extra: Partial<ICredentialType> = {}): ICredentialType => ({
	name: 'renderTestApi',
	displayName: 'Render Test',
	properties: [],
	authenticate: { type: 'generic', properties },
	...extra,
});

/** What n8n's credentials helper sets on an empty request for this credential type. */
async function renderedByN8n(type: ICredentialType): Promise<IDataObject> {
	await ensureN8nRuntime();
	const node: INode = { id: 'n', name: 'Node', type: 'test.node', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = oneNodeWorkflow('render', 'Render', node, { description: { properties: [] } } as never);
	const helper = new HarnessCredentialsHelper({ [type.name]: credentials }, [type]);
	const options = (await helper.authenticate(credentials, type.name, { url: '' }, workflow, node)) as IHttpRequestOptions;
	return { headers: options.headers ?? {}, qs: options.qs ?? {}, body: options.body ?? {} };
}

describe('renderCredentialAuth', () => {
	it.each(VENDOR_MODULES.map(({ adapter }) => [adapter.credentialName, adapter.credentialType] as const))(
		"renders %s's own authenticate as n8n's expression engine does in the harness's copy of n8n's generic-auth loop",
		async (_name, type) => {
			const rendered = renderCredentialAuth(type, credentials);
			expect(rendered).toBeDefined();
			expect(rendered).toEqual(await renderedByN8n(type));
			expect(JSON.stringify(rendered?.headers)).toContain(credentials.apiKey as string);
		},
	);

	it.each([
		['a bare reference', { headers: { 'x-api-key': '={{$credentials.apiKey}}' } }],
		['text around a reference, spaces inside the braces', { headers: { Authorization: '=Bearer {{ $credentials.apiKey }}' } }],
		['two references and literal text', { headers: { 'X-Auth': '=key={{$credentials.apiKey}}; account={{  $credentials.accountId}}!' } }],
		['a literal value beside a template', { headers: { 'X-Client': 'lipsync', Authorization: '=Token {{$credentials.apiKey}}' } }],
		['query and body entries, a templated key', { qs: { api_key: '={{$credentials.apiKey}}' }, body: { '={{$credentials.accountId}}': 'x' } }],
	])('renders %s as n8n\'s expression engine does (harness copy of n8n\'s generic-auth loop)', async (_title, properties) => {
		const type = typeWith(properties);
		const rendered = renderCredentialAuth(type, credentials);
		expect(rendered).toBeDefined();
		expect(rendered).toEqual(await renderedByN8n(type));
	});

	it.each([
		['a method call in the expression', { headers: { Authorization: '=Bearer {{$credentials.apiKey.trim()}}' } }],
		['bracket access', { headers: { Authorization: '={{ $credentials["apiKey"] }}' } }],
		['another variable', { headers: { 'X-Env': '={{ $env.KEY }}' } }],
		['an expression without a reference', { headers: { 'X-Plain': '=abc' } }],
		['a stray brace in the literal text', { headers: { Authorization: '=Bearer {x}{{$credentials.apiKey}}' } }],
		['a field that is not a string', { headers: { Authorization: '=Bearer {{$credentials.retries}}' } }],
		['a field that is missing', { headers: { Authorization: '=Bearer {{$credentials.nothing}}' } }],
		['a basic-auth section', { auth: { username: '={{$credentials.apiKey}}', password: 'x' } }],
	])('refuses %s (n8n renders it)', (_title, properties) => {
		expect(renderCredentialAuth(typeWith(properties), { ...credentials, retries: 3 })).toBeUndefined();
	});

	it('refuses a function authenticate, a pre-authentication and an inherited type', () => {
		const headers = { Authorization: '=Bearer {{$credentials.apiKey}}' };
		expect(renderCredentialAuth(typeWith(headers, { authenticate: async (_c, o) => o }), credentials)).toBeUndefined();
		expect(renderCredentialAuth(typeWith({ headers }, { preAuthentication: async () => ({}) }), credentials)).toBeUndefined();
		expect(renderCredentialAuth(typeWith({ headers }, { extends: ['oAuth2Api'] }), credentials)).toBeUndefined();
		expect(renderCredentialAuth(typeWith({ headers }), credentials)).toBeDefined();
	});

	it('renders a literal value unchanged and refuses a non-string one', () => {
		expect(renderAuthValue('Bearer fixed', credentials)).toBe('Bearer fixed');
		expect(renderAuthValue(42, credentials)).toBeUndefined();
	});
});

describe('withRenderedAuth', () => {
	it("sets the auth on the request, auth entries winning as n8n's generic authenticate lets them, leaving the input untouched", () => {
		const options: IHttpRequestOptions = { url: 'https://x.test/a', method: 'POST', qs: { page: '1', api_key: 'old' }, body: { a: 1 } };
		const auth = { headers: { Authorization: 'Bearer k' }, qs: { api_key: 'k' }, body: { token: 'k' } };
		expect(withRenderedAuth(options, auth)).toEqual({
			url: 'https://x.test/a',
			method: 'POST',
			headers: { Authorization: 'Bearer k' },
			qs: { page: '1', api_key: 'k' },
			body: { a: 1, token: 'k' },
		});
		expect(options).toEqual({ url: 'https://x.test/a', method: 'POST', qs: { page: '1', api_key: 'old' }, body: { a: 1 } });
		// Empty query and body sections add nothing: a GET keeps having no body.
		expect(withRenderedAuth({ url: 'u', method: 'GET' }, { headers: { A: 'b' }, qs: {}, body: {} })).toEqual({ url: 'u', method: 'GET', headers: { A: 'b' } });
	});
});
