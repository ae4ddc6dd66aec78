/**
 * HTTP access to a running n8n: the editor's REST API (`/rest`, owner cookie) and the public
 * API (`/api/v1`, API key). Non-2xx answers throw with the body, so tests see n8n's reason.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class N8nHttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
		what: string,
	) {
		super(`${what} → HTTP ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
	}
}

// The auth cookie is bound to this header (n8n's browser-id check on /rest).
const BROWSER_ID = 'lipsync-e2e-harness';

export class N8nClient {
	cookie = '';
	apiKey = '';

	constructor(readonly url: string) {}

	private async request(method: HttpMethod, path: string, body: unknown, headers: Record<string, string>) {
		const what = `${method} ${path}`;
		const res = await fetch(this.url + path, {
			method,
			headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// Not JSON (an HTML error page, say): keep the text for the error message.
		}
		if (!res.ok) throw new N8nHttpError(res.status, parsed, what);
		return { parsed, res };
	}

	/** Editor REST API (`/rest<path>`) as the owner; returns the `data` member of the answer. */
	async rest<T = any>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
		const { parsed, res } = await this.request(method, `/rest${path}`, body, {
			cookie: this.cookie,
			'browser-id': BROWSER_ID,
		});
		this.keepAuthCookie(res);
		return (parsed as { data?: T } | undefined)?.data as T;
	}

	/** Public API (`/api/v1<path>`) with the API key; returns the whole answer. */
	async api<T = any>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
		if (!this.apiKey) throw new Error('no API key yet: call setUpOwner/logIn and createApiKey first');
		const { parsed } = await this.request(method, `/api/v1${path}`, body, { 'x-n8n-api-key': this.apiKey });
		return parsed as T;
	}

	/** The node or credential type descriptions the editor loads (`/types/<kind>.json`). */
	async types(kind: 'nodes' | 'credentials'): Promise<Array<{ name: string; displayName: string; [key: string]: any }>> {
		const { parsed } = await this.request('GET', `/types/${kind}.json`, undefined, {
			cookie: this.cookie,
			'browser-id': BROWSER_ID,
		});
		return parsed as Array<{ name: string; displayName: string }>;
	}

	private keepAuthCookie(res: Response) {
		const auth = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
	}

	async setUpOwner(owner: OwnerLogin): Promise<void> {
		await this.rest('POST', '/owner/setup', { ...owner });
	}

	async logIn(owner: OwnerLogin): Promise<void> {
		await this.rest('POST', '/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	}

	/** An API key with every scope the owner may grant. */
	async createApiKey(label: string): Promise<string> {
		const scopes = await this.rest<string[]>('GET', '/api-keys/scopes');
		const key = await this.rest<{ rawApiKey: string }>('POST', '/api-keys', { label, expiresAt: null, scopes });
		this.apiKey = key.rawApiKey;
		return this.apiKey;
	}
}

export interface OwnerLogin {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}
