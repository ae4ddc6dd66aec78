import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { ModellixApi } from '../../credentials/ModellixApi.credentials';
import type { VendorAdapter, VendorErrorInfo, VendorResponse } from '../shared/adapter';
import type { VendorErrorRules } from '../shared/adapterKit';
import {
	classifyVendorError,
	isNonZeroCode,
	isObject,
	kindForHttpStatus,
	numberAt,
	objectAt,
	readCreatedJob,
	readJobStatus,
	text,
} from '../shared/adapterKit';
import { toIsoTime } from '../shared/job';
import type { StatusVocabulary } from '../shared/job';
import { httpUrl, oneOf, optionalHttpUrl, parseItemInput, readParameter } from '../shared/validation';
import {
	MODELLIX_COMPLETED_AT_FIELDS,
	MODELLIX_COVER_URL_FIELD,
	MODELLIX_CREATED_AT_FIELDS,
	MODELLIX_DURATION_FIELD,
	MODELLIX_JOB_ERROR_FIELDS,
	MODELLIX_LEGACY_MODEL_SLUGS,
} from './modellix.assumptions';
import {
	MODELLIX_DISPLAY_NAMES,
	MODELLIX_MODEL_CHOICES,
	MODELLIX_OTHER_MODEL,
	MODELLIX_VIDU_MODEL,
	modellixCreateProperties,
} from './modellix.fields';
import { readViduInputs } from './modellix.input';
import { pickModellixCover, pickModellixVideo, readModellixResources } from './modellix.resources';
import { modellixCreatePaths, modellixResultUrlOf, rememberModellixResultUrl } from './modellix.routes';
import { modellixCoreInput } from './modellix.core';

const MODELLIX_DASHBOARD_URL = 'https://modellix.ai';

export interface ModellixInput extends IDataObject {
	/** `provider/model`, the path segment of `POST /api/v1/{provider}/{model}/async`. */
	modelSlug: string;
	body: IDataObject;
}

const MODELLIX_STATUS_WORDS: StatusVocabulary = {
	success: ['success', 'succeeded', 'completed'],
	failure: ['failed', 'error', 'canceled', 'cancelled', 'timeout'],
	queued: ['pending', 'submitted'],
};

const viduSchema = z.object({
	videoUrl: httpUrl(undefined, 'video'),
	audioUrl: optionalHttpUrl('voice.mp3'),
	referenceFaceImageUrl: optionalHttpUrl('face.jpg'),
});

const otherModelSchema = z.object({
	otherModelSlug: z
		.string({ required_error: 'is required: enter the model as provider/model' })
		.trim()
		.regex(/^[a-z0-9][\w.-]*\/[a-z0-9][\w.-]*$/i, {
			message: 'must be a Modellix model as provider/model, such as "pixverse/lipsync"',
		}),
	requestBody: z.unknown().transform((value, ctx) => {
		let body: unknown = value;
		if (typeof value === 'string') {
			try {
				body = JSON.parse(value);
			} catch {
				body = undefined;
			}
		}
		if (isObject(body) && Object.keys(body).length > 0) return body;
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a JSON object with the model\'s parameters, e.g. {"video_url": "https://…"}' });
		return z.NEVER;
	}),
});

/** Modellix's envelope `{code, message, data}`: `code` 0 on success, else the HTTP status. */
const MODELLIX_ERRORS: VendorErrorRules = {
	displayName: 'Modellix',
	isErrorBody: (body) => isNonZeroCode(body.code),
	kindForCode: (code) => kindForHttpStatus(Number(code)),
	hints: {
		auth: 'The Modellix API key is invalid. Create a key in the Modellix dashboard and update the credential.',
		credit: `The Modellix balance is too low. Top up at ${MODELLIX_DASHBOARD_URL}, then run the node again.`,
		rateLimit: 'Modellix allows 100 requests per minute per key.',
	},
};

const MODELLIX_RECORD_FIELDS = ['task_id', 'status'] as const;

function firstTime(record: IDataObject, fields: readonly string[]): string | undefined {
	for (const field of fields) {
		const time = toIsoTime(record[field]);
		if (time) return time;
	}
	return undefined;
}

export const modellixAdapter: VendorAdapter<ModellixInput, 'modellix'> = {
	provider: 'modellix',
	displayName: 'Modellix',
	credentialName: 'modellixApi',
	credentialType: new ModellixApi(),
	limits: { requestsPerMinute: 100 },
	// Lip-sync renders take minutes; 10 s polls stay far below 100 req/min for a few dozen jobs
	// (the engine's rate limiter handles more), and 30 min covers a long queue.
	waitDefaults: { pollIntervalSeconds: 10, waitLimitMinutes: 30 },
	dashboardUrl: MODELLIX_DASHBOARD_URL,
	createProperties: modellixCreateProperties,
	coreInput: modellixCoreInput,

	async readCreateInput(ctx: IExecuteFunctions, itemIndex: number): Promise<ModellixInput> {
		const names = MODELLIX_DISPLAY_NAMES;
		const chosen = readParameter(ctx, 'modelSlug', itemIndex) ?? MODELLIX_VIDU_MODEL;
		if (chosen === MODELLIX_OTHER_MODEL) {
			const raw = {
				otherModelSlug: readParameter(ctx, 'otherModelSlug', itemIndex),
				requestBody: readParameter(ctx, 'requestBody', itemIndex),
			};
			const other = parseItemInput(ctx, itemIndex, otherModelSchema, raw, names);
			return { modelSlug: other.otherModelSlug, body: other.requestBody };
		}
		const modelSlug = MODELLIX_LEGACY_MODEL_SLUGS.includes(String(chosen))
			? String(chosen)
			: parseItemInput(ctx, itemIndex, z.object({ modelSlug: oneOf(MODELLIX_MODEL_CHOICES) }), { modelSlug: chosen }, names).modelSlug;
		const vidu = parseItemInput(ctx, itemIndex, viduSchema, await readViduInputs(ctx, itemIndex, modellixAdapter.waitDefaults.waitLimitMinutes), names);
		const body: IDataObject = { video_url: vidu.videoUrl };
		if (vidu.audioUrl) body.audio_url = vidu.audioUrl;
		if (vidu.referenceFaceImageUrl) body.reference_face_image_url = vidu.referenceFaceImageUrl;
		return { modelSlug, body };
	},

	createRequest(input) {
		const [documented, ...others] = modellixCreatePaths(input.modelSlug);
		return { method: 'POST', path: documented, body: input.body, alternatives: others.map((path) => ({ method: 'POST', path, body: input.body })) };
	},

	parseCreated(body) {
		const shape = { displayName: 'Modellix', idFields: ['task_id', 'id'], recordFields: MODELLIX_RECORD_FIELDS };
		const created = readCreatedJob(body, shape, modellixAdapter.parseStatus);
		rememberModellixResultUrl(created.jobId, body);
		return created;
	},

	statusRequest(jobId) {
		const documented = { method: 'GET' as const, path: `/api/v1/tasks/${encodeURIComponent(jobId)}` };
		const given = modellixResultUrlOf(jobId);
		return given ? { method: 'GET', path: given, alternatives: [documented] } : documented;
	},

	parseStatus(jobId, body) {
		const shape = { recordFields: MODELLIX_RECORD_FIELDS, vocabulary: MODELLIX_STATUS_WORDS, errorFields: MODELLIX_JOB_ERROR_FIELDS };
		return readJobStatus('modellix', jobId, body, shape, (data) => {
			const resources = readModellixResources(data);
			const video = pickModellixVideo(resources);
			return {
				videoUrl: video?.url,
				coverUrl:
					text(video?.record[MODELLIX_COVER_URL_FIELD]) ??
					text(objectAt(data.result)?.[MODELLIX_COVER_URL_FIELD]) ??
					pickModellixCover(resources)?.url,
				durationSeconds: numberAt(video?.record[MODELLIX_DURATION_FIELD]),
				createdAt: firstTime(data, MODELLIX_CREATED_AT_FIELDS),
				completedAt: firstTime(data, MODELLIX_COMPLETED_AT_FIELDS),
				expiresAt: toIsoTime(data.result_expires_at),
			};
		});
	},

	detectError(response: VendorResponse): VendorErrorInfo | undefined {
		return classifyVendorError(response, MODELLIX_ERRORS);
	},
};
