/**
 * Modellix (vendors.md § Modellix): `Authorization: Bearer`, envelope `{code, message, data}`,
 * `code` 0 on success, else equal to the HTTP status.
 *
 * ASSUMPTIONS (undocumented; the sandbox picks one, the nodes must tolerate alternatives):
 * - A failed task carries `error: {code, message}` and `error_message` (default code
 *   "lip_sync_failed"; `fail-<code>` sets the code).
 * - `result` is null until the task succeeds; `result_expires_at` is unix seconds (7 days).
 * - Any `POST /api/v1/{provider}/{model}/async` is accepted as a lip-sync model
 *   (`vidu/lip-sync`, `pixverse/lipsync`, `skyreels/sky-lipsync`…); `model_id` echoes it.
 * - `audio_url` and `reference_face_image_url` are optional; only `video_url` is required.
 */
import { isObject, unixSeconds, type Ctx, type Route, type SandboxCore, type VendorModule } from '../http';
import { reportedStatus, resultUrl, startJob } from '../jobKit';
import type { JobFailure, JobPhase } from '../jobs';

export const MODELLIX_STATUS: Record<JobPhase, string> = {
	queued: 'pending',
	processing: 'processing',
	succeeded: 'success',
	failed: 'failed',
};

const RESULT_LIFETIME_MS = 7 * 24 * 3600 * 1000;

const jobFailure = (code?: string): JobFailure => ({
	code: code ?? 'lip_sync_failed',
	message: code ? `lip sync failed (${code})` : 'no face detected in the video',
});

const ok = (ctx: Ctx, data: unknown): void => ctx.json(200, { code: 0, message: 'success', data });
const fail = (ctx: Ctx, status: number, message: string, headers?: Record<string, string | number>): void =>
	ctx.json(status, { code: status, message, data: null }, headers);

const isUrl = (value: unknown): boolean => {
	try {
		return typeof value === 'string' && /^https?:$/.test(new URL(value).protocol);
	} catch {
		return false;
	}
};

export function createModellix(core: SandboxCore): VendorModule {
	const routes: Route[] = [
		{
			method: 'POST',
			path: '/api/v1/:provider/:model/async',
			endpoint: 'create',
			kind: 'create',
			handler: (ctx) => {
				const body = isObject(ctx.body) ? ctx.body : {};
				if (!isUrl(body.video_url)) return fail(ctx, 400, 'video_url is required and must be a URL');
				for (const field of ['audio_url', 'reference_face_image_url']) {
					if (body[field] !== undefined && body[field] !== '' && !isUrl(body[field])) {
						return fail(ctx, 400, `${field} must be a URL`);
					}
				}
				const modelId = `${ctx.params.provider}/${ctx.params.model}`;
				const inputs = ['video_url', 'audio_url', 'reference_face_image_url']
					.map((field) => body[field])
					.filter((value): value is string => typeof value === 'string');
				const job = startJob(ctx, { vendor: 'modellix', inputs, failureFor: jobFailure, meta: { model_id: modelId } });
				ok(ctx, {
					task_id: job.id,
					status: MODELLIX_STATUS[job.phase],
					model_id: modelId,
					get_result: { method: 'GET', url: `${core.url}/modellix/api/v1/tasks/${job.id}` },
				});
			},
		},
		{
			method: 'GET',
			path: '/api/v1/tasks/:id',
			endpoint: 'status',
			kind: 'status',
			handler: (ctx) => {
				const job = core.jobs.get('modellix', ctx.params.id);
				if (!job || job.key !== ctx.key) return fail(ctx, 404, 'task not found');
				const data: Record<string, unknown> = {
					task_id: job.id,
					status: reportedStatus(ctx, 'modellix', MODELLIX_STATUS[job.phase]),
					model_id: job.meta.model_id,
					result: null,
				};
				if (job.phase === 'succeeded') {
					data.result = {
						resources: [{ type: 'video', url: resultUrl(core, job), width: 64, height: 64, format: 'mp4' }],
					};
					data.result_expires_at = unixSeconds((job.completedAt ?? Date.now()) + RESULT_LIFETIME_MS);
				}
				if (job.phase === 'failed') {
					data.error = { code: job.failure?.code, message: job.failure?.message };
					data.error_message = job.failure?.message;
				}
				ok(ctx, data);
			},
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
