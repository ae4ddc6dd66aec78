import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { JoggAiApi } from '../../credentials/JoggAiApi.credentials';
import type { VendorAdapter, VendorErrorInfo, VendorResponse } from '../shared/adapter';
import type { VendorErrorRules } from '../shared/adapterKit';
import {
	asObject,
	classifyVendorError,
	firstSet,
	objectAt,
	isNonZeroCode,
	numberAt,
	readCreatedJob,
	readJobStatus,
	readRecord,
	text,
} from '../shared/adapterKit';
import { toIsoTime } from '../shared/job';
import { httpUrl, oneOf, parseItemInput, readParameter, requiredText } from '../shared/validation';
import {
	JOGGAI_DURATION_FIELDS,
	JOGGAI_RESULT_URL_FIELDS,
	JOGGAI_RETRY_AFTER_FIELD,
	JOGGAI_STATUS_WORDS,
	kindForJoggAiCode,
} from './joggAi.assumptions';
import { readJoggAiBinary, uploadJoggAiAsset } from './joggAi.binary';
import type { JoggAiBinarySource } from './joggAi.binary';
import { JOGGAI_DISPLAY_NAMES, JOGGAI_PLAYBACK_TYPES, joggAiCreateProperties } from './joggAi.fields';
import { JOGGAI_DASHBOARD_URL, JOGGAI_KEY_CODES } from './joggAi.keyCodes';
import type { JoggAiPlaybackType } from './joggAi.fields';
import { joggAiCoreInput } from './joggAi.core';


export interface JoggAiInput extends IDataObject {
	playbackType: JoggAiPlaybackType;
	/** Set for URL sources, and by prepareCreateInput after a binary upload. */
	videoUrl?: string;
	audioUrl?: string;
	videoBinary?: JoggAiBinarySource;
	audioBinary?: JoggAiBinarySource;
}

/** The Lip Sync Trigger reads JoggAI's webhook statuses with the same words. */
export { JOGGAI_STATUS_WORDS };

/** JoggAI's envelope codes: every answer is HTTP 200 `{code, msg, data, rid}`, `code` 0 when fine. */
const JOGGAI_ERRORS: VendorErrorRules = {
	displayName: 'JoggAI',
	isErrorBody: (body) => isNonZeroCode(body.code),
	kindForCode: kindForJoggAiCode,
	requestIdFields: ['rid'],
	hints: { rateLimit: 'JoggAI allows 20 POST requests per minute per key, uploads included.' },
	codes: {
		...JOGGAI_KEY_CODES,
		429: { kind: 'rateLimit' },
		10104: { kind: 'notFound', hint: 'JoggAI has no task with this ID for this API key.' },
		18020: { kind: 'credit', hint: `Not enough JoggAI credits. Top up at ${JOGGAI_DASHBOARD_URL}, then run the node again.` },
		40000: { kind: 'invalidInput', hint: 'JoggAI rejected the parameters. Video and audio must be public direct links (or binary input) of a supported type.' },
		50000: { kind: 'server' },
	},
};

/** Fields of JoggAI's task record (under the envelope's `data`). */
const JOGGAI_RECORD_FIELDS = ['task_id', 'status'] as const;

// The create endpoint documents only `format: uri`: the file-type rules belong to uploads.
const urlSchema = z.object({
	videoUrl: httpUrl(undefined, 'video'),
	audioUrl: httpUrl(undefined, 'audio'),
});
const sourceSchema = z.object({
	videoSource: oneOf(['url', 'binary']),
	audioSource: oneOf(['url', 'binary']),
	playbackType: oneOf(JOGGAI_PLAYBACK_TYPES),
	videoBinaryProperty: requiredText('the name of an input binary field').optional(),
	audioBinaryProperty: requiredText('the name of an input binary field').optional(),
});

export const joggAiAdapter: VendorAdapter<JoggAiInput, 'joggai'> = {
	provider: 'joggai',
	displayName: 'JoggAI',
	credentialName: 'joggAiApi',
	credentialType: new JoggAiApi(),
	limits: { postsPerMinute: 20 },
	// Renders take a few minutes; status GETs are unlimited, so 10 s costs nothing and 30 min
	// leaves room for a busy queue.
	waitDefaults: { pollIntervalSeconds: 10, waitLimitMinutes: 30 },
	dashboardUrl: JOGGAI_DASHBOARD_URL,
	createProperties: joggAiCreateProperties,
	coreInput: joggAiCoreInput,

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
		if (input.videoBinary) prepared.videoUrl = await uploadJoggAiAsset(toolkit, input.videoBinary);
		if (input.audioBinary) prepared.audioUrl = await uploadJoggAiAsset(toolkit, input.audioBinary);
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
		const shape = { displayName: 'JoggAI', idFields: ['task_id'], recordFields: JOGGAI_RECORD_FIELDS };
		return readCreatedJob(body, shape, joggAiAdapter.parseStatus);
	},

	statusRequest(jobId) {
		return { method: 'GET', path: `/v2/lip_sync_video/${encodeURIComponent(jobId)}` };
	},

	parseStatus(jobId, body) {
		const shape = { recordFields: JOGGAI_RECORD_FIELDS, vocabulary: JOGGAI_STATUS_WORDS, errorFields: { code: [], message: ['error'] } };
		return readJobStatus('joggai', jobId, body, shape, (data) => {
			// The result sits in a second `data` (data.data.result_url); a flat result is tolerated.
			const result = readRecord(data, JOGGAI_RESULT_URL_FIELDS);
			return {
				videoUrl: text(result.result_url) ?? text(result.video_url),
				coverUrl: text(result.cover_url),
				durationSeconds: numberAt(firstSet(result, JOGGAI_DURATION_FIELDS)),
				createdAt: toIsoTime(data.created_at),
				completedAt: toIsoTime(data.completed_at),
			};
		});
	},

	detectError(response) {
		return detectJoggAiError(response);
	},
};

/** Also used by the Lip Sync Trigger for JoggAI's webhook-endpoint requests. */
function detectJoggAiError(response: VendorResponse): VendorErrorInfo | undefined {
	const info = classifyVendorError(response, JOGGAI_ERRORS);
	if (info?.kind !== 'rateLimit') return info;
	// JoggAI says when to come back in the body; the engine waits that long, as for Retry-After.
	const body = asObject(response.body);
	const seconds = numberAt(body[JOGGAI_RETRY_AFTER_FIELD] ?? objectAt(body.data)?.[JOGGAI_RETRY_AFTER_FIELD]);
	if (seconds !== undefined && seconds >= 0) info.retryAfterMs = Math.round(seconds * 1000);
	return info;
}
