import type { IAuthenticateRuleResponseCode, IAuthenticateRuleResponseSuccessBody, ICredentialTestRequest } from 'n8n-workflow';

type TestRule = IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody;

/**
 * The node's own request rules for a credential's Test button (n8n runs a credential's `test`
 * request itself, with its defaults: it follows redirects, carrying the key to wherever they
 * point, and sends over plain http). Here, as in the node's transport:
 * - https only, plain http only to this machine: for any other http Base URL the request goes to
 *   a `data:` URL instead (answered inside n8n's HTTP client, nothing leaves it, no key is sent)
 *   whose body a rule turns into the reason;
 * - no redirects: `disableFollowRedirect`, and each redirect status fails with the reason.
 * Expressions are n8n's: `$credentials.baseUrl` is the field as typed.
 */

const LOOPBACK_HTTP = String.raw`/^http:\/\/(localhost|[\w.-]+\.localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?(\/|$)/i`;
const HTTPS = String.raw`/^https:\/\//i`;
/**
 * n8n's HTTP client hands a `data:` URL's body over as raw bytes (a Buffer: axios parses only text
 * answers), so the rule recognises it by `byteLength`, a property only such bytes have: a vendor's
 * answer is parsed JSON or text, never a Buffer.
 */
const REFUSAL_BODY = 'lipsync-credential-test-refused-plain-http-base-url';
const REFUSAL_URL = `data:text/plain,${REFUSAL_BODY}`;

/**
 * The test request's `url`: the Base URL joined with `path` — or with the credential field
 * `pathField` when the user set it (a guessed path corrected without a release) — or the refusal
 * for a plain-http Base URL.
 */
export function credentialTestUrl(path: string, pathField?: string): string {
	const base = '$credentials.baseUrl.trim()';
	const chosenPath = pathField ? `(String($credentials.${pathField} ?? '').trim() || ${JSON.stringify(path)})` : JSON.stringify(path);
	return `={{ ${HTTPS}.test(${base}) || ${LOOPBACK_HTTP}.test(${base}) ? ${base}.replace(/\\/+$/, '') + ${chosenPath} : ${JSON.stringify(REFUSAL_URL)} }}`;
}

/** The statuses of a redirect; n8n's `ignoreHttpStatusErrors.except` lists must include them. */
export const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/**
 * The vendor's own rules after the ones that turn the refusals above into their reasons. n8n reads
 * every rule by its `type` (code rules on an HTTP error, body rules on an answer); its type allows
 * one kind per list only, hence the cast.
 */
export function credentialTestRules(vendor: string, vendorRules: TestRule[]): ICredentialTestRequest['rules'] {
	return [...refusalRules(vendor), ...vendorRules] as IAuthenticateRuleResponseSuccessBody[];
}

function refusalRules(vendor: string): TestRule[] {
	return [
		{
			type: 'responseSuccessBody',
			properties: {
				key: 'byteLength',
				value: REFUSAL_BODY.length,
				message: `${vendor}: the Base URL does not use https, so the API key would travel unencrypted — use the https address (plain http is allowed only for localhost). Nothing was sent.`,
			},
		},
		...REDIRECT_STATUSES.map((status) => ({
			type: 'responseCode' as const,
			properties: {
				value: status,
				message: `${vendor}: the Base URL answered with a redirect (HTTP ${status}); the test does not follow it with the API key — set the Base URL to the address the vendor documents`,
			},
		})),
	];
}
