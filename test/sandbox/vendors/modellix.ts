/**
 * Modellix (docs/vendors.md § Modellix): `Authorization: Bearer`, envelope
 * `{code, message, data}` with `code` a number, 0 on success, else equal to the HTTP status;
 * `is_valid` a boolean. `vidu/lip-sync` takes `video_url` (required), `audio_url` and
 * `reference_face_image_url`.
 *
 * Result shapes: the documented `data.result.resources: [{type: "video", url, …}]`, unless an
 * input URL asks for one of the other shapes Modellix's CLI reads (for tests of the nodes):
 * - `result-shape-flat`: the list at `data.resources`, a cover image resource before the video;
 * - `result-shape-strings`: `data.result.resources` as bare URL strings, the cover's first.
 *
 * ASSUMPTIONS (undocumented; the sandbox picks one, the nodes must tolerate alternatives):
 * - A failed task carries `error: {code, message}` and `error_message` (default code
 *   "lip_sync_failed"; `fail-<code>` sets the code).
 * - `result` is null until the task succeeds; `result_expires_at` is unix seconds, 24 hours after
 *   the task ended (Modellix: "Task outputs expire after 24 hours").
 * - The create route is the documented `POST /api/v1/{provider}/{model}/async`, and the create
 *   answer's `get_result.url` is the documented status route of the task.
 * - Any other `POST /api/v1/{provider}/{model}/async` is a lip-sync model whose parameters are
 *   not documented here: any JSON object body is accepted (its string values count as inputs for
 *   the fail convention); `model_id` echoes the slug.
 * - Vidu lip sync's input files are fetched while the task is queued; one that cannot be fetched
 *   or is not video/audio/image by its bytes fails the task (`download_failed`, inputFiles.ts).
 * Variants (../variants.ts) answer the other way: `modellixNoAsync`, `modellixResultUrlMoved`,
 * `modellixResultUrlOtherHost`, `modellixErrorMessageOnly`.
 */
import { isObject, unixSeconds, type Ctx, type Route, type SandboxCore, type VendorModule } from '../http';
import { fetchInputFiles } from '../inputFiles';
import { coverUrl, reportedStatus, resultUrl, startJob } from '../jobKit';
import type { JobFailure, JobPhase, SandboxJob } from '../jobs';
import { variantOn } from '../variants';

export const MODELLIX_STATUS: Record<JobPhase, string> = {
	queued: 'pending',
	processing: 'processing',
	succeeded: 'success',
	failed: 'failed',
};

const RESULT_LIFETIME_MS = 24 * 3600 * 1000;

const jobFailure = (code?: string): JobFailure => ({
	code: code ?? 'lip_sync_failed',
	message: code ? `lip sync failed (${code})` : 'no face detected in the video',
});

const ok = (ctx: Ctx, data: unknown): void => ctx.json(200, { code: 0, message: 'success', data });
const fail = (ctx: Ctx, status: number, message: string, headers?: Record<string, string | number>): void =>
	ctx.json(status, { code: status, message, data: null }, headers);

const RESULT_SHAPES = ['flat', 'strings'] as const;
type ResultShape = (typeof RESULT_SHAPES)[number] | 'result';

/** The result shape an input URL asks for (`result-shape-flat` / `result-shape-strings`). */
const resultShapeOf = (inputs: string[]): ResultShape =>
	RESULT_SHAPES.find((shape) => inputs.some((input) => input.includes(`result-shape-${shape}`))) ?? 'result';

/** The finished task's resources, in the shape the job asked for. */
function resultFields(core: SandboxCore, job: SandboxJob): Record<string, unknown> {
	const video = { type: 'video', url: resultUrl(core, job), width: 64, height: 64, format: 'mp4' };
	const cover = { type: 'image', url: coverUrl(core, job), width: 64, height: 64, format: 'jpg' };
	switch (job.meta.resultShape as ResultShape) {
		case 'flat':
			return { result: null, resources: [cover, video] };
		case 'strings':
			return { result: { resources: [cover.url, video.url] } };
		default:
			return { result: { resources: [video] } };
	}
}

const isUrl = (value: unknown): boolean => {
	try {
		return typeof value === 'string' && /^https?:$/.test(new URL(value).protocol);
	} catch {
		return false;
	}
};

/** Where the create answer's `get_result.url` points (the documented status route unless a variant moves it). */
function getResultUrl(ctx: Ctx, id: string): string {
	if (variantOn(ctx, 'modellixResultUrlOtherHost')) return `${ctx.core.url.replace('127.0.0.1', '127.0.0.2')}/modellix/api/v1/tasks/${id}`;
	const version = variantOn(ctx, 'modellixResultUrlMoved') ? 'v2' : 'v1';
	return `${ctx.core.url}/modellix/api/${version}/tasks/${id}`;
}

export function createModellix(core: SandboxCore): VendorModule {
	const create = (ctx: Ctx): void => {
		const modelId = `${ctx.params.provider}/${ctx.params.model}`;
		if (!isObject(ctx.body)) return fail(ctx, 400, 'the request body must be a JSON object');
		const body = ctx.body;
		if (modelId === 'vidu/lip-sync') {
			if (!isUrl(body.video_url)) return fail(ctx, 400, 'video_url is required and must be a URL');
			for (const field of ['audio_url', 'reference_face_image_url']) {
				if (body[field] !== undefined && body[field] !== '' && !isUrl(body[field])) {
					return fail(ctx, 400, `${field} must be a URL`);
				}
			}
		}
		const inputs = Object.values(body).filter((value): value is string => typeof value === 'string');
		const meta = { model_id: modelId, resultShape: resultShapeOf(inputs) };
		const job = startJob(ctx, { vendor: 'modellix', inputs, failureFor: jobFailure, meta });
		if (modelId === 'vidu/lip-sync') fetchInputFiles(ctx, job, { video_url: { url: body.video_url, kinds: ['video'] }, audio_url: { url: body.audio_url, kinds: ['audio'] }, reference_face_image_url: { url: body.reference_face_image_url, kinds: ['image'] } }, jobFailure('download_failed'));
		ok(ctx, {
			task_id: job.id,
			status: MODELLIX_STATUS[job.phase],
			model_id: modelId,
			get_result: { method: 'GET', url: getResultUrl(ctx, job.id) },
		});
	};

	const status = (ctx: Ctx): void => {
		const job = core.jobs.get('modellix', ctx.params.id);
		if (!job || job.key !== ctx.key) return fail(ctx, 404, 'task not found');
		const data: Record<string, unknown> = {
			task_id: job.id,
			status: reportedStatus(ctx, 'modellix', MODELLIX_STATUS[job.phase]),
			model_id: job.meta.model_id,
			result: null,
		};
		if (job.phase === 'succeeded') {
			Object.assign(data, resultFields(core, job));
			data.result_expires_at = unixSeconds((job.completedAt ?? Date.now()) + RESULT_LIFETIME_MS);
		}
		if (job.phase === 'failed') {
			if (!variantOn(ctx, 'modellixErrorMessageOnly')) data.error = { code: job.failure?.code, message: job.failure?.message };
			data.error_message = job.failure?.message;
		}
		ok(ctx, data);
	};

	const routes: Route[] = [
		{
			method: 'POST',
			path: '/api/v1/:provider/:model/async',
			endpoint: 'create',
			kind: 'create',
			handler: (ctx) => (variantOn(ctx, 'modellixNoAsync') ? fail(ctx, 404, 'not found') : create(ctx)),
		},
		{
			method: 'POST',
			path: '/api/v1/:provider/:model',
			endpoint: 'create',
			kind: 'create',
			handler: (ctx) => (variantOn(ctx, 'modellixNoAsync') ? create(ctx) : fail(ctx, 404, 'not found')),
		},
		{
			method: 'GET',
			path: '/api/v1/tasks/:id',
			endpoint: 'status',
			kind: 'status',
			handler: (ctx) => (variantOn(ctx, 'modellixResultUrlMoved') ? fail(ctx, 404, 'not found') : status(ctx)),
		},
		{
			method: 'GET',
			path: '/api/v2/tasks/:id',
			endpoint: 'status',
			kind: 'status',
			handler: (ctx) => (variantOn(ctx, 'modellixResultUrlMoved') ? status(ctx) : fail(ctx, 404, 'not found')),
		},
		{
			method: 'GET',
			path: '/api/v1/apikey/validate',
			endpoint: 'validate',
			kind: 'other',
			handler: (ctx) => ok(ctx, { is_valid: true }),
		},
		{
			method: 'GET',
			path: '/api/v1/team/balance',
			endpoint: 'balance',
			kind: 'other',
			handler: (ctx) => ok(ctx, { balance: 100, currency: 'USD' }),
		},
	];

	const resetHeader = (seconds: number) => ({ 'x-ratelimit-reset': unixSeconds(Date.now()) + seconds });

	return {
		vendor: 'modellix',
		routes,
		readKey: (ctx) => /^Bearer\s+(.+)$/i.exec(ctx.req.headers.authorization ?? '')?.[1]?.trim(),
		rejectKey: (ctx) =>
			ctx.entry.endpoint === 'validate'
				? ok(ctx, { is_valid: false })
				: fail(ctx, 401, 'invalid api key'),
		beforeHandle: (ctx) => {
			const { modellixRequestsPerWindow, rateWindowMs } = core.options();
			const decision = core.limits.take('modellix', ctx.key, modellixRequestsPerWindow, rateWindowMs);
			if (decision.ok) return true;
			const resetAt = Math.ceil(decision.resetAt / 1000);
			fail(ctx, 429, 'rate limit exceeded', {
				'x-ratelimit-limit': modellixRequestsPerWindow,
				'x-ratelimit-remaining': 0,
				'x-ratelimit-reset': resetAt,
			});
			return false;
		},
		notFound: (ctx) => fail(ctx, 404, 'not found'),
		faultBodies: {
			rateLimit: (_ctx, seconds) => ({
				body: { code: 429, message: 'rate limit exceeded', data: null },
				headers: resetHeader(seconds),
			}),
			serverError: (_ctx, status) => ({ code: status, message: status === 503 ? 'service unavailable' : 'internal server error', data: null }),
			errorEnvelope: () => ({ code: 500, message: 'internal server error', data: null }),
			invalidInput: () => ({ status: 400, body: { code: 400, message: 'invalid parameters', data: null } }),
		},
	};
}
