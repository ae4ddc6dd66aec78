/**
 * JoggAI (docs/vendors.md § JoggAI): `x-api-key`, every answer HTTP 200 `{code, msg, data, rid}`
 * with `code` a number; times are unix seconds (numbers).
 *
 * ASSUMPTIONS (undocumented; the sandbox picks one, the nodes must tolerate alternatives):
 * - A wrong key gets code 10105 "invalid API key"; a wrong key containing `no-permission` gets
 *   code 18025 "no API permission" (a key of an account without API access).
 * - Lip-sync webhook events are `generated_lip_sync_video_success|failed` with
 *   `data: {task_id, status, result_url, video_url, cover_url, duration_seconds}` or `error`
 *   (see test/sandbox/vendors/joggaiWebhooks.ts).
 * - Exceeding 20 webhook endpoints, a non-https/loopback/private URL or an unknown event: code 40000.
 * - An unknown path: HTTP 404 `{code: 404}`.
 * - A failed job's error carries only `{message}`; default message "face not detected";
 *   `fail-<code>` puts the code into the message ("… (code 123)").
 * - A delivery not answered 2xx within `webhookTimeoutMs` is re-sent `webhookRetries` (3) times,
 *   `webhookRetryDelayMs` (5 s) apart: JoggAI documents no schedule, these are the sandbox's pick.
 * - The rate-limit answer carries no `retryAfter` (JoggAI's rate-limit page names one; the
 *   variant `joggaiRetryAfterInBody` of ../variants.ts sends it). Variant `joggaiResultFlat`: the
 *   result flat in the task record (`result_url`, `duration`).
 * - Upload size limits (video 100 MB, audio 20 MB) are checked against `file_size` at
 *   `POST /v2/upload/asset`; the PUT itself is not limited.
 */
import { randomBytes } from 'node:crypto';
import { UploadStore } from '../files';
import { asString, isObject, unixSeconds, type Ctx, type Route, type SandboxCore, type VendorModule } from '../http';
import { coverUrl, fileUrlBase, reportedStatus, RESULT_DURATION_SECONDS, resultUrl, startJob } from '../jobKit';
import type { JobFailure, JobPhase } from '../jobs';
import { variantOn } from '../variants';
import { createJoggAiWebhooks, type JoggAiWebhooks } from './joggaiWebhooks';

export const JOGGAI_STATUS: Record<JobPhase, string> = {
	queued: 'pending',
	processing: 'processing',
	succeeded: 'success',
	failed: 'failed',
};

const PLAYBACK_TYPES = ['normal', 'normal_reverse', 'normal_reverse_by_audio'];
const MB = 1024 * 1024;

const rid = (): string => randomBytes(8).toString('hex');
export const joggOk = (ctx: Ctx, data: unknown): void => ctx.json(200, { code: 0, msg: 'success', data, rid: rid() });
export const joggError = (ctx: Ctx, code: number, msg: string): void =>
	ctx.json(200, { code, msg, data: null, rid: rid() });

const isHttpUrl = (value: unknown): value is string => {
	if (typeof value !== 'string') return false;
	try {
		return ['http:', 'https:'].includes(new URL(value).protocol);
	} catch {
		return false;
	}
};

const jobFailure = (code?: string): JobFailure => ({
	code: code ?? 'lip_sync_failed',
	message: code ? `lip sync failed (code ${code})` : 'face not detected',
});

const AVATARS = Array.from({ length: 25 }, (_, i) => ({
	id: 1000 + i,
	name: `Sandbox Avatar ${i + 1}`,
	gender: i % 2 ? 'male' : 'female',
	aspect_ratio: i % 3 === 0 ? 'landscape' : 'portrait',
}));

export interface JoggAiModule extends VendorModule {
	webhooks: JoggAiWebhooks;
	uploads: UploadStore;
}

export function createJoggAi(core: SandboxCore): JoggAiModule {
	const uploads = new UploadStore();
	const webhooks = createJoggAiWebhooks(core);
	const quota = new Map<string, number>();
	const remaining = (key: string) => quota.get(key) ?? core.options().joggaiQuota;

	/** An input that is one of our asset URLs must have been uploaded first. */
	const missingAsset = (urls: string[]): JobFailure | undefined => {
		const prefix = `${core.url}/joggai/assets/`;
		for (const url of urls) {
			if (!url.startsWith(prefix)) continue;
			const asset = uploads.get(url.slice(prefix.length).split('/')[0]);
			if (!asset?.uploaded) return { code: 'input_not_accessible', message: `input file is not accessible: ${url}` };
		}
		return undefined;
	};

	const routes: Route[] = [
		{
			method: 'POST',
			path: '/v2/create_lip_sync_video',
			endpoint: 'create',
			kind: 'create',
			handler: (ctx) => {
				const body = isObject(ctx.body) ? ctx.body : {};
				for (const field of ['video_url', 'audio_url']) {
					if (!isHttpUrl(body[field])) return joggError(ctx, 40000, `parameter error: ${field} must be a URL`);
				}
				const playback = body.playback_type ?? 'normal';
				if (!PLAYBACK_TYPES.includes(String(playback))) {
					return joggError(ctx, 40000, `parameter error: playback_type must be one of ${PLAYBACK_TYPES.join(', ')}`);
				}
				if (remaining(ctx.key) <= 0) return joggError(ctx, 18020, 'insufficient credit');
				quota.set(ctx.key, remaining(ctx.key) - 1);
				const inputs = [String(body.video_url), String(body.audio_url)];
				const job = startJob(ctx, { vendor: 'joggai', inputs, failureFor: jobFailure, failure: missingAsset(inputs) });
				joggOk(ctx, { task_id: job.id, status: JOGGAI_STATUS[job.phase] });
			},
		},
		{
			method: 'GET',
			path: '/v2/lip_sync_video/:id',
			endpoint: 'status',
			kind: 'status',
			handler: (ctx) => {
				const job = core.jobs.get('joggai', ctx.params.id);
				if (!job || job.key !== ctx.key) return joggError(ctx, 10104, 'record not found');
				const succeeded = job.phase === 'succeeded';
				if (succeeded && variantOn(ctx, 'joggaiResultFlat')) {
					const flat = { task_id: job.id, status: reportedStatus(ctx, 'joggai', JOGGAI_STATUS[job.phase]), created_at: unixSeconds(job.createdAt) };
					return joggOk(ctx, { ...flat, result_url: resultUrl(core, job), cover_url: coverUrl(core, job), duration: RESULT_DURATION_SECONDS });
				}
				joggOk(ctx, {
					task_id: job.id,
					status: reportedStatus(ctx, 'joggai', JOGGAI_STATUS[job.phase]),
					created_at: unixSeconds(job.createdAt),
					completed_at: job.completedAt ? unixSeconds(job.completedAt) : null,
					data: succeeded
						? { result_url: resultUrl(core, job), cover_url: coverUrl(core, job), duration_seconds: RESULT_DURATION_SECONDS }
						: null,
					error: job.phase === 'failed' ? { message: job.failure?.message ?? 'failed' } : null,
				});
			},
		},
		{
			method: 'GET',
			path: '/v2/user/whoami',
			endpoint: 'whoami',
			kind: 'other',
			handler: (ctx) => joggOk(ctx, { email: 'sandbox@joggai.example.test', username: 'sandbox' }),
		},
		{
			method: 'GET',
			path: '/v2/user/remaining_quota',
			endpoint: 'quota',
			kind: 'other',
			handler: (ctx) => joggOk(ctx, { remaining_quota: remaining(ctx.key) }),
		},
		{
			method: 'POST',
			path: '/v2/upload/asset',
			endpoint: 'upload',
			kind: 'other',
			handler: (ctx) => {
				const body = isObject(ctx.body) ? ctx.body : {};
				const filename = asString(body.filename);
				const contentType = asString(body.content_type);
				if (!filename || !contentType) return joggError(ctx, 40000, 'parameter error: filename and content_type are required');
				const limit = contentType.startsWith('audio/') ? 20 * MB : 100 * MB;
				if (typeof body.file_size === 'number' && body.file_size > limit) {
					return joggError(ctx, 40000, `parameter error: file_size exceeds ${limit / MB} MB`);
				}
				const asset = uploads.create(filename, contentType, typeof body.file_size === 'number' ? body.file_size : undefined);
				joggOk(ctx, {
					sign_url: `${fileUrlBase(core)}/joggai/uploads/${asset.id}?signature=${asset.signature}`,
					asset_url: `${core.url}/joggai/assets/${asset.id}/${encodeURIComponent(filename)}`,
				});
			},
		},
		{
			method: 'PUT',
			path: '/uploads/:id',
			endpoint: 'upload-put',
			kind: 'other',
			auth: false,
			streamBody: true,
			handler: async (ctx) => {
				const asset = uploads.get(ctx.params.id);
				if (!asset || ctx.url.searchParams.get('signature') !== asset.signature) {
					ctx.req.resume();
					return ctx.text(403, '<Error><Code>SignatureDoesNotMatch</Code></Error>\n', 'application/xml');
				}
				const size = await uploads.receive(ctx, asset);
				ctx.entry.requestBody = { bytes: size, contentType: asset.contentType };
				ctx.res.writeHead(200, { etag: `"${asset.id}"`, 'content-length': 0 });
				ctx.res.end();
			},
		},
		{
			method: 'GET',
			path: '/assets/:id/:filename',
			endpoint: 'asset',
			kind: 'download',
			auth: false,
			handler: async (ctx) => {
				const asset = uploads.get(ctx.params.id);
				if (!asset?.uploaded) return ctx.text(404, '<Error><Code>NoSuchKey</Code></Error>\n', 'application/xml');
				await uploads.serve(ctx, asset);
			},
		},
		{
			method: 'GET',
			path: '/v2/avatars/public',
			endpoint: 'avatars',
			kind: 'other',
			handler: (ctx) => {
				const q = ctx.url.searchParams;
				const page = Number(q.get('page') ?? 1);
				const pageSize = Number(q.get('page_size') ?? 10);
				if (!Number.isInteger(page) || page < 1 || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
					return joggError(ctx, 40000, 'parameter error: page >= 1, page_size 1-100');
				}
				const ratio = q.get('aspect_ratio');
				const all = AVATARS.filter((a) => !ratio || a.aspect_ratio === ratio).map((a) => ({
					...a,
					video_url: `${core.url}/files/video.mp4`,
					cover_url: `${core.url}/joggai/covers/avatar-${a.id}.jpg`,
				}));
				joggOk(ctx, { avatars: all.slice((page - 1) * pageSize, page * pageSize), total: all.length, page, page_size: pageSize });
			},
		},
		...webhooks.routes,
	];

	return {
		vendor: 'joggai',
		routes,
		webhooks,
		uploads,
		readKey: (ctx) => asString(ctx.req.headers['x-api-key']),
		rejectKey: (ctx) =>
			/no-permission/i.test(asString(ctx.req.headers['x-api-key']) ?? '')
				? joggError(ctx, 18025, 'no API permission')
				: joggError(ctx, 10105, 'invalid API key'),
		beforeHandle: (ctx) => {
			if (ctx.req.method !== 'POST') return true;
			const { joggaiPostsPerWindow, rateWindowMs } = core.options();
			const decision = core.limits.take('joggai-post', ctx.key, joggaiPostsPerWindow, rateWindowMs);
			if (decision.ok) return true;
			const msg = 'rate limit exceeded: 20 POST requests per minute';
			if (!variantOn(ctx, 'joggaiRetryAfterInBody')) joggError(ctx, 429, msg);
			else ctx.json(200, { code: 429, msg, data: null, rid: rid(), retryAfter: Math.max(1, Math.ceil((decision.resetAt - core.limits.now()) / 1000)) });
			return false;
		},
		notFound: (ctx) => ctx.json(404, { code: 404, msg: 'not found', data: null, rid: rid() }),
		rewritePath: (path) => path.replace(/^\/open\/v2\//, '/v2/'),
		faultBodies: {
			rateLimit: (ctx, seconds) => ({
				body: { code: 429, msg: 'rate limit exceeded', data: null, rid: rid(), ...(variantOn(ctx, 'joggaiRetryAfterInBody') ? { retryAfter: seconds } : {}) },
			}),
			serverError: () => ({ code: 50000, msg: 'system error', data: null, rid: rid() }),
			errorEnvelope: () => ({ code: 50000, msg: 'system error', data: null, rid: rid() }),
			invalidInput: () => ({ status: 200, body: { code: 40000, msg: 'parameter error', data: null, rid: rid() } }),
		},
		reset: () => {
			quota.clear();
			webhooks.reset();
			void uploads.clear();
		},
	};
}
