/**
 * Vozo (docs/vendors.md § Vozo): `Authorization: Bearer`, errors HTTP 400
 * `{code, message, serverTs}` with `code` a string, as in Vozo's OpenAPI schema (`"1302"`).
 *
 * ASSUMPTIONS (undocumented; the sandbox picks one, the nodes must tolerate alternatives):
 * - A bad or missing key: HTTP 400 `{code: "1503", message: "not authorized for the API"}`
 *   (docs/vendors.md allows 1302 or 1503); a key containing `revoked` gets
 *   `{code: "1302", message: "API key revoked"}`.
 * - An unknown task id (good key): HTTP 404 `{code: "404", message: "task not found"}`.
 * - `GET /v1/video_generation/{id}` also serves reusable-model jobs.
 * - A failed job's status and callback carry `err_code` and `err_message`; `err_code` is a string
 *   like the documented error `code` (`"20601"`).
 * - The callback URL is not challenged at create (no error 1301); callbacks are POSTed once,
 *   not retried; nothing is sent for the initial `pending`.
 * - Input files are fetched while the job is queued; one that cannot be fetched or is not
 *   audio/video/image by its bytes fails the job with 999 "download failed" (inputFiles.ts).
 * - An unknown path: HTTP 404 `{code: "404"}`; a server fault: `{code: "1000"}`; a rate-limit
 *   fault: HTTP 429 `{code: "429"}`.
 * - The status answer is the bare record `{status, video_url?}` (docs/vendors.md marks the whole
 *   status schema an assumption beyond `status` and `video_url`).
 * Variants (../variants.ts) answer the other way: `vozoResultNested`, `vozoReusableStatusMoved`,
 * `vozoUnknownTaskForbidden`, `vozoErrCodeNumber`.
 */
import { asString, isObject, type Ctx, type Route, type SandboxCore, type VendorModule } from '../http';
import { fetchInputFiles } from '../inputFiles';
import { coverUrl, reportedStatus, resultUrl, startJob } from '../jobKit';
import type { JobFailure, JobPhase, SandboxJob } from '../jobs';
import { variantOn } from '../variants';

export const VOZO_STATUS: Record<JobPhase, string> = {
	queued: 'pending',
	processing: 'processing',
	succeeded: 'done',
	failed: 'failed',
};

const JOB_ERRORS: Record<string, string> = {
	'999': 'download failed',
	'20403': 'not enough faces',
	'20407': 'too many face tracks',
	'20408': 'face detection failed',
	'20601': 'no face',
	'20602': 'unknown image format',
	'20611': 'flow limit',
	'20613': 'sensitive image',
};

const jobFailure = (code = '20601'): JobFailure => ({
	code,
	message: JOB_ERRORS[code] ?? `job failed (${code})`,
});

const MODELS = ['standard_v1', 'precision_v1'];
const REFERENCE_TYPES = ['video', 'image'];

const vozoError = (ctx: Ctx, code: string, message: string, status = 400): void =>
	ctx.json(status, { code, message, serverTs: Date.now() });

const readBearer = (ctx: Ctx): string | undefined =>
	/^Bearer\s+(.+)$/i.exec(ctx.req.headers.authorization ?? '')?.[1]?.trim();

const isUrl = (value: unknown): value is string => {
	try {
		return typeof value === 'string' && /^https?:$/.test(new URL(value).protocol);
	} catch {
		return false;
	}
};

/** The body Vozo reports for a job, in status answers and callbacks alike. */
function statusBody(core: SandboxCore, job: SandboxJob, word: string): Record<string, unknown> {
	const body: Record<string, unknown> = { status: word };
	if (variantOn({ core }, 'vozoResultNested')) {
		if (job.phase === 'succeeded') {
			const completedAt = new Date(job.completedAt ?? Date.now()).toISOString();
			body.result = { video_url: resultUrl(core, job), cover_url: coverUrl(core, job), created_at: new Date(job.createdAt).toISOString(), completed_at: completedAt };
		}
	} else if (job.phase === 'succeeded') body.video_url = resultUrl(core, job);
	if (job.phase === 'failed') {
		body.err_code = variantOn({ core }, 'vozoErrCodeNumber') ? Number(job.failure?.code) : job.failure?.code;
		body.err_message = job.failure?.message;
	}
	return body;
}

export function createVozo(core: SandboxCore): VendorModule {
	/** Validates the callback and the account's job budget; answers and returns false if refused. */
	function admit(ctx: Ctx, body: Record<string, unknown>): boolean {
		if (body.callback_url !== undefined && !isUrl(body.callback_url)) {
			vozoError(ctx, '5', 'invalid params: callback_url must be a URL');
			return false;
		}
		if (core.jobs.activeCount('vozo', ctx.key) >= core.options().vozoMaxActiveJobs) {
			vozoError(ctx, '1304', 'max concurrent jobs reached');
			return false;
		}
		return true;
	}

	const routes: Route[] = [
		{
			method: 'POST',
			path: '/v1/video_generation',
			endpoint: 'create',
			kind: 'create',
			handler: (ctx) => {
				const body = isObject(ctx.body) ? ctx.body : {};
				if (!isUrl(body.reference_file_url)) return vozoError(ctx, '5', 'invalid params: reference_file_url is required');
				if (!isUrl(body.audio_url)) return vozoError(ctx, '5', 'invalid params: audio_url is required');
				if (!MODELS.includes(String(body.model))) return vozoError(ctx, '5', `invalid params: model must be ${MODELS.join(' or ')}`);
				if (!REFERENCE_TYPES.includes(String(body.reference_file_type))) {
					return vozoError(ctx, '5', 'invalid params: reference_file_type must be video or image');
				}
				if (!admit(ctx, body)) return;
				const job = startJob(ctx, {
					vendor: 'vozo',
					inputs: [body.reference_file_url, body.audio_url],
					failureFor: jobFailure,
					callbackUrl: asString(body.callback_url),
					meta: { model: body.model },
				});
				fetchInputFiles(ctx, job, { reference_file_url: { url: body.reference_file_url, kinds: [body.reference_file_type === 'image' ? 'image' : 'video'] }, audio_url: { url: body.audio_url, kinds: ['audio'] } }, jobFailure('999'));
				ctx.json(200, { task_id: job.id });
			},
		},
		{
			method: 'POST',
			path: '/v1/reusable_lipsync_model_video_generation',
			endpoint: 'create-reusable',
			kind: 'create',
			handler: (ctx) => {
				const body = isObject(ctx.body) ? ctx.body : {};
				const modelId = asString(body.model_id);
				if (!modelId) return vozoError(ctx, '5', 'invalid params: model_id is required');
				if (!isUrl(body.audio_url)) return vozoError(ctx, '5', 'invalid params: audio_url is required');
				if (!admit(ctx, body)) return;
				const job = startJob(ctx, {
					vendor: 'vozo',
					inputs: [modelId, body.audio_url],
					failureFor: jobFailure,
					callbackUrl: asString(body.callback_url),
					meta: { model_id: modelId, reusable: true },
				});
				fetchInputFiles(ctx, job, { audio_url: { url: body.audio_url, kinds: ['audio'] } }, jobFailure('999'));
				ctx.json(200, { task_id: job.id });
			},
		},
		{
			method: 'GET',
			path: '/v1/video_generation/:id',
			endpoint: 'status',
			kind: 'status',
			handler: (ctx) => {
				const job = core.jobs.get('vozo', ctx.params.id);
				if (!job || job.key !== ctx.key) {
					if (variantOn(ctx, 'vozoUnknownTaskForbidden')) return vozoError(ctx, '7', 'no permission', 403);
					return vozoError(ctx, '404', 'task not found', 404);
				}
				if (job.meta.reusable && variantOn(ctx, 'vozoReusableStatusMoved')) return vozoError(ctx, '404', 'task not found', 404);
				ctx.json(200, statusBody(core, job, reportedStatus(ctx, 'vozo', VOZO_STATUS[job.phase])));
			},
		},
		{
			method: 'GET',
			path: '/v1/reusable_lipsync_model_video_generation/:id',
			endpoint: 'status',
			kind: 'status',
			handler: (ctx) => {
				const job = core.jobs.get('vozo', ctx.params.id);
				const served = variantOn(ctx, 'vozoReusableStatusMoved') && job?.meta.reusable && job.key === ctx.key;
				if (!job || !served) return vozoError(ctx, '404', 'not found', 404);
				ctx.json(200, statusBody(core, job, reportedStatus(ctx, 'vozo', VOZO_STATUS[job.phase])));
			},
		},
	];

	return {
		vendor: 'vozo',
		routes,
		// Vozo POSTs the status body to the job's callback_url on every status change after the create.
		callbacks: { body: (job) => statusBody(core, job, VOZO_STATUS[job.phase]) },
		readKey: readBearer,
		rejectKey: (ctx) =>
			/revoked/i.test(readBearer(ctx) ?? '')
				? vozoError(ctx, '1302', 'API key revoked')
				: vozoError(ctx, '1503', 'not authorized for the API'),
		notFound: (ctx) => vozoError(ctx, '404', 'not found', 404),
		faultBodies: {
			rateLimit: () => ({ body: { code: '429', message: 'too many requests', serverTs: Date.now() } }),
			serverError: () => ({ code: '1000', message: 'internal error', serverTs: Date.now() }),
			errorEnvelope: () => ({ code: '1000', message: 'internal error', serverTs: Date.now() }),
			invalidInput: () => ({ status: 400, body: { code: '5', message: 'invalid params', serverTs: Date.now() } }),
		},
	};
}
