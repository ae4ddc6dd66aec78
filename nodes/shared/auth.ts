import type { ICredentialType, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

/**
 * A credential type's declarative auth (`authenticate: { type: 'generic', properties }`),
 * rendered once per node run. n8n's `httpRequestWithAuthentication` re-reads the credential and
 * re-renders the same template through its expression engine on every request (≈ 1.6 ms of
 * main-thread CPU per request in n8n 2.41, bench/README.md); the values cannot change within a
 * run, so the transport renders them once and sends with the plain `httpRequest` helper.
 *
 * The credential class stays the one definition of the auth. Only what renders exactly as
 * n8n's own code would is rendered here: literal strings, and `=` templates made of literal
 * text and `{{ $credentials.<field> }}` references to string fields. Anything else (a function
 * `authenticate`, other expressions, `auth`, pre-authentication, inherited types) gives
 * `undefined`, and the transport keeps n8n's helper for that credential.
 */

export interface RenderedAuth {
	headers: Record<string, string>;
	qs: Record<string, string>;
	body: Record<string, string>;
}

type Section = keyof RenderedAuth;
const SECTIONS: readonly Section[] = ['headers', 'qs', 'body'];

/** One `{{ $credentials.<field> }}` reference, whitespace inside the braces allowed. */
const REFERENCE = /\{\{\s*\$credentials\.([A-Za-z_$][\w$]*)\s*\}\}/g;

/**
 * Renders one key or value as n8n's credentials helper would (`resolveValue`), or returns
 * undefined when it is not a form we are sure of. A value without a leading `=` is literal.
 */
export function renderAuthValue(template: unknown, credentials: IDataObject): string | undefined {
	if (typeof template !== 'string') return undefined;
	if (!template.startsWith('=')) return template;
	const source = template.slice(1);
	let rendered = '';
	let references = 0;
	let last = 0;
	for (const match of source.matchAll(REFERENCE)) {
		const literal = source.slice(last, match.index);
		if (!isPlainLiteral(literal)) return undefined;
		const value = credentials[match[1]];
		// n8n turns a missing value into '' in a template and '' alone, but not always the same
		// way for numbers, objects or null: only strings are certain.
		if (typeof value !== 'string') return undefined;
		rendered += literal + value;
		references++;
		last = match.index + match[0].length;
	}
	const tail = source.slice(last);
	if (references === 0 || !isPlainLiteral(tail)) return undefined;
	return rendered + tail;
}

/** Text that n8n's template engine copies unchanged: no braces (other expressions), no escapes. */
function isPlainLiteral(text: string): boolean {
	return !/[{}\\]/.test(text);
}

/**
 * The credential type's auth, rendered with this run's credential values, or undefined when
 * n8n's helper must authenticate each request (see the file comment for what falls back).
 */
export function renderCredentialAuth(
	credentialType: Pick<ICredentialType, 'authenticate' | 'preAuthentication' | 'extends'> | undefined,
	credentials: IDataObject,
): RenderedAuth | undefined {
	const authenticate = credentialType?.authenticate;
	if (!authenticate || typeof authenticate !== 'object' || authenticate.type !== 'generic') return undefined;
	// Expirable tokens and inherited types (OAuth) need n8n's helper on every request.
	if (credentialType.preAuthentication || (credentialType.extends ?? []).length > 0) return undefined;
	const rendered: RenderedAuth = { headers: {}, qs: {}, body: {} };
	for (const [section, entries] of Object.entries(authenticate.properties ?? {})) {
		if (!SECTIONS.includes(section as Section) || !entries || typeof entries !== 'object') return undefined;
		for (const [key, value] of Object.entries(entries as IDataObject)) {
			const renderedKey = renderAuthValue(key, credentials);
			const renderedValue = renderAuthValue(value, credentials);
			if (renderedKey === undefined || renderedValue === undefined) return undefined;
			rendered[section as Section][renderedKey] = renderedValue;
		}
	}
	return rendered;
}

/**
 * The request options with the rendered auth set on them, as n8n's generic authenticate sets
 * them: auth entries win over same-named ones of the request; empty sections add nothing.
 */
export function withRenderedAuth(options: IHttpRequestOptions, auth: RenderedAuth): IHttpRequestOptions {
	const result: IHttpRequestOptions = { ...options, headers: { ...(options.headers ?? {}), ...auth.headers } };
	if (Object.keys(auth.qs).length > 0) result.qs = { ...(options.qs ?? {}), ...auth.qs };
	if (Object.keys(auth.body).length > 0) result.body = { ...((options.body as IDataObject | undefined) ?? {}), ...auth.body };
	return result;
}
