/**
 * sync.so (docs/vendors.md § sync.so): header `x-api-key`; errors are HTTP 4xx/5xx
 * `{statusCode, message, error, errorCode}` with `errorCode` a string and `message` a string or a
 * list of strings; a generation is `{id, createdAt, status, model, input, options, webhookUrl,
 * outputUrl, outputDuration, error, error_code}`, times ISO 8601, `outputDuration` seconds.
 * `POST /v2/generate` answers 201 with the generation (PENDING); `GET /v2/generate/{id}` 200;
 * `GET /v2/models` a bare list; the asset flow `POST /v2/assets/upload` (201 presigned URL) →
 * PUT → `POST /v2/assets` → `assetId` in the create's `input`.
 *
 * ASSUMPTIONS (undocumented; the sandbox picks one, the node tolerates the alternatives):
 * - A failed generation carries `error_code` (the SDKs' name), not `errorCode` (newest docs);
 *   variant `syncsoErrorCodeCamel` answers the other way, `syncsoOutputMediaUrl` names the video
 *   `outputMediaUrl` (test/sandbox/variants.ts).
 * - `errorCode` of a 400 validation refusal is `generation_input_validation_failed`, of a 401
 *   `unauthorized`, of an unknown id (404) `generation_not_found`, of an asset that was never
 *   uploaded (400) `asset_not_uploaded`.
 * - 60 creates and 600 other requests per minute per key still apply; 429 has no Retry-After.
 * - `POST /v2/assets` answers 201 with the asset; its `url` must be a public URL or one handed out
 *   by `POST /v2/assets/upload` whose PUT arrived.
 * - A failed generation's default code is `generation_media_metadata_missing`; `fail-<n>` makes it
 *   `generation_pipeline_failed` with n in the words; an input containing `rejected` ends REJECTED.
 * - Input files (URLs and assets) are fetched while the generation is PENDING; one that cannot be
 *   fetched fails it with `generation_input_video_inaccessible` (the code sync.so's docs name).
 *
 * Webhooks (a create's `webhookUrl`, https only, signed): syncsoWebhooks.ts.
 *
 * Seams for the parts others add beside this file: `SyncSoHooks` (Idempotency-Key per key,
 * per-plan concurrency); the held status read (`wait`/`timeout`) is syncsoWait.ts, List Generations
 * (`GET /v2/generations`, a status read of many) syncsoList.ts.
 */
import { randomUUID } from 'node:crypto';
import { UploadStore } from '../files';
import { asString, isObject, type Ctx, type Route, type SandboxCore, type VendorModule } from '../http';
import { fetchInputFiles } from '../inputFiles';
import { fileUrlBase, reportedStatus, RESULT_DURATION_SECONDS, resultUrl, startJob } from '../jobKit';
import type { JobFailure, JobPhase, SandboxJob } from '../jobs';
import { createSyncSoIdempotency } from './syncsoIdempotency';
import { variantOn } from '../variants';
import { listGenerations } from './syncsoList';
import { heldReadHeaders, heldReadOf, holdRead } from './syncsoWait';
import { syncsoWebhooks } from './syncsoWebhooks';

export const SYNCSO_STATUS: Record<JobPhase, string> = { queued: 'PENDING', processing: 'PROCESSING', succeeded: 'COMPLETED', failed: 'FAILED' };
export const SYNCSO_MODELS = ['sync-3', 'lipsync-2', 'lipsync-2-pro', 'lipsync-1.9.0-beta', 'react-1'] as const;
const SYNC_MODES = ['bounce', 'loop', 'cut_off', 'silence', 'remap'];
const MAX_UPLOAD_BYTES = 5 * 1024 ** 3;
const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** sync.so's error body. */
export const syncError = (status: number, errorCode: string, message: string | string[]) => ({ statusCode: status, message, error: REASONS[status] ?? 'Error', errorCode });
const refuse = (ctx: Ctx, status: number, errorCode: string, message: string | string[]): void => ctx.json(status, syncError(status, errorCode, message));
const invalid = (ctx: Ctx, problems: string[]): void => refuse(ctx, 400, 'generation_input_validation_failed', problems);

const jobFailure = (code?: string): JobFailure =>
	code ? { code: 'generation_pipeline_failed', message: `The generation pipeline failed (${code})` } : { code: 'generation_media_metadata_missing', message: 'Required media metadata is missing' };

const isHttpUrl = (value: unknown): value is string => {
	try {
		return typeof value === 'string' && ['http:', 'https:'].includes(new URL(value).protocol);
	} catch {
		return false;
	}
};

/**
 * Where others hook in without editing the handlers: each hook may answer the request itself
 * (return true) before a create is made, or learn of the generation it made.
 */
export interface SyncSoHooks {
	/** Before a valid create is counted (Idempotency-Key replay, plan concurrency): true = answered. */
	beforeCreate?(ctx: Ctx, body: Record<string, unknown>): boolean;
	/** After the generation exists and its 201 is sent (webhook registration, key ledgers). */
	afterCreate?(ctx: Ctx, job: SandboxJob): void;
}

/** The generation as sync.so answers it, on create, on GET and (the webhooks) in a delivery. */
export function generationOf(core: SandboxCore, job: SandboxJob, status = SYNCSO_STATUS[job.phase]): Record<string, unknown> {
	const body = isObject(job.input) ? job.input : {};
	const failed = job.phase === 'failed';
	const rejected = failed && job.meta.rejected === true;
	const succeeded = job.phase === 'succeeded';
	return {
		id: job.id,
		createdAt: new Date(job.createdAt).toISOString(),
		status: rejected && status === SYNCSO_STATUS.failed ? 'REJECTED' : status,
		model: body.model,
		input: body.input,
		options: body.options ?? {},
		webhookUrl: body.webhookUrl ?? null,
		outputDuration: succeeded ? RESULT_DURATION_SECONDS : null,
		error: failed ? (job.failure?.message ?? 'The generation failed') : null,
		[variantOn({ core }, 'syncsoOutputMediaUrl') ? 'outputMediaUrl' : 'outputUrl']: succeeded ? resultUrl(core, job) : null,
		[variantOn({ core }, 'syncsoErrorCodeCamel') ? 'errorCode' : 'error_code']: failed ? String(job.failure?.code ?? 'generation_pipeline_failed') : null,
	};
}

/** What the create request's body lacks or gets wrong, in sync.so's validation words. */
function problemsOf(body: Record<string, unknown>, assetOk: (id: unknown, type: string) => boolean): string[] {
	const problems: string[] = [];
	if (!SYNCSO_MODELS.includes(body.model as never)) problems.push(`model must be one of the following values: ${SYNCSO_MODELS.join(', ')}`);
	const input = Array.isArray(body.input) ? body.input.filter(isObject) : [];
	const videos = input.filter((item) => item.type === 'video');
	const speech = input.filter((item) => item.type === 'audio' || item.type === 'text');
	if (videos.length !== 1 || speech.length < 1) problems.push('input must include one video input item and at least one audio input item');
	for (const item of [...videos, ...input.filter((i) => i.type === 'audio')]) {
		if (item.assetId !== undefined ? !assetOk(item.assetId, String(item.type).toUpperCase()) : !isHttpUrl(item.url)) {
			problems.push(`each ${String(item.type)} input must have a url or the id of an uploaded ${String(item.type)} asset`);
		}
	}
	for (const item of input.filter((i) => i.type === 'text')) {
		const provider = isObject(item.provider) ? item.provider : {};
		if (provider.name !== 'elevenlabs' || !asString(provider.voiceId) || !asString(provider.script)) problems.push('a text input needs provider.name "elevenlabs", provider.voiceId and provider.script');
	}
	const options = isObject(body.options) ? body.options : {};
	if (options.sync_mode !== undefined && !SYNC_MODES.includes(String(options.sync_mode))) problems.push(`options.sync_mode must be one of ${SYNC_MODES.join(', ')}`);
	if (options.temperature !== undefined && !(typeof options.temperature === 'number' && options.temperature >= 0 && options.temperature <= 1)) problems.push('options.temperature must be a number between 0 and 1');
	if (body.webhookUrl !== undefined && body.webhookUrl !== null && !(isHttpUrl(body.webhookUrl) && body.webhookUrl.startsWith('https:'))) problems.push('webhookUrl must be an https URL');
	if (body.outputFileName !== undefined && !/^[A-Za-z0-9_-]{1,255}$/.test(String(body.outputFileName))) problems.push('outputFileName may contain only alphanumeric characters, underscores and hyphens, up to 255 characters');
	return problems;
}

export function createSyncSo(core: SandboxCore, extraHooks: SyncSoHooks[] = []): VendorModule & { uploads: UploadStore } {
	const uploads = new UploadStore();
	// Idempotency-Key first: a replayed or malformed key is answered before anything else counts it.
	const idempotency = createSyncSoIdempotency();
	const hooks = [idempotency, ...extraHooks];
	/** Registered assets by id: the asset record as `POST /v2/assets` answered it, and its key. */
	const assets = new Map<string, { key: string; record: Record<string, unknown> }>();
	const assetOf = (key: string, id: unknown, type: string) => {
		const asset = assets.get(String(id));
		return asset && asset.key === key && asset.record.type === type ? asset.record : undefined;
	};

	const create = (ctx: Ctx): void => {
		const body = isObject(ctx.body) ? ctx.body : {};
		const problems = problemsOf(body, (id, type) => assetOf(ctx.key, id, type) !== undefined);
		if (problems.length > 0) return invalid(ctx, problems);
		if (hooks.some((hook) => hook.beforeCreate?.(ctx, body))) return;
		const items = (body.input as Array<Record<string, unknown>>).filter((item) => item.type !== 'text');
		const urls = items.map((item) => String(item.url ?? assetOf(ctx.key, item.assetId, String(item.type).toUpperCase())?.url));
		const rejected = urls.some((url) => url.includes('rejected'));
		const job = startJob(ctx, {
			vendor: 'syncso',
			inputs: [String(body.model), ...urls],
			failureFor: jobFailure,
			failure: rejected ? { code: 'generation_rejected', message: 'The generation was rejected' } : undefined,
			meta: { rejected },
			callbackUrl: asString(body.webhookUrl),
			id: randomUUID(),
		});
		const files = Object.fromEntries(items.map((item, i) => [`input[${i}]`, { url: urls[i], kinds: [item.type === 'video' ? 'video' as const : 'audio' as const] }]));
		fetchInputFiles(ctx, job, files, { code: 'generation_input_video_inaccessible', message: 'An input file could not be downloaded' });
		ctx.json(201, generationOf(core, job));
		for (const hook of hooks) hook.afterCreate?.(ctx, job);
	};

	/** A read with `wait=true&timeout=<s>` is held until the generation ends or <s> pass (syncsoWait.ts). */
	const status = async (ctx: Ctx): Promise<void> => {
		const job = core.jobs.get('syncso', ctx.params.id);
		if (!job || job.key !== ctx.key) return refuse(ctx, 404, 'generation_not_found', 'Job not found');
		const held = heldReadOf(ctx.url);
		if (held && 'refused' in held) return invalid(ctx, [held.refused]);
		if (held) await holdRead(ctx, job, held.seconds);
		ctx.json(200, generationOf(core, job, reportedStatus(ctx, 'syncso', SYNCSO_STATUS[job.phase])), held ? heldReadHeaders(held.seconds) : undefined);
	};

	/** List Generations: the generations of the key's organization the query names (syncsoList.ts). */
	const list = (ctx: Ctx): void => {
		const answer = listGenerations(core, ctx, (job) => generationOf(core, job, reportedStatus(ctx, 'syncso', SYNCSO_STATUS[job.phase])));
		if ('problems' in answer) return invalid(ctx, answer.problems);
		if ('unknownIds' in answer) return refuse(ctx, 404, 'generation_not_found', `Job not found: ${answer.unknownIds.join(', ')}`);
		ctx.json(200, answer.list);
	};

	const presign = (ctx: Ctx): void => {
		const body = isObject(ctx.body) ? ctx.body : {};
		const fileName = asString(body.fileName);
		const contentType = asString(body.contentType);
		if (!fileName || !contentType) return invalid(ctx, ['fileName and contentType are required']);
		if (typeof body.size === 'number' && body.size > MAX_UPLOAD_BYTES) return invalid(ctx, ['size must not exceed 5 GiB']);
		const asset = uploads.create(fileName, contentType, typeof body.size === 'number' ? body.size : undefined);
		ctx.json(201, {
			uploadUrl: `${fileUrlBase(core)}/syncso/uploads/${asset.id}?X-Amz-Signature=${asset.signature}`,
			url: `${core.url}/syncso/assets/${asset.id}/${encodeURIComponent(fileName)}`,
			expiresIn: 3600,
		});
	};

	const register = (ctx: Ctx): void => {
		const body = isObject(ctx.body) ? ctx.body : {};
		const type = String(body.type);
		if (!isHttpUrl(body.url) || !['AUDIO', 'VIDEO', 'IMAGE'].includes(type)) return invalid(ctx, ['url must be a URL and type one of AUDIO, VIDEO, IMAGE']);
		const prefix = `${core.url}/syncso/assets/`;
		const upload = body.url.startsWith(prefix) ? uploads.get(body.url.slice(prefix.length).split('/')[0]) : undefined;
		if (body.url.startsWith(prefix) && !upload?.uploaded) return refuse(ctx, 400, 'asset_not_uploaded', 'The file was not uploaded to the upload URL');
		const now = new Date().toISOString();
		const record = {
			id: randomUUID(), createdAt: now, updatedAt: now, type, visibility: body.visibility ?? 'USER',
			name: asString(body.name) ?? upload?.filename, url: body.url, size: upload?.size, format: upload?.filename.split('.').pop(),
			inputType: upload ? 'UPLOAD' : 'URL',
		};
		assets.set(record.id, { key: ctx.key, record });
		ctx.json(201, record);
	};

	const routes: Route[] = [
		{ method: 'POST', path: '/v2/generate', endpoint: 'create', kind: 'create', handler: create },
		{ method: 'GET', path: '/v2/generate/:id', endpoint: 'status', kind: 'status', handler: status },
		{ method: 'GET', path: '/v2/generations', endpoint: 'status', kind: 'status', handler: list },
		{
			method: 'GET', path: '/v2/models', endpoint: 'models', kind: 'other',
			handler: (ctx) => ctx.json(200, SYNCSO_MODELS.map((id) => ({ id, name: id, type: id.startsWith('react') ? 'react' : 'lipsync', version: id.replace(/^[a-z]+-/, '') }))),
		},
		{ method: 'POST', path: '/v2/assets/upload', endpoint: 'upload', kind: 'other', handler: presign },
		{ method: 'POST', path: '/v2/assets', endpoint: 'asset-register', kind: 'other', handler: register },
		{
			method: 'PUT', path: '/uploads/:id', endpoint: 'upload-put', kind: 'other', auth: false, streamBody: true,
			handler: async (ctx) => {
				const asset = uploads.get(ctx.params.id);
				if (!asset || ctx.url.searchParams.get('X-Amz-Signature') !== asset.signature) {
					ctx.req.resume();
					return ctx.text(403, '<Error><Code>SignatureDoesNotMatch</Code></Error>\n', 'application/xml');
				}
				ctx.entry.requestBody = { bytes: await uploads.receive(ctx, asset), contentType: asset.contentType };
				ctx.res.writeHead(200, { etag: `"${asset.id}"`, 'content-length': 0 });
				ctx.res.end();
			},
		},
		{
			method: 'GET', path: '/assets/:id/:filename', endpoint: 'asset', kind: 'download', auth: false,
			handler: async (ctx) => {
				const asset = uploads.get(ctx.params.id);
				if (!asset?.uploaded) return ctx.text(404, '<Error><Code>NoSuchKey</Code></Error>\n', 'application/xml');
				await uploads.serve(ctx, asset);
			},
		},
	];

	/** sync.so's per-key request rates: creates, asset upload URLs, everything else. */
	const rateLimited = (ctx: Ctx): boolean => {
		const { syncsoCreatesPerWindow, syncsoUploadsPerWindow, syncsoRequestsPerWindow, rateWindowMs } = core.options();
		const [scope, limit] =
			ctx.entry.endpoint === 'create' ? ['syncso-create', syncsoCreatesPerWindow] : ctx.entry.endpoint === 'upload' ? ['syncso-upload', syncsoUploadsPerWindow] : ['syncso', syncsoRequestsPerWindow];
		if (core.limits.take(scope, ctx.key, limit, rateWindowMs).ok) return false;
		refuse(ctx, 429, 'rate_limit_exceeded', 'Rate limit exceeded. Please try again later.');
		return true;
	};

	return {
		vendor: 'syncso',
		routes,
		uploads,
		callbacks: syncsoWebhooks((job) => generationOf(core, job)),
		readKey: (ctx) => asString(ctx.req.headers['x-api-key']),
		rejectKey: (ctx) => refuse(ctx, 401, 'unauthorized', 'Invalid or missing API key'),
		beforeHandle: (ctx) => !rateLimited(ctx),
		notFound: (ctx) => refuse(ctx, 404, 'not_found', `Cannot ${ctx.req.method ?? 'GET'} ${ctx.url.pathname}`),
		faultBodies: {
			rateLimit: () => ({ body: syncError(429, 'rate_limit_exceeded', 'Rate limit exceeded. Please try again later.') }),
			serverError: (_ctx, status) => syncError(status, 'internal_server_error', status === 503 ? 'Service unavailable' : 'Internal server error'),
			errorEnvelope: () => syncError(500, 'internal_server_error', 'Internal server error'),
			invalidInput: () => ({ status: 400, body: syncError(400, 'generation_input_validation_failed', ['input must include one video input item and at least one audio input item']) }),
		},
		reset: () => {
			assets.clear();
			void uploads.clear();
			idempotency.reset();
		},
	};
}
