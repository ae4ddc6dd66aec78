/**
 * Personate (docs/vendors.md § Personate): `Authorization: Bearer`, errors as HTTP status.
 *
 * ASSUMPTIONS (undocumented; the sandbox picks one, the nodes must tolerate alternatives):
 * - Status: `GET /api/express_lipsync_video/{job_id}` returns the create record
 *   `{job_id, input, status, output}`; `rendering` until done, then `completed` (output = video
 *   URL) or `failed` (output "", `error: "<message>"`).
 * - Error bodies: `{message}` (401 "Unauthorized", 400 validation, 404 "job not found").
 * - Avatar/voice lists: `{avatars: [{avatar_id, name, preview_url, type}]}` and
 *   `{voices: [{voice_id, name, language, type}]}`.
 * - A server fault as HTTP 200 envelope: `{status: "error", message}`.
 * - An invalid create: HTTP 400 `{message}`; a bad key: HTTP 401 `{message: "Unauthorized"}`.
 * - Input files (`actor.video_url`, `script.audio_url`) are fetched while the job is queued;
 *   one that cannot be fetched or is not video/audio by its bytes fails the job
 *   (`download_failed`, inputFiles.ts).
 * Variants (../variants.ts) answer the other way: `personateStatusMoved`,
 * `personateOtherSuccessWord`, `personateRefusalInBody`, `personateBadKeyInBody`,
 * `personateRecordWithoutJobId`, `personateOutputObject`, `personateListsUnderData`.
 */
import { asString, isObject, type Ctx, type Route, type SandboxCore, type VendorModule } from '../http';
import { fetchInputFiles } from '../inputFiles';
import { reportedStatus, resultUrl, startJob } from '../jobKit';
import type { JobFailure, JobPhase } from '../jobs';
import { variantOn } from '../variants';

export const PERSONATE_STATUS: Record<JobPhase, string> = {
	queued: 'rendering',
	processing: 'rendering',
	succeeded: 'completed',
	failed: 'failed',
};

const jobFailure = (code?: string): JobFailure => ({
	code: code ?? 'render_failed',
	message: code ? `render failed (${code})` : 'render failed: no face found in the actor video',
});

const bad = (ctx: Ctx, message: string, status = 400): void => ctx.json(status, { message });

/** Returns what is wrong with an express lip-sync body, or undefined when it is valid. */
function validate(body: Record<string, unknown>): string | undefined {
	if (body.model !== 'v1' && body.model !== 'v2') return 'model must be v1 or v2';
	const actor = isObject(body.actor) ? body.actor : undefined;
	if (!actor || (actor.use !== 'avatar' && actor.use !== 'video')) return 'actor.use must be avatar or video';
	if (actor.use === 'video' && !asString(actor.video_url)) return 'actor.video_url is required';
	if (actor.use === 'avatar') {
		if (!asString(actor.avatar_id)) return 'actor.avatar_id is required';
		if (actor.avatar_type !== 'public' && actor.avatar_type !== 'custom') return 'actor.avatar_type must be public or custom';
	}
	const script = isObject(body.script) ? body.script : undefined;
	if (!script || (script.use !== 'audio' && script.use !== 'text')) return 'script.use must be audio or text';
	if (script.use === 'audio' && !asString(script.audio_url)) return 'script.audio_url is required';
	if (script.use === 'text') {
		if (!asString(script.text) || !asString(script.voice_id)) return 'script.text and script.voice_id are required';
		if (script.voice_type !== 'public' && script.voice_type !== 'custom') return 'script.voice_type must be public or custom';
	}
	return undefined;
}

const AVATARS = {
	public: [
		{ avatar_id: 'pa_anna', name: 'Anna', type: 'public' },
		{ avatar_id: 'pa_ben', name: 'Ben', type: 'public' },
		{ avatar_id: 'pa_chen', name: 'Chen', type: 'public' },
	],
	custom: [{ avatar_id: 'ca_sandbox', name: 'My Sandbox Avatar', type: 'custom' }],
};
const VOICES = {
	public: [
		{ voice_id: 'pv_en_f1', name: 'English Female 1', language: 'en', type: 'public' },
		{ voice_id: 'pv_en_m1', name: 'English Male 1', language: 'en', type: 'public' },
		{ voice_id: 'pv_hi_f1', name: 'Hindi Female 1', language: 'hi', type: 'public' },
	],
	custom: [{ voice_id: 'cv_sandbox', name: 'My Sandbox Voice', language: 'en', type: 'custom' }],
};

export function createPersonate(core: SandboxCore): VendorModule {
	const listRoute = (kind: 'avatars' | 'voices', scope: 'public' | 'custom'): Route => ({
		method: 'GET',
		path: `/api/${kind}/${scope}`,
		endpoint: kind,
		kind: 'other',
		handler: (ctx) => {
			const items = (kind === 'avatars' ? AVATARS : VOICES)[scope];
			if (variantOn(ctx, 'personateListsUnderData')) {
				return ctx.json(200, { data: items.map((item) => ({ id: 'avatar_id' in item ? item.avatar_id : item.voice_id, name: item.name })) });
			}
			ctx.json(200, {
				[kind]: items.map((item) => ('avatar_id' in item ? { ...item, preview_url: `${core.url}/files/video.mp4` } : item)),
			});
		},
	});

	/** The job record, as the create answer has it (ASSUMPTION), or the variants' other shapes. */
	const statusAnswer = (ctx: Ctx): void => {
		const job = core.jobs.get('personate', ctx.params.id);
		if (!job || job.key !== ctx.key) return bad(ctx, 'job not found', 404);
		const word = job.phase === 'succeeded' && variantOn(ctx, 'personateOtherSuccessWord') ? 'delivered' : PERSONATE_STATUS[job.phase];
		const record: Record<string, unknown> = {
			job_id: job.id,
			input: job.input,
			status: reportedStatus(ctx, 'personate', word),
			output: job.phase === 'succeeded' ? resultUrl(core, job) : '',
		};
		if (job.phase === 'succeeded' && variantOn(ctx, 'personateOutputObject')) record.output = { url: record.output };
		if (job.phase === 'failed') record.error = job.failure?.message;
		if (variantOn(ctx, 'personateRecordWithoutJobId')) delete record.job_id;
		ctx.json(200, record);
	};

	const routes: Route[] = [
		{
			method: 'POST',
			path: '/api/express_lipsync_video',
			endpoint: 'create',
			kind: 'create',
			handler: (ctx) => {
				const body = isObject(ctx.body) ? ctx.body : {};
				const problem = validate(body);
				if (problem && variantOn(ctx, 'personateRefusalInBody')) return ctx.json(200, { status: 'error', message: problem });
				if (problem) return bad(ctx, problem);
				const actor = body.actor as Record<string, unknown>;
				const script = body.script as Record<string, unknown>;
				const inputs = [actor.video_url, actor.avatar_id, script.audio_url, script.voice_id].filter(
					(value): value is string => typeof value === 'string',
				);
				const job = startJob(ctx, { vendor: 'personate', inputs, failureFor: jobFailure });
				fetchInputFiles(ctx, job, { 'actor.video_url': { url: actor.video_url, kinds: ['video'] }, 'script.audio_url': { url: script.audio_url, kinds: ['audio'] } }, jobFailure('download_failed'));
				ctx.json(200, { job_id: job.id, input: body, status: PERSONATE_STATUS[job.phase], output: '' });
			},
		},
		{
			method: 'GET',
			path: '/api/express_lipsync_video/:id',
			endpoint: 'status',
			kind: 'status',
			handler: (ctx) => (variantOn(ctx, 'personateStatusMoved') ? bad(ctx, 'Not Found', 404) : statusAnswer(ctx)),
		},
		{
			method: 'GET',
			path: '/api/express_lipsync_video/status/:id',
			endpoint: 'status',
			kind: 'status',
			handler: (ctx) => (variantOn(ctx, 'personateStatusMoved') ? statusAnswer(ctx) : bad(ctx, 'Not Found', 404)),
		},
		listRoute('avatars', 'public'),
		listRoute('avatars', 'custom'),
		listRoute('voices', 'public'),
		listRoute('voices', 'custom'),
	];

	return {
		vendor: 'personate',
		routes,
		readKey: (ctx) => /^Bearer\s+(.+)$/i.exec(ctx.req.headers.authorization ?? '')?.[1]?.trim(),
		rejectKey: (ctx) =>
			variantOn(ctx, 'personateBadKeyInBody') ? ctx.json(200, { success: false, message: 'Invalid API key' }) : bad(ctx, 'Unauthorized', 401),
		notFound: (ctx) => bad(ctx, 'Not Found', 404),
		faultBodies: {
			rateLimit: () => ({ body: { message: 'Too Many Requests' } }),
			serverError: () => ({ message: 'Internal Server Error' }),
			errorEnvelope: () => ({ status: 'error', message: 'internal error, please retry' }),
			invalidInput: (ctx) =>
				variantOn(ctx, 'personateRefusalInBody')
					? { status: 200, body: { status: 'error', message: 'Invalid request: check actor and script' } }
					: { status: 400, body: { message: 'Invalid request: check actor and script' } },
		},
	};
}
