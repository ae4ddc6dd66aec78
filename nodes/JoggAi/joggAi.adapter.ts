import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import type { CreateToolkit, VendorAdapter, VendorErrorInfo, VendorResponse } from '../shared/adapter';
import {
	asObject,
	compact,
	errorMessageFrom,
	header,
	httpError,
	isObject,
	kindForHttpStatus,
	numberAt,
	objectAt,
	requestIdFromHeaders,
	retryAfterMs,
	text,
	unexpectedAnswer,
} from '../shared/adapterKit';
import { normalizeJob, toIsoTime } from '../shared/job';
import type { StatusVocabulary } from '../shared/job';
import { httpUrl, oneOf, parseItemInput, readParameter, requiredText } from '../shared/validation';
import { readJoggAiBinary } from './joggAi.binary';
import type { JoggAiBinarySource } from './joggAi.binary';
import { JOGGAI_DISPLAY_NAMES, JOGGAI_PLAYBACK_TYPES, joggAiCreateProperties } from './joggAi.fields';
import type { JoggAiPlaybackType } from './joggAi.fields';

export const JOGGAI_DASHBOARD_URL = 'https://app.jogg.ai';

export interface JoggAiInput extends IDataObject {
	playbackType: JoggAiPlaybackType;
	/** Set for URL sources, and by prepareCreateInput after a binary upload. */
	videoUrl?: string;
	audioUrl?: string;
	videoBinary?: JoggAiBinarySource;
	audioBinary?: JoggAiBinarySource;
}

export const JOGGAI_STATUS_WORDS: StatusVocabulary = {
	success: ['success', 'succeeded', 'completed', 'done'],
	failure: ['failed', 'failure', 'error', 'canceled', 'cancelled'],
	queued: ['pending', 'queued', 'submitted'],
};

/** JoggAI's envelope codes (HTTP 200 with `code != 0`). */
const JOGGAI_ERROR_CODES: Record<number, Pick<VendorErrorInfo, 'kind' | 'hint'>> = {
	429: { kind: 'rateLimit', hint: 'JoggAI allows 20 POST requests per minute per key, uploads included.' },
	10104: { kind: 'notFound', hint: 'JoggAI has no task with this ID for this API key.' },
	10105: { kind: 'auth', hint: `The JoggAI API key is invalid. Copy the key from ${JOGGAI_DASHBOARD_URL} and update the credential.` },
	18020: { kind: 'credit', hint: `Not enough JoggAI credits. Top up at ${JOGGAI_DASHBOARD_URL}, then run the node again.` },
	18025: { kind: 'permission', hint: 'This JoggAI account has no API permission. API access needs a JoggAI plan that includes it.' },
	40000: { kind: 'invalidInput', hint: 'JoggAI rejected the parameters. Video and audio must be public direct links (or binary input) of a supported type.' },
	50000: { kind: 'server' },
};

const urlSchema = z.object({
	videoUrl: httpUrl(['mp4', 'webm', 'mov'], 'video'),
	audioUrl: httpUrl(['mp3', 'wav', 'm4a'], 'audio'),
});
const sourceSchema = z.object({
	videoSource: oneOf(['url', 'binary']),
	audioSource: oneOf(['url', 'binary']),
	playbackType: oneOf(JOGGAI_PLAYBACK_TYPES),
	videoBinaryProperty: requiredText('the name of a binary property').optional(),
	audioBinaryProperty: requiredText('the name of a binary property').optional(),
});

async function uploadAsset(
	toolkit: CreateToolkit,
	source: JoggAiBinarySource,
): Promise<string> {
	const body: IDataObject = { filename: source.fileName, content_type: source.contentType };
	if (source.fileSize !== undefined) body.file_size = source.fileSize;
	const answer = asObject(await toolkit.send({ method: 'POST', path: '/v2/upload/asset', body }));
	const data = objectAt(answer.data) ?? answer;
	const signUrl = text(data.sign_url);
	const assetUrl = text(data.asset_url);
	if (!signUrl || !assetUrl) {
		throw unexpectedAnswer('JoggAI upload answer has no sign_url/asset_url', answer);
	}
	await toolkit.uploadBinary(signUrl, source.property, { 'Content-Type': source.contentType });
	return assetUrl;
}

export const joggAiAdapter: VendorAdapter<JoggAiInput> = {
	provider: 'joggai',
	displayName: 'JoggAI',
	credentialName: 'joggAiApi',
	limits: { postsPerMinute: 20 },
	// Renders take a few minutes; status GETs are unlimited, so 10 s costs nothing and 30 min
	// leaves room for a busy queue.
	waitDefaults: { pollIntervalSeconds: 10, waitLimitMinutes: 30 },
	dashboardUrl: JOGGAI_DASHBOARD_URL,
	createProperties: joggAiCreateProperties,

	async readCreateInput(ctx: IExecuteFunctions, itemIndex: number): Promise<JoggAiInput> {
		const videoSource = readParameter(ctx, 'videoSource', itemIndex) ?? 'url';
		const audioSource = readParameter(ctx, 'audioSource', itemIndex) ?? 'url';
		const sources = parseItemInput(
			ctx,
			itemIndex,
			sourceSchema,
			{
				videoSource,
				audioSource,
				playbackType: readParameter(ctx, 'playbackType', itemIndex) ?? 'normal',
				videoBinaryProperty:
					videoSource === 'binary' ? (readParameter(ctx, 'videoBinaryProperty', itemIndex) ?? '') : undefined,
				audioBinaryProperty:
					audioSource === 'binary' ? (readParameter(ctx, 'audioBinaryProperty', itemIndex) ?? '') : undefined,
			},
			JOGGAI_DISPLAY_NAMES,
		);
		const urls = parseItemInput(
			ctx,
			itemIndex,
			urlSchema.pick({
				...(sources.videoSource === 'url' ? { videoUrl: true as const } : {}),
				...(sources.audioSource === 'url' ? { audioUrl: true as const } : {}),
			}),
			{
				videoUrl: readParameter(ctx, 'videoUrl', itemIndex),
				audioUrl: readParameter(ctx, 'audioUrl', itemIndex),
			},
			JOGGAI_DISPLAY_NAMES,
		) as { videoUrl?: string; audioUrl?: string };

		const input: JoggAiInput = { playbackType: sources.playbackType, ...urls };
		if (sources.videoBinaryProperty) {
			input.videoBinary = await readJoggAiBinary(ctx, itemIndex, 'video', sources.videoBinaryProperty, JOGGAI_DISPLAY_NAMES.videoBinaryProperty);
		}
		if (sources.audioBinaryProperty) {
			input.audioBinary = await readJoggAiBinary(ctx, itemIndex, 'audio', sources.audioBinaryProperty, JOGGAI_DISPLAY_NAMES.audioBinaryProperty);
		}
		return input;
	},

	async prepareCreateInput(input, toolkit) {
		const prepared: JoggAiInput = { ...input };
		if (input.videoBinary) prepared.videoUrl = await uploadAsset(toolkit, input.videoBinary);
		if (input.audioBinary) prepared.audioUrl = await uploadAsset(toolkit, input.audioBinary);
		return prepared;
	},

	createRequest(input) {
		return {
			method: 'POST',
			path: '/v2/create_lip_sync_video',
			body: { video_url: input.videoUrl, audio_url: input.audioUrl, playback_type: input.playbackType },
		};
	},

	parseCreated(body) {
		const envelope = asObject(body);
		const data = objectAt(envelope.data) ?? envelope;
		const jobId = text(data.task_id);
		if (!jobId) throw unexpectedAnswer('JoggAI accepted the request but its answer has no data.task_id', body);
		return data.status !== undefined ? { jobId, job: joggAiAdapter.parseStatus(jobId, body) } : { jobId };
	},

	statusRequest(jobId) {
		return { method: 'GET', path: `/v2/lip_sync_video/${encodeURIComponent(jobId)}` };
	},

	parseStatus(jobId, body) {
		const envelope = asObject(body);
		const data = objectAt(envelope.data) ?? envelope;
		// The result sits in a second `data` (data.data.result_url); a flat result is tolerated.
		const result = objectAt(data.data) ?? data;
		const word = String(data.status ?? '').trim().toLowerCase();
		const error = data.error;
		const errorMessage = isObject(error) ? text(error.message) : text(error);
		return normalizeJob(
			'joggai',
			jobId,
			{
				providerStatus: String(data.status ?? ''),
				videoUrl: text(result.result_url) ?? text(result.video_url),
				coverUrl: text(result.cover_url),
				durationSeconds: numberAt(result.duration_seconds ?? result.duration),
				createdAt: toIsoTime(data.created_at),
				completedAt: toIsoTime(data.completed_at),
				error:
					JOGGAI_STATUS_WORDS.failure.includes(word) && errorMessage
						? compact({ code: isObject(error) ? (error.code as string | number | undefined) : undefined, message: errorMessage })
						: undefined,
			},
			JOGGAI_STATUS_WORDS,
			envelope,
		);
	},

	detectError(response: VendorResponse) {
		return detectJoggAiError(response);
	},
};

export function detectJoggAiError(response: VendorResponse): VendorErrorInfo | undefined {
	const body = asObject(response.body);
	const code = numberAt(body.code);
	const envelopeError = code !== undefined && code !== 0;
	if (response.statusCode < 400 && !envelopeError) return undefined;

	const known = code !== undefined ? JOGGAI_ERROR_CODES[code] : undefined;
	const httpKind = response.statusCode >= 400 ? kindForHttpStatus(response.statusCode) : undefined;
	// An HTTP 429/5xx decides retries; otherwise the envelope code decides.
	const kind =
		httpKind === 'rateLimit' || httpKind === 'server'
			? httpKind
			: (known?.kind ?? httpKind ?? (code !== undefined && code >= 500 && code < 600 ? 'server' : 'invalidInput'));
	const info: VendorErrorInfo = {
		...(httpError(response, body) ?? {}),
		kind,
		code: code ?? response.statusCode,
		message: errorMessageFrom(body) ?? `JoggAI error ${code ?? response.statusCode}`,
	};
	const hint = known?.kind === kind ? known.hint : kind === 'rateLimit' ? JOGGAI_ERROR_CODES[429].hint : undefined;
	if (hint) info.hint = hint;
	if (kind === 'rateLimit') {
		const wait = retryAfterMs(header(response, 'retry-after'));
		if (wait !== undefined) info.retryAfterMs = wait;
	}
	const requestId = text(body.rid) ?? requestIdFromHeaders(response);
	if (requestId) info.requestId = requestId;
	return compact(info);
}
