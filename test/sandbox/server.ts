/** The HTTP front: routing by vendor prefix, request log, request faults, auth, then the handler. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REQUEST_FAULTS, type Fault, type FaultKind } from './faults';
import { coverRoute, resultRoute, sendVideo } from './files';
import {
	BodyTooLargeError,
	matchPath,
	readJsonBody,
	sleep,
	type Ctx,
	type Route,
	type SandboxCore,
	type VendorFaultBodies,
	type VendorModule,
} from './http';
import { VENDORS } from './options';
import { maskHeaders } from './requestLog';
import { SPEECH_ROUTES } from './speech';

const ANSWERING_FAULTS = new Set<FaultKind>([...REQUEST_FAULTS].filter((kind) => kind !== 'slow'));

/** `/files/...`: not a vendor, but downloads tests use (faults target 'files'). */
const FILES_ROUTES: Route[] = [
	{
		method: 'GET',
		path: '/video.mp4',
		endpoint: 'download',
		kind: 'download',
		auth: false,
		handler: (ctx) => {
			const size = ctx.url.searchParams.get('size');
			return sendVideo(ctx, size === null ? null : Number(size));
		},
	},
	...SPEECH_ROUTES,
];

const FILES_FAULT_BODIES: VendorFaultBodies = {
	rateLimit: () => ({ body: { message: 'Too Many Requests' } }),
	serverError: () => ({ message: 'Internal Server Error' }),
	errorEnvelope: () => ({ error: 'internal error' }),
	invalidInput: () => ({ status: 400, body: { message: 'Bad Request' } }),
};

const GATEWAY_TITLES: Record<number, string> = { 502: 'Bad Gateway', 504: 'Gateway Time-out' };
const GATEWAY_PAGE = (status: number): string => {
	const title = `${status} ${GATEWAY_TITLES[status] ?? 'Error'}`;
	return `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>nginx</center></body></html>\n`;
};

interface Resolved {
	target: string;
	module?: VendorModule;
	route?: Route;
	params: Record<string, string>;
}

export class SandboxRouter {
	private readonly modules = new Map<string, VendorModule>();

	constructor(
		private readonly core: SandboxCore,
		modules: VendorModule[],
		private readonly control: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>,
	) {
		for (const module of modules) {
			module.routes.push(resultRoute(module.vendor), coverRoute());
			this.modules.set(module.vendor, module);
		}
	}

	readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
		if (url.pathname === '/__sandbox' || url.pathname.startsWith('/__sandbox/')) {
			await this.control(req, res, url).catch((error) => sendPlainError(res, error));
			return;
		}
		const resolved = this.resolve(req.method ?? 'GET', url.pathname);
		const entry = this.core.log.open({
			time: Date.now(),
			vendor: resolved.target,
			endpoint: resolved.route?.endpoint ?? 'unknown',
			method: req.method ?? 'GET',
			path: url.pathname + url.search,
			headers: maskHeaders(req.headers),
		});
		res.on('close', () => {
			entry.statusCode = res.headersSent ? res.statusCode : 0;
			entry.durationMs = Date.now() - entry.time;
		});
		const ctx = createCtx(req, res, url, resolved.params, entry, this.core);
		try {
			await this.serve(ctx, resolved);
		} catch (error) {
			if (error instanceof BodyTooLargeError) ctx.json(413, { message: error.message });
			else if (!res.headersSent) ctx.json(500, { message: `sandbox error: ${String(error)}` });
			else res.destroy();
		}
	};

	private async serve(ctx: Ctx, { target, module, route }: Resolved): Promise<void> {
		if (!route) {
			if (module) module.notFound(ctx);
			else ctx.json(404, { message: `no such sandbox path; vendors are under /${VENDORS.join(', /')}` });
			return;
		}
		if (!route.streamBody && ctx.req.method !== 'GET' && ctx.req.method !== 'HEAD') {
			const { body, badJson } = await readJsonBody(ctx.req);
			ctx.body = body;
			ctx.badJson = badJson;
			ctx.entry.requestBody = body;
		}
		const bodies = module?.faultBodies ?? FILES_FAULT_BODIES;
		const bodyText = ctx.body === undefined ? '' : JSON.stringify(ctx.body);
		const forThisBody = (f: Fault) => f.matchBody === undefined || bodyText.includes(f.matchBody);
		const createdFirst = this.core.faults.take(target, route.kind, REQUEST_FAULTS, (f) => f.createdFirst === true && forThisBody(f));
		if (createdFirst) {
			await this.serveCreatedFirst(ctx, module, route, createdFirst, bodies);
			return;
		}
		if (await this.applyRequestFaults(ctx, target, route, bodies, forThisBody)) return;
		await this.authorizeAndHandle(ctx, module, route);
	}

	/**
	 * The vendor did its work (a create made a job) and then the answer went wrong: the handler
	 * runs against a muted context, and the fault answers instead (or, for `slow`, late).
	 */
	private async serveCreatedFirst(
		ctx: Ctx,
		module: VendorModule | undefined,
		route: Route,
		fault: Fault,
		bodies: VendorFaultBodies,
	): Promise<void> {
		const answers: Array<() => void> = [];
		const muted: Ctx = {
			...ctx,
			json: (...args) => void answers.push(() => ctx.json(...args)),
			text: (...args) => void answers.push(() => ctx.text(...args)),
		};
		await this.authorizeAndHandle(muted, module, route);
		ctx.entry.fault = `${fault.kind} (created first)`;
		if (fault.kind === 'slow') {
			await sleep(fault.delayMs ?? 2000);
			for (const answer of answers) answer();
			return;
		}
		answerFault(ctx, fault, bodies);
	}

	private async authorizeAndHandle(ctx: Ctx, module: VendorModule | undefined, route: Route): Promise<void> {
		if (module && route.auth !== false) {
			const key = module.readKey(ctx);
			if (!key || !this.core.keys(module.vendor).includes(key)) {
				module.rejectKey(ctx);
				return;
			}
			ctx.key = key;
			if (ctx.req.method === 'POST') this.core.limits.recordPost(module.vendor, key);
			if (module.beforeHandle && !module.beforeHandle(ctx)) return;
		}
		await route.handler(ctx);
	}

	/** Returns true when a fault has answered (or killed) the request. */
	private async applyRequestFaults(
		ctx: Ctx,
		target: string,
		route: Route,
		bodies: VendorFaultBodies,
		forThisBody: (fault: Fault) => boolean,
	): Promise<boolean> {
		const { faults } = this.core;
		const slow = faults.take(target, route.kind, 'slow', forThisBody);
		if (slow) {
			ctx.entry.fault = 'slow';
			await sleep(slow.delayMs ?? 2000);
		}
		const fault = faults.take(target, route.kind, ANSWERING_FAULTS, forThisBody);
		if (!fault) return false;
		ctx.entry.fault = fault.kind;
		answerFault(ctx, fault, bodies);
		return true;
	}

	private resolve(method: string, pathname: string): Resolved {
		// A credential base URL with a trailing slash gives `//v2/...`: tolerate it.
		const [, first = '', ...rest] = pathname.replace(/\/{2,}/g, '/').split('/');
		const routeMethod = method === 'HEAD' ? 'GET' : method;
		const module = this.modules.get(first);
		const target = module ? first : first === 'files' ? 'files' : 'unknown';
		if (!module && target !== 'files') return { target, params: {} };
		let below = '/' + rest.join('/');
		if (module?.rewritePath) below = module.rewritePath(below);
		for (const route of module ? module.routes : FILES_ROUTES) {
			if (route.method !== routeMethod) continue;
			if (method === 'HEAD' && route.kind !== 'download' && route.endpoint !== 'asset') continue;
			const params = matchPath(route.path, below);
			if (params) return { target, module, route, params };
		}
		return { target, module, params: {} };
	}
}

function createCtx(
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
	params: Record<string, string>,
	entry: Ctx['entry'],
	core: SandboxCore,
): Ctx {
	return {
		req,
		res,
		url,
		params,
		body: undefined,
		badJson: false,
		key: '',
		entry,
		core,
		json(status, body, headers = {}) {
			const text = JSON.stringify(body);
			entry.responseBody = body;
			res.writeHead(status, {
				'content-type': 'application/json; charset=utf-8',
				'content-length': Buffer.byteLength(text),
				...headers,
			});
			res.end(text);
		},
		text(status, body, contentType = 'text/plain; charset=utf-8', headers = {}) {
			entry.responseBody = body;
			res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
			res.end(body);
		},
	};
}

/** Answers (or kills) a request the way one answering request fault says. */
function answerFault(ctx: Ctx, fault: Fault, bodies: VendorFaultBodies): void {
	switch (fault.kind) {
		case 'reset':
			ctx.req.socket.destroy();
			return;
		case 'rateLimit': {
			const seconds = fault.retryAfterSeconds ?? 1;
			const { body, headers } = bodies.rateLimit(ctx, seconds);
			ctx.json(429, body, { 'retry-after': seconds, ...headers });
			return;
		}
		case 'serverError': {
			const status = fault.httpStatus ?? 500;
			if (status === 502 || status === 504) ctx.text(status, GATEWAY_PAGE(status), 'text/html');
			else ctx.json(status, bodies.serverError(ctx, status));
			return;
		}
		case 'malformedJson':
			ctx.text(200, '{"code":0,"data":{"task_id":"7f3a', 'application/json');
			return;
		case 'errorEnvelope':
			ctx.json(200, bodies.errorEnvelope(ctx));
			return;
		case 'invalidInput': {
			const { status, body } = bodies.invalidInput(ctx);
			ctx.json(status, body);
			return;
		}
		default:
			ctx.json(500, { message: `sandbox: fault ${fault.kind} cannot answer a request` });
	}
}

function sendPlainError(res: ServerResponse, error: unknown): void {
	if (res.headersSent) {
		res.destroy();
		return;
	}
	const text = JSON.stringify({ message: error instanceof Error ? error.message : String(error) });
	res.writeHead(400, { 'content-type': 'application/json' });
	res.end(text);
}
