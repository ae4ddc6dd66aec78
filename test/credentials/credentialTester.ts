/**
 * Runs a credential type's declared `test` request the way n8n 2.41.1 does when a user clicks
 * "Test" (CredentialsTester.runRequestTest in packages/cli/src/services/credentials-tester.service.ts,
 * which sends the request through RoutingNode and httpRequestWithAuthentication):
 *
 * 1. Credential data is completed with the properties' defaults (applyDefaultsAndOverwrites).
 * 2. `=…` expressions in the request and in a generic `authenticate` are resolved by n8n-workflow's
 *    expression engine with `$credentials`; `authenticate.properties.{headers,qs}` are merged in.
 *    `disableFollowRedirect` answers with the redirect itself (a 3xx), as axios' maxRedirects 0.
 *    A `data:` URL is answered with its bytes as a Buffer, unparsed, as axios' http adapter does.
 * 3. baseURL + url are joined the way axios does; a status outside 2xx throws unless
 *    `ignoreHttpStatusErrors` ignores it (`{ ignore: true, except }` still throws on `except`).
 * 4. A thrown HTTP error: a `responseCode` rule with that status gives its message; otherwise
 *    the status text (or "Received HTTP status code: N"). A network error gives its code.
 * 5. A response: the body becomes the output item (an array body: its first element); every
 *    `responseSuccessBody` rule whose `key` (lodash-style path) equals `value` fails the test.
 * 6. Otherwise: { status: 'OK', message: 'Connection successful!' }.
 *
 * Only what our credentials use is supported; anything else throws, so a credential that grows
 * beyond this emulation makes its test fail loudly instead of passing vacuously. The real-n8n
 * end-to-end suite runs the same tests through POST /rest/credentials/test.
 */
import { Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INodeTypes,
	IWorkflowDataProxyAdditionalKeys,
} from 'n8n-workflow';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

type IgnoreStatus = IHttpRequestOptions['ignoreHttpStatusErrors'];

class HttpStatusError extends Error {
	constructor(
		readonly statusCode: number,
		readonly statusMessage: string,
	) {
		super(`HTTP ${statusCode}`);
	}
}

/** A one-node workflow whose expression engine (n8n-workflow's own) resolves the test's expressions. */
const expressionWorkflow = new Workflow({
	nodes: [{ id: 'temp', name: 'Temp-Node', type: 'temp', typeVersion: 1, position: [0, 0], parameters: {} }],
	connections: {},
	active: false,
	nodeTypes: {
		getByName: () => ({ description: { properties: [] } }),
		getByNameAndVersion: () => ({ description: { properties: [] } }),
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes,
});

/** `=`-prefixed values through n8n's expression engine, with `$credentials` as RoutingNode gives it. */
function resolveValue(value: unknown, credentials: ICredentialDataDecryptedObject): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return expressionWorkflow.expression.getParameterValue(value, null, 0, 0, 'Temp-Node', [], 'internal', {
		$credentials: credentials,
	} as unknown as IWorkflowDataProxyAdditionalKeys);
}

function resolveObject(
	object: IDataObject | undefined,
	credentials: ICredentialDataDecryptedObject,
): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(object ?? {})) {
		out[String(resolveValue(key, credentials))] = String(resolveValue(value, credentials));
	}
	return out;
}

/** axios' buildFullPath: an absolute url stands alone, else combineURLs. */
function joinUrl(baseURL: string, url: string): string {
	if (!baseURL || /^([a-z][a-z\d+\-.]*:)?\/\//i.test(url) || url.startsWith('data:')) return url;
	return url ? `${baseURL.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}` : baseURL;
}

function statusIsAccepted(status: number, ignore: IgnoreStatus): boolean {
	if (ignore === true) return true;
	if (ignore && typeof ignore === 'object' && ignore.ignore === true) return !ignore.except.includes(status);
	return status >= 200 && status < 300;
}

/** lodash.get for dotted paths (the only form our rules use). */
function getPath(value: unknown, path: string): unknown {
	let current = value;
	for (const segment of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[segment];
	}
	return current;
}

function withDefaults(type: ICredentialType, data: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	const complete: ICredentialDataDecryptedObject = {};
	for (const property of type.properties) complete[property.name] = property.default as string;
	return { ...complete, ...data };
}

async function send(
	type: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
): Promise<unknown> {
	const request = type.test?.request;
	if (!request) throw new Error(`credentialTester: ${type.name} declares no test request`);
	const auth = type.authenticate;
	if (auth && typeof auth !== 'object') {
		throw new Error('credentialTester: only generic authenticate is supported');
	}
	const headers = {
		...resolveObject(request.headers as IDataObject, credentials),
		...resolveObject(auth?.properties.headers, credentials),
	};
	const qs = { ...resolveObject(request.qs, credentials), ...resolveObject(auth?.properties.qs, credentials) };
	const url = new URL(
		joinUrl(
			String(resolveValue(request.baseURL ?? '', credentials)),
			String(resolveValue(request.url ?? '', credentials)),
		),
	);
	for (const [key, value] of Object.entries(qs)) url.searchParams.set(key, value);

	const response = await fetch(url, {
		method: request.method ?? 'GET',
		headers: { Accept: 'application/json, text/plain, */*', ...headers },
		signal: AbortSignal.timeout(15_000),
		// n8n's disableFollowRedirect (axios maxRedirects 0): the redirect itself is the answer.
		redirect: request.disableFollowRedirect === true ? 'manual' : 'follow',
	});
	// axios answers a data: URL itself with its raw bytes (a Buffer), which it never parses.
	if (url.protocol === 'data:') return Buffer.from(await response.arrayBuffer());
	const text = await response.text();
	if (!statusIsAccepted(response.status, request.ignoreHttpStatusErrors)) {
		throw new HttpStatusError(response.status, response.statusText);
	}
	// axios' default transformResponse: JSON when it parses, the text otherwise.
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

export async function runCredentialTest(
	type: ICredentialType,
	data: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	const credentials = withDefaults(type, data);
	const rules = type.test?.rules ?? [];
	let body: unknown;
	try {
		body = await send(type, credentials);
	} catch (error) {
		if (error instanceof HttpStatusError) {
			for (const rule of rules) {
				if (rule.type === 'responseCode' && rule.properties.value === error.statusCode) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			return {
				status: 'Error',
				message: error.statusMessage || `Received HTTP status code: ${error.statusCode}`,
			};
		}
		const code = (error as { cause?: { code?: string } }).cause?.code;
		if (code) return { status: 'Error', message: code };
		throw error;
	}
	// RoutingNode: one output item per array element, else one item holding the body.
	const items = Array.isArray(body) ? body.map((json: unknown) => ({ json })) : [{ json: body }];
	for (const rule of rules) {
		if (rule.type === 'responseSuccessBody') {
			// n8n reads response[0][0].json here, which throws on an empty array, as this does.
			if (getPath(items[0].json, rule.properties.key) === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
