import type { IDataObject } from 'n8n-workflow';

import { SyncSoApi } from '../../credentials/SyncSoApi.credentials';
import type { VendorAdapter, VendorErrorInfo, VendorResponse } from '../shared/adapter';
import type { VendorErrorRules } from '../shared/adapterKit';
import { asObject, classifyVendorError, firstSet, numberAt, readCreatedJob, readJobStatus, text } from '../shared/adapterKit';
import { toIsoTime } from '../shared/job';
import {
	SYNCSO_CREATES_PER_MINUTE,
	SYNCSO_IDS_PER_STATUS_READ,
	SYNCSO_JOB_ERROR_FIELDS,
	SYNCSO_OUTCOME_UNKNOWN_CODE,
	SYNCSO_REQUESTS_PER_MINUTE,
	SYNCSO_RESULT_URL_FIELDS,
	SYNCSO_STATUS_WORDS,
} from './syncSo.assumptions';
import { uploadSyncSoAsset } from './syncSo.assets';
import { syncSoCoreInput } from './syncSo.core';
import { syncSoCreateProperties } from './syncSo.fields';
import { readSyncSoCreateInput, type SyncSoInput } from './syncSo.input';

export type { SyncSoInput } from './syncSo.input';

const SYNCSO_DASHBOARD_URL = 'https://sync.so';
const SYNCSO_KEYS_URL = 'https://sync.so/settings/api-keys';

/**
 * sync.so's error body: HTTP 4xx/5xx `{statusCode, message, error, errorCode, suggestion?, field?}`,
 * `errorCode` a string (branch on it, not on the words), `message` a string or a list of strings.
 */
const SYNCSO_ERRORS: VendorErrorRules = {
	displayName: 'sync.so',
	codeFields: ['errorCode'],
	// An error body is documented with an HTTP error status only; one inside a 2xx (a proxy's) is
	// read as an error too, of a kind only its errorCode can place (else unknown: a job may exist).
	isErrorBody: (body) => typeof body.statusCode === 'number' && body.statusCode >= 400 && body.id === undefined,
	hints: {
		auth: `The sync.so API key is invalid, missing or revoked. Create a key at ${SYNCSO_KEYS_URL} and update the credential.`,
		credit: `sync.so cannot start another generation on this account's billing or plan state (free generations used up, an unpaid invoice, or a plan limit). Check the plan at ${SYNCSO_DASHBOARD_URL}.`,
		rateLimit: `sync.so allows ${SYNCSO_CREATES_PER_MINUTE} creates and ${SYNCSO_REQUESTS_PER_MINUTE} requests per minute per key.`,
		notFound: 'sync.so has no generation with this ID for this organization.',
	},
	codes: {
		concurrency_limit_reached: {
			kind: 'concurrencyLimit',
			hint: 'The sync.so plan runs this many generations at once (1, 3, 6 or 15 by plan). Set the credential\'s Plan so the node never sends more, or wait for running generations to finish.',
		},
		file_size_exceeds_plan_limit: { kind: 'invalidInput', hint: 'The file is larger than the sync.so plan allows.' },
		generation_unsupported_model: { kind: 'invalidInput', hint: 'sync.so does not offer this model to this account.' },
		// Idempotency-Key: a malformed key is a refusal (nothing made); an unknown outcome is not.
		INVALID_IDEMPOTENCY_KEY: { kind: 'invalidInput', hint: 'sync.so refused the create\'s Idempotency-Key (1–128 characters of A-Z a-z 0-9 . _ ~ -, one header); nothing was created.' },
		[SYNCSO_OUTCOME_UNKNOWN_CODE]: { kind: 'server' },
	},
};

/** Generations PENDING or PROCESSING at once per plan (the credential's Plan options); Enterprise: its own number. */
const SYNCSO_PLAN_CONCURRENCY = { hobbyist: 1, creator: 3, growth: 6, scale: 15 };

/** Fields that mark a generation record. */
const SYNCSO_RECORD_FIELDS = ['id', 'status'] as const;

/** sync.so's input item for one medium: a URL or an uploaded asset's id. */
const mediaItem = (type: 'video' | 'audio', media: { url?: string; assetId?: string }): IDataObject =>
	media.assetId ? { type, assetId: media.assetId } : { type, url: media.url };

/** The longest `timeout` of a held status read (`GET /v2/generate/{id}?wait=true`): values outside 1–10 are refused. */
const SYNCSO_LONG_POLL_MAX_SECONDS = 10;

export const syncSoAdapter: VendorAdapter<SyncSoInput, 'syncso'> = {
	provider: 'syncso',
	displayName: 'sync.so',
	credentialName: 'syncSoApi',
	credentialType: new SyncSoApi(),
	// Creates per minute count uploads too (the engine's one POST budget); 120 uploads/min is above it.
	// The plan's concurrency is not known from the key: the credential's Plan says it; not set, a
	// 429 concurrency_limit_reached (nothing created) teaches the engine and keeps the item queued.
	limits: {
		postsPerMinute: SYNCSO_CREATES_PER_MINUTE,
		requestsPerMinute: SYNCSO_REQUESTS_PER_MINUTE,
		runningJobsFromCredential: { planField: 'plan', plans: SYNCSO_PLAN_CONCURRENCY, custom: { option: 'custom', field: 'customConcurrency' } },
	},
	// Generations typically take 30–120 s; sync.so says to contact support after 5 minutes of PENDING.
	waitDefaults: { pollIntervalSeconds: 10, waitLimitMinutes: 30 },
	dashboardUrl: SYNCSO_DASHBOARD_URL,
	// sync.so answers a known Idempotency-Key with the generation it made (docs/vendors.md, sync.so).
	idempotentCreates: { header: 'Idempotency-Key' },
	createProperties: syncSoCreateProperties,
	coreInput: syncSoCoreInput,

	readCreateInput: readSyncSoCreateInput,

	async prepareCreateInput(input, toolkit) {
		const video = input.video.binary ? { assetId: await uploadSyncSoAsset(toolkit, input.video.binary) } : input.video;
		const speech = input.speech.binary ? { assetId: await uploadSyncSoAsset(toolkit, input.speech.binary) } : input.speech;
		return { ...input, video, speech };
	},

	createRequest(input) {
		const { speech } = input;
		const speechItem =
			speech.script !== undefined
				? { type: 'text', provider: { name: 'elevenlabs', voiceId: speech.voiceId, script: speech.script } }
				: mediaItem('audio', speech);
		const body: IDataObject = { model: input.model, input: [mediaItem('video', input.video), speechItem] };
		if (Object.keys(input.options).length > 0) body.options = input.options;
		if (input.outputFileName) body.outputFileName = input.outputFileName;
		if (input.webhookUrl) body.webhookUrl = input.webhookUrl;
		return { method: 'POST', path: '/v2/generate', body };
	},

	// sync.so POSTs the generation (the shape GET /v2/generate/{id} answers, so parseStatus reads
	// it) to the create's `webhookUrl` when it completes or fails; https URLs only.
	callback: {
		attach: (request, url) => ({ ...request, body: { ...(request.body ?? {}), webhookUrl: url } }),
		urlOption: 'webhookUrl',
		httpsOnly: true,
	},

	parseCreated(body) {
		return readCreatedJob(body, { displayName: 'sync.so', idFields: ['id'], recordFields: SYNCSO_RECORD_FIELDS }, syncSoAdapter.parseStatus);
	},

	statusRequest(jobId) {
		return { method: 'GET', path: `/v2/generate/${encodeURIComponent(jobId)}` };
	},

	// `wait=true&timeout=<s>` holds the status read until the generation is COMPLETED, FAILED or
	// REJECTED, or <s> seconds (1–10) pass; then it answers the generation as it is (docs/vendors.md).
	longPoll: {
		maxHoldSeconds: SYNCSO_LONG_POLL_MAX_SECONDS,
		statusRequest: (jobId, holdSeconds) => ({ ...syncSoAdapter.statusRequest(jobId), qs: { wait: true, timeout: holdSeconds } }),
	},

	// `GET /v2/generations?ids=<a,b,…>` answers a bare array of the generations named (as
	// `GET /v2/generate/{id}` answers each), unpaged without `limit`, in no guaranteed order.
	statusOfMany: {
		maxIds: SYNCSO_IDS_PER_STATUS_READ,
		request: (jobIds) => ({ method: 'GET', path: '/v2/generations', qs: { ids: jobIds.join(',') } }),
		parse(body) {
			if (!Array.isArray(body)) throw new Error('expected a list of generations');
			// A record that cannot be read is left out: its job gets a read of its own, which says why.
			return body.flatMap((record) => {
				const jobId = text(asObject(record).id);
				if (!jobId) return [];
				try {
					return [syncSoAdapter.parseStatus(jobId, record)];
				} catch {
					return [];
				}
			});
		},
	},

	parseStatus(jobId, body) {
		const shape = { recordFields: SYNCSO_RECORD_FIELDS, vocabulary: SYNCSO_STATUS_WORDS, errorFields: SYNCSO_JOB_ERROR_FIELDS };
		return readJobStatus('syncso', jobId, body, shape, (record) => ({
			videoUrl: text(firstSet(record, SYNCSO_RESULT_URL_FIELDS)),
			durationSeconds: numberAt(record.outputDuration),
			createdAt: toIsoTime(record.createdAt),
		}));
	},

	detectError(response) {
		return detectSyncSoError(response);
	},
};

/**
 * One classification for every sync.so answer. A 429 is told apart by its `errorCode` ("Inspect
 * the error body instead of treating every 429 as the same limit"); a list of messages is joined;
 * sync.so's own `suggestion` (and the `field` it names) becomes the advice.
 */
function detectSyncSoError(response: VendorResponse): VendorErrorInfo | undefined {
	const body = asObject(response.body);
	const message = Array.isArray(body.message) ? body.message.map(String).join('; ') : body.message;
	const info = classifyVendorError({ ...response, body: { ...body, message } }, SYNCSO_ERRORS);
	if (!info) return undefined;
	if (response.statusCode === 429 && body.errorCode === 'concurrency_limit_reached') {
		info.kind = 'concurrencyLimit';
		info.hint = SYNCSO_ERRORS.codes?.concurrency_limit_reached.hint;
		delete info.retryAfterMs;
	}
	// A keyed create sync.so cannot settle yet may name the generation to poll.
	if (body.errorCode === SYNCSO_OUTCOME_UNKNOWN_CODE && text(body.generationId)) info.jobId = text(body.generationId);
	const suggestion = text(body.suggestion);
	if (suggestion) info.hint = text(body.field) ? `${suggestion} (field "${String(body.field)}")` : suggestion;
	return info;
}
