/** JoggAI account webhooks: endpoint CRUD, the event list, and signed deliveries on job end.
 * ASSUMPTIONS: listed at the top of joggai.ts (lip-sync event names and data, code 40000 cases)
 * and JOGGAI_ASSUMED_LIP_SYNC_EVENTS below. */
import { randomBytes } from 'node:crypto';
import type { DeliveryRecord } from '../deliveries';
import { asString, isObject, unixSeconds, type Ctx, type Route, type SandboxCore } from '../http';
import { coverUrl, RESULT_DURATION_SECONDS, resultUrl } from '../jobKit';
import type { SandboxJob } from '../jobs';
import { DEMO_KEYS } from '../options';

/** The events JoggAI documents (its `GET /v2/events` list, image and motion events included): no lip-sync event among them. */
export const JOGGAI_DOCUMENTED_EVENTS = [
	'generated_video_success',
	'generated_video_failed',
	'create_avatar_success',
	'create_avatar_failed',
	'generated_product_video_success',
	'generated_product_video_failed',
	'generated_avatar_video_success',
	'generated_avatar_video_failed',
	'generated_template_video_success',
	'generated_template_video_failed',
	'generated_translate_video_success',
	'generated_translate_video_failed',
	'generated_photo_avatar_success',
	'generated_photo_avatar_failed',
	'generated_product_avatar_success',
	'generated_product_avatar_failed',
	'generated_script_success',
	'generated_script_failed',
	'generated_image_success',
	'generated_image_failed',
	'generated_motion_success',
	'generated_motion_failed',
];

/**
 * ASSUMPTION (not documented by JoggAI): lip-sync completion events under these names, fired by
 * the sandbox when a lip-sync job ends, so the trigger's handling of a future lip-sync event can
 * be tested. The real API does not list them today; examples must not rely on them.
 */
export const JOGGAI_ASSUMED_LIP_SYNC_EVENTS = ['generated_lip_sync_video_success', 'generated_lip_sync_video_failed'];

/** What the sandbox's `GET /v2/events` lists and its endpoints accept: documented, then assumed. */
export const JOGGAI_EVENTS = [...JOGGAI_DOCUMENTED_EVENTS, ...JOGGAI_ASSUMED_LIP_SYNC_EVENTS];

export interface WebhookEndpoint {
	endpoint_id: string;
	url: string;
	secret: string;
	status: 'enabled' | 'disabled';
	events: string[];
	created_at: number;
}

export interface DeliverEventInput {
	event: string;
	data: Record<string, unknown>;
	/** Account whose endpoints receive it (default the demo key). */
	key?: string;
	/** Only this endpoint (even if it does not list the event). */
	endpointId?: string;
	/** Deliver straight to this URL instead of registered endpoints. */
	url?: string;
	/** Secret for `url` (default 'sandbox-webhook-secret'). */
	secret?: string;
	eventId?: string;
}

export interface JoggAiWebhooks {
	routes: Route[];
	endpoints(key?: string): WebhookEndpoint[];
	deliverEvent(input: DeliverEventInput): Promise<DeliveryRecord[]>;
	reset(): void;
}

const reply = (ctx: Ctx, code: number, msg: string, data: unknown = null) =>
	ctx.json(200, { code, msg, data, rid: randomBytes(8).toString('hex') });

/** JoggAI only calls public https URLs. */
function urlProblem(value: unknown): string | undefined {
	let url: URL;
	try {
		url = new URL(String(value));
	} catch {
		return 'url must be a valid URL';
	}
	if (url.protocol !== 'https:') return 'url must use https';
	const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
	const privateHost =
		host === 'localhost' ||
		host.endsWith('.localhost') ||
		host === '::1' ||
		host === '0.0.0.0' ||
		/^127\./.test(host) ||
		/^10\./.test(host) ||
		/^192\.168\./.test(host) ||
		/^172\.(1[6-9]|2\d|3[01])\./.test(host);
	return privateHost ? 'url must be a public address' : undefined;
}

export function createJoggAiWebhooks(core: SandboxCore): JoggAiWebhooks {
	const byKey = new Map<string, WebhookEndpoint[]>();
	const listFor = (key: string): WebhookEndpoint[] => {
		let list = byKey.get(key);
		if (!list) byKey.set(key, (list = []));
		return list;
	};

	/** Validates url/status/events of a create (all required) or update (all optional). */
	function validate(ctx: Ctx, body: Record<string, unknown>, partial: boolean): string | undefined {
		if (!partial || body.url !== undefined) {
			const problem = urlProblem(body.url);
			if (problem) return problem;
		}
		if (body.status !== undefined && body.status !== 'enabled' && body.status !== 'disabled') {
			return 'status must be enabled or disabled';
		}
		if (!partial || body.events !== undefined) {
			const events = body.events;
			if (!Array.isArray(events) || events.length === 0) return 'events must be a non-empty array';
			const unknown = events.filter((e) => !JOGGAI_EVENTS.includes(String(e)));
			if (unknown.length) return `unknown events: ${unknown.join(', ')}`;
		}
		void ctx;
		return undefined;
	}

	const routes: Route[] = [
		{
			method: 'GET',
			path: '/v2/events',
			endpoint: 'events',
			kind: 'other',
			handler: (ctx) => reply(ctx, 0, 'success', { events: JOGGAI_EVENTS }),
		},
		{
			method: 'GET',
			path: '/v2/endpoints',
			endpoint: 'endpoints',
			kind: 'other',
			handler: (ctx) => reply(ctx, 0, 'success', { endpoints: listFor(ctx.key) }),
		},
		{
			method: 'POST',
			path: '/v2/endpoint',
			endpoint: 'endpoint-create',
			kind: 'other',
			handler: (ctx) => {
				const body = isObject(ctx.body) ? ctx.body : {};
				const problem = validate(ctx, body, false);
				if (problem) return reply(ctx, 40000, `parameter error: ${problem}`);
				const list = listFor(ctx.key);
				if (list.length >= core.options().joggaiMaxEndpoints) {
					return reply(ctx, 40000, `parameter error: at most ${core.options().joggaiMaxEndpoints} endpoints`);
				}
				const endpoint: WebhookEndpoint = {
					endpoint_id: `ep_${randomBytes(8).toString('hex')}`,
					url: String(body.url),
					secret: `whsec_${randomBytes(24).toString('hex')}`,
					status: body.status === 'disabled' ? 'disabled' : 'enabled',
					events: (body.events as unknown[]).map(String),
					created_at: unixSeconds(Date.now()),
				};
				list.push(endpoint);
				reply(ctx, 0, 'success', endpoint);
			},
		},
		{
			method: 'PUT',
			path: '/v2/endpoint/:id',
			endpoint: 'endpoint-update',
			kind: 'other',
			handler: (ctx) => {
				const endpoint = listFor(ctx.key).find((e) => e.endpoint_id === ctx.params.id);
				if (!endpoint) return reply(ctx, 10104, 'record not found');
				const body = isObject(ctx.body) ? ctx.body : {};
				const problem = validate(ctx, body, true);
				if (problem) return reply(ctx, 40000, `parameter error: ${problem}`);
				if (asString(body.url)) endpoint.url = String(body.url);
				if (body.status) endpoint.status = body.status as WebhookEndpoint['status'];
				if (Array.isArray(body.events)) endpoint.events = body.events.map(String);
				reply(ctx, 0, 'success', endpoint);
			},
		},
		{
			method: 'DELETE',
			path: '/v2/endpoint/:id',
			endpoint: 'endpoint-delete',
			kind: 'other',
			handler: (ctx) => {
				const list = listFor(ctx.key);
				const index = list.findIndex((e) => e.endpoint_id === ctx.params.id);
				if (index < 0) return reply(ctx, 10104, 'record not found');
				list.splice(index, 1);
				reply(ctx, 0, 'success', { endpoint_id: ctx.params.id });
			},
		},
	];

	async function deliverEvent(input: DeliverEventInput): Promise<DeliveryRecord[]> {
		const { event, data, eventId } = input;
		if (input.url) {
			const secret = input.secret ?? 'sandbox-webhook-secret';
			return core.deliveries.joggAiEvent({ url: input.url, secret, event, data, eventId });
		}
		const targets = listFor(input.key ?? DEMO_KEYS.joggai).filter((e) =>
			input.endpointId ? e.endpoint_id === input.endpointId : e.status === 'enabled' && e.events.includes(event),
		);
		const results = await Promise.all(
			targets.map((e) => core.deliveries.joggAiEvent({ url: e.url, secret: e.secret, event, data, eventId })),
		);
		return results.flat();
	}

	/** Fires the lip-sync event when a JoggAI job ends. */
	core.jobs.onTransition((job: SandboxJob) => {
		if (job.vendor !== 'joggai' || (job.phase !== 'succeeded' && job.phase !== 'failed')) return;
		const succeeded = job.phase === 'succeeded';
		const event = succeeded ? 'generated_lip_sync_video_success' : 'generated_lip_sync_video_failed';
		// No listener, no delivery — and no result token minted (it would count for expiringUrls).
		if (!listFor(job.key).some((e) => e.status === 'enabled' && e.events.includes(event))) return;
		const data: Record<string, unknown> = succeeded
			? (() => {
					const url = resultUrl(core, job);
					return {
						task_id: job.id,
						status: 'success',
						result_url: url,
						video_url: url,
						cover_url: coverUrl(core, job),
						duration_seconds: RESULT_DURATION_SECONDS,
					};
				})()
			: { task_id: job.id, status: 'failed', error: { message: job.failure?.message ?? 'failed' } };
		void deliverEvent({ event, data, key: job.key });
	});

	return {
		routes,
		endpoints: (key = DEMO_KEYS.joggai) => listFor(key),
		deliverEvent,
		reset: () => byKey.clear(),
	};
}
