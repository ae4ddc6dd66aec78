import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import type { VendorAdapter, VendorErrorInfo, VendorResponse } from '../shared/adapter';
import {
	asObject,
	compact,
	errorMessageFrom,
	header,
	httpError,
	kindForHttpStatus,
	numberAt,
	objectAt,
	resetAtMs,
	retryAfterMs,
	text,
	unexpectedAnswer,
} from '../shared/adapterKit';
import { normalizeJob, toIsoTime } from '../shared/job';
import type { StatusVocabulary } from '../shared/job';
import { httpUrl, oneOf, optionalHttpUrl, parseItemInput, readParameter } from '../shared/validation';
import {
	MODELLIX_COMPLETED_AT_FIELDS,
	MODELLIX_CREATED_AT_FIELDS,
	modellixTaskError,
} from './modellix.assumptions';
import {
	MODELLIX_DISPLAY_NAMES,
	MODELLIX_MODELS,
	modellixCreateProperties,
} from './modellix.fields';
import type { ModellixModel } from './modellix.fields';

export const MODELLIX_DASHBOARD_URL = 'https://modellix.ai';

export interface ModellixInput extends IDataObject {
	modelSlug: ModellixModel;
	videoUrl: string;
	audioUrl: string;
	referenceFaceImageUrl?: string;
}

export const MODELLIX_STATUS_WORDS: StatusVocabulary = {
	success: ['success', 'succeeded', 'completed'],
	failure: ['failed', 'error', 'canceled', 'cancelled', 'timeout'],
	queued: ['pending', 'submitted'],
};

const inputSchema = z.object({
	modelSlug: oneOf(MODELLIX_MODELS),
	videoUrl: httpUrl(undefined, 'video'),
	audioUrl: httpUrl(undefined, 'audio'),
	referenceFaceImageUrl: optionalHttpUrl('face.jpg'),
});

const HINTS: Partial<Record<VendorErrorInfo['kind'], string>> = {
	auth: 'The Modellix API key is invalid. Create a key in the Modellix dashboard and update the credential.',
	credit: `The Modellix balance is too low. Top up at ${MODELLIX_DASHBOARD_URL}, then run the node again.`,
	rateLimit: 'Modellix allows 100 requests per minute per key.',
};

function firstTime(record: IDataObject, fields: readonly string[]): string | undefined {
	for (const field of fields) {
		const time = toIsoTime(record[field]);
		if (time) return time;
	}
	return undefined;
}

/** The first resource of type video, else the first resource. */
function resultResource(data: IDataObject): IDataObject | undefined {
	const result = objectAt(data.result);
	const resources = (result?.resources ?? data.resources) as unknown;
	if (!Array.isArray(resources)) return undefined;
	const usable = resources.filter((r): r is IDataObject => objectAt(r) !== undefined);
	return usable.find((r) => String(r.type ?? '').toLowerCase() === 'video') ?? usable[0];
}

export const modellixAdapter: VendorAdapter<ModellixInput> = {
	provider: 'modellix',
	displayName: 'Modellix',
	credentialName: 'modellixApi',
	limits: { requestsPerMinute: 100 },
	// Lip-sync renders take minutes; 10 s polls stay far below 100 req/min for a few dozen jobs
	// (the engine's rate limiter handles more), and 30 min covers a long queue.
	waitDefaults: { pollIntervalSeconds: 10, waitLimitMinutes: 30 },
	dashboardUrl: MODELLIX_DASHBOARD_URL,
	createProperties: modellixCreateProperties,

	readCreateInput(ctx: IExecuteFunctions, itemIndex: number): ModellixInput {
		const raw = {
			modelSlug: readParameter(ctx, 'modelSlug', itemIndex) ?? 'vidu/lip-sync',
			videoUrl: readParameter(ctx, 'videoUrl', itemIndex),
			audioUrl: readParameter(ctx, 'audioUrl', itemIndex),
			referenceFaceImageUrl: readParameter(ctx, 'referenceFaceImageUrl', itemIndex),
		};
		return parseItemInput(ctx, itemIndex, inputSchema, raw, MODELLIX_DISPLAY_NAMES) as ModellixInput;
	},

	createRequest(input) {
		const body: IDataObject = { video_url: input.videoUrl, audio_url: input.audioUrl };
		if (input.referenceFaceImageUrl) body.reference_face_image_url = input.referenceFaceImageUrl;
		return { method: 'POST', path: `/api/v1/${input.modelSlug}/async`, body };
	},

	parseCreated(body) {
		const envelope = asObject(body);
		const data = objectAt(envelope.data) ?? envelope;
		const jobId = text(data.task_id) ?? text(data.id);
		if (!jobId) throw unexpectedAnswer('Modellix accepted the request but its answer has no data.task_id', body);
		return data.status !== undefined ? { jobId, job: modellixAdapter.parseStatus(jobId, body) } : { jobId };
	},

	statusRequest(jobId) {
		return { method: 'GET', path: `/api/v1/tasks/${encodeURIComponent(jobId)}` };
	},

	parseStatus(jobId, body) {
		const envelope = asObject(body);
		const data = objectAt(envelope.data) ?? envelope;
		const word = String(data.status ?? '').trim().toLowerCase();
		const resource = resultResource(data);
		return normalizeJob(
			'modellix',
			jobId,
			{
				providerStatus: String(data.status ?? ''),
				videoUrl: text(resource?.url),
				coverUrl: text(resource?.cover_url) ?? text(objectAt(data.result)?.cover_url),
				durationSeconds: numberAt(resource?.duration),
				createdAt: firstTime(data, MODELLIX_CREATED_AT_FIELDS),
				completedAt: firstTime(data, MODELLIX_COMPLETED_AT_FIELDS),
				expiresAt: toIsoTime(data.result_expires_at),
				error: MODELLIX_STATUS_WORDS.failure.includes(word)
					? modellixTaskError(data, envelope)
					: undefined,
			},
			MODELLIX_STATUS_WORDS,
			envelope,
		);
	},

	detectError(response: VendorResponse) {
		return detectModellixError(response);
	},
};

export function detectModellixError(response: VendorResponse): VendorErrorInfo | undefined {
	const body = asObject(response.body);
	const code = numberAt(body.code);
	const envelopeError = code !== undefined && code !== 0;
	if (response.statusCode < 400 && !envelopeError) return undefined;

	// The envelope code equals the HTTP status; an HTTP 200 with code != 0 is classified by code.
	const status = response.statusCode >= 400 ? response.statusCode : (code as number);
	const kind = kindForHttpStatus(status) ?? 'invalidInput';
	const info: VendorErrorInfo = {
		...(httpError(response, body) ?? {}),
		kind,
		code: code ?? response.statusCode,
		message: errorMessageFrom(body) ?? `Modellix error ${code ?? response.statusCode}`,
	};
	const hint = HINTS[kind];
	if (hint) info.hint = hint;
	if (kind === 'rateLimit') {
		info.retryAfterMs =
			resetAtMs(header(response, 'x-ratelimit-reset')) ?? retryAfterMs(header(response, 'retry-after'));
	}
	return compact(info);
}
