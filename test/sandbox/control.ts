/** `/__sandbox/...`: the same controls as the in-process API, for a sandbox in another process. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonBody, isObject, matchPath } from './http';
import type { JobStats } from './jobs';
import type { Sandbox } from './index';
import { DEMO_KEYS, VENDORS, type Vendor } from './options';

export const allVendorStats = (sandbox: Sandbox): Record<Vendor, JobStats> =>
	Object.fromEntries(VENDORS.map((vendor) => [vendor, sandbox.jobs.stats(vendor)])) as Record<Vendor, JobStats>;

type Handler = (sandbox: Sandbox, body: unknown, url: URL, params: Record<string, string>) => unknown;

const asVendor = (value: string | null | undefined): Vendor | undefined =>
	value && (VENDORS as readonly string[]).includes(value) ? (value as Vendor) : undefined;

const filterFrom = (url: URL) => ({
	vendor: url.searchParams.get('vendor') ?? undefined,
	endpoint: url.searchParams.get('endpoint') ?? undefined,
	method: url.searchParams.get('method') ?? undefined,
});

const ROUTES: Array<[method: string, path: string, handler: Handler]> = [
	[
		'GET',
		'/info',
		(sb) => ({
			url: sb.url,
			vendors: Object.fromEntries(VENDORS.map((v) => [v, { baseUrl: sb.baseUrl(v), key: DEMO_KEYS[v] }])),
		}),
	],
	['GET', '/log', (sb, _b, url) => ({ entries: sb.log.entries(filterFrom(url)) })],
	['DELETE', '/log', (sb) => (sb.log.clear(), { ok: true })],
	['GET', '/counts', (sb) => ({ counts: sb.log.counts() })],
	['GET', '/faults', (sb) => ({ faults: sb.faults() })],
	[
		'POST',
		'/faults',
		(sb, body) => {
			if (!isObject(body) || typeof body.target !== 'string') throw new Error('body must be {target, fault}');
			sb.setFault(body.target, (body.fault ?? null) as Parameters<Sandbox['setFault']>[1]);
			return { faults: sb.faults() };
		},
	],
	['DELETE', '/faults', (sb) => (VENDORS.forEach((v) => sb.setFault(v, null)), sb.setFault('files', null), sb.setFault('all', null), { ok: true })],
	['GET', '/options', (sb) => ({ options: sb.options() })],
	[
		'POST',
		'/options',
		(sb, body) => {
			if (!isObject(body)) throw new Error('body must be an object of options');
			sb.setOptions(body);
			return { options: sb.options() };
		},
	],
	[
		'GET',
		'/jobs',
		(sb, _b, url) => {
			const vendor = asVendor(url.searchParams.get('vendor'));
			return { jobs: sb.jobs.list(vendor), stats: vendor ? sb.jobs.stats(vendor) : allVendorStats(sb) };
		},
	],
	['GET', '/stats', (sb) => allVendorStats(sb)],
	[
		'POST',
		'/jobs/:vendor/:id/finish',
		(sb, body, _url, params) => {
			const vendor = asVendor(params.vendor);
			if (!vendor) throw new Error(`unknown vendor ${params.vendor}`);
			const outcome = isObject(body) && (body.outcome === 'failed' || body.outcome === 'succeeded') ? body.outcome : undefined;
			return { job: sb.jobs.finish(vendor, params.id, outcome) };
		},
	],
	['GET', '/deliveries', (sb) => ({ deliveries: sb.deliveries.list() })],
	['DELETE', '/deliveries', (sb) => (sb.deliveries.clear(), { ok: true })],
	[
		'POST',
		'/joggai/events',
		async (sb, body) => {
			if (!isObject(body) || typeof body.event !== 'string') throw new Error('body must be {event, data, ...}');
			const data = isObject(body.data) ? body.data : {};
			return { deliveries: await sb.joggai.deliverEvent({ ...(body as object), event: body.event, data }) };
		},
	],
	['GET', '/joggai/endpoints', (sb, _b, url) => ({ endpoints: sb.joggai.endpoints(url.searchParams.get('key') ?? undefined) })],
	['POST', '/reset', (sb) => (sb.reset(), { ok: true })],
];

export function createControlHandler(getSandbox: () => Sandbox) {
	return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
		const below = url.pathname.slice('/__sandbox'.length) || '/';
		const reply = (status: number, body: unknown) => {
			const text = JSON.stringify(body);
			res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
			res.end(text);
		};
		for (const [method, path, handler] of ROUTES) {
			const params = req.method === method ? matchPath(path, below) : undefined;
			if (!params) continue;
			const { body, badJson } = method === 'GET' ? { body: undefined, badJson: false } : await readJsonBody(req);
			if (badJson) return reply(400, { message: 'body is not JSON' });
			try {
				return reply(200, await handler(getSandbox(), body, url, params));
			} catch (error) {
				return reply(400, { message: error instanceof Error ? error.message : String(error) });
			}
		}
		reply(404, { message: `no control route ${req.method} ${url.pathname}`, routes: ROUTES.map(([m, p]) => `${m} /__sandbox${p}`) });
	};
}
