import type { IDataObject } from 'n8n-workflow';

import { VozoApi } from '../../credentials/VozoApi.credentials';
import type { VendorAdapter } from '../shared/adapter';
import type { VendorErrorRules } from '../shared/adapterKit';
import { asObject, classifyVendorError, firstSet, objectAt, readCreatedJob, readJobStatus, readRecord, text } from '../shared/adapterKit';
import { toIsoTime, type NormalizedJob } from '../shared/job';
import {
	isVozoErrorBody,
	VOZO_CALLBACK_CHALLENGE_HINT,
	VOZO_HTTP_KINDS,
	VOZO_NOT_FOUND_HINT,
	VOZO_JOB_ERROR_FIELDS,
	VOZO_RECORD_FIELDS,
	VOZO_RESULT_FIELD,
		VOZO_REUSABLE_STATUS_PATH_SETTING,
	VOZO_STATUS_WORDS,
	VOZO_UNDOCUMENTED_FIELDS,
	vozoStatusPath,
} from './vozo.assumptions';
import { callbackSecretOf, rememberVozoCallbackReference, setVozoCallbackUrl, withCallbackReference } from './vozo.callback';
import { vozoCreateProperties } from './vozo.fields';
import { VOZO_KEY_CODES } from './vozo.keyCodes';
import { readVozoCreateInput, type VozoInput } from './vozo.input';
import { vozoCoreInput } from './vozo.core';

export { VOZO_CALLBACK_REFERENCE_PARAM, VOZO_CALLBACK_SIGNATURE_PARAM, withCallbackReference } from './vozo.callback';

const VOZO_DASHBOARD_URL = 'https://www.vozo.ai';
const MAX_RUNNING_JOBS = 10;

export type { VozoInput } from './vozo.input';

/** Vozo's documented error codes (HTTP 400 `{code, message}`; `code` is a string). */
const VOZO_ERRORS: VendorErrorRules = {
	displayName: 'Vozo',
	isErrorBody: isVozoErrorBody,
	httpKinds: VOZO_HTTP_KINDS,
	requestIdFields: VOZO_UNDOCUMENTED_FIELDS.requestId,
	hints: { notFound: VOZO_NOT_FOUND_HINT },
	codes: {
		...VOZO_KEY_CODES,
		5: { kind: 'invalidInput' },
		104: { kind: 'credit', hint: `Not enough Vozo credits. Top up at ${VOZO_DASHBOARD_URL}, then run the node again.` },
		1000: { kind: 'server' },
		1301: { kind: 'invalidInput', hint: VOZO_CALLBACK_CHALLENGE_HINT },
		1304: {
			kind: 'concurrencyLimit',
			hint: `Vozo allows ${MAX_RUNNING_JOBS} queued or running jobs per account. Wait for running jobs to finish, or send fewer items at once.`,
		},
		1502: { kind: 'invalidInput', hint: 'Vozo could not download the audio. The audio URL must be a public direct link to a .wav, .mp3 or .m4a file.' },
	},
};

/** Failed-job codes Vozo documents, to explain a failure in plain words. */
const VOZO_JOB_ERRORS: Record<string, string> = {
	999: 'Vozo could not download an input file',
	20403: 'Not enough faces found in the reference',
	20407: 'Too many face tracks in the reference',
	20408: 'Face detection failed',
	20601: 'No face found in the reference',
	20602: 'Unknown image format',
	20611: 'Flow limit reached',
	20613: 'The image was flagged as sensitive',
};

export const vozoAdapter: VendorAdapter<VozoInput, 'vozo'> = {
	provider: 'vozo',
	displayName: 'Vozo',
	credentialName: 'vozoApi',
	credentialType: new VozoApi(),
	limits: { maxRunningJobs: MAX_RUNNING_JOBS },
	waitDefaults: { pollIntervalSeconds: 30, waitLimitMinutes: 150 }, // 10–20 min renders after ≤ 120 min of queue
	dashboardUrl: VOZO_DASHBOARD_URL,
	createProperties: vozoCreateProperties,
	coreInput: vozoCoreInput,

	readCreateInput: readVozoCreateInput,

	createRequest(input, reference, credentials) {
		const reusable = input.generationMode === 'reusableModel';
		const body: IDataObject = reusable
			? { model_id: input.modelId, audio_url: input.audioUrl }
			: {
					reference_file_url: input.referenceFileUrl,
					reference_file_type: input.referenceFileType,
					audio_url: input.audioUrl,
					model: input.model,
				};
		const path = reusable ? '/v1/reusable_lipsync_model_video_generation' : '/v1/video_generation';
		if (!input.callbackUrl) return { method: 'POST', path, body };
		// Signed with the credential's Callback Secret when it has one (vozo.callback.ts).
		body.callback_url = withCallbackReference(input.callbackUrl, reference, callbackSecretOf(credentials));
		return { method: 'POST', path, body, outputExtras: { callbackReference: reference } };
	},

	// Vozo's callbacks carry no task id: our reference travels in the URL (vozo.callback.ts).
	callback: { attach: setVozoCallbackUrl, correlate: rememberVozoCallbackReference, urlOption: 'callbackUrl' },
	parseCreated(body) {
		return readCreatedJob(body, { displayName: 'Vozo', idFields: ['task_id', 'id'], recordFields: VOZO_RECORD_FIELDS }, vozoAdapter.parseStatus);
	},

	statusRequest(jobId) {
		const reusable = {
			method: 'GET' as const,
			path: vozoStatusPath(jobId),
			pathSetting: VOZO_REUSABLE_STATUS_PATH_SETTING,
			pathValues: { taskId: jobId },
		};
		return { method: 'GET', path: vozoStatusPath(jobId), alternatives: [reusable] };
	},

	parseStatus(jobId, body) {
		const job = parseVozoRecord(jobId, withResultFlattened(body));
		job.raw = asObject(body);
		return job;
	},

	detectError(response) {
		return classifyVendorError(response, VOZO_ERRORS);
	},
};

/** The record with the fields of a nested `result` filled in where the top level leaves them unset. */
function withResultFlattened(body: unknown): unknown {
	const top = asObject(body);
	const record = readRecord(top, VOZO_RECORD_FIELDS);
	const result = objectAt(record[VOZO_RESULT_FIELD]);
	if (!result) return body;
	const flat = { ...record };
	for (const [field, value] of Object.entries(result)) {
		if (flat[field] === undefined || flat[field] === null || flat[field] === '') flat[field] = value;
	}
	return flat;
}

function parseVozoRecord(jobId: string, body: unknown): NormalizedJob {
	const shape = {
		recordFields: VOZO_RECORD_FIELDS,
		vocabulary: VOZO_STATUS_WORDS,
		errorFields: VOZO_JOB_ERROR_FIELDS,
		explainCode: (code: string) => VOZO_JOB_ERRORS[code],
	};
	return readJobStatus('vozo', jobId, body, shape, (record) => ({
		videoUrl: text(record.video_url) ?? text(firstSet(record, VOZO_UNDOCUMENTED_FIELDS.videoUrl)),
		coverUrl: text(firstSet(record, VOZO_UNDOCUMENTED_FIELDS.coverUrl)),
		createdAt: toIsoTime(firstSet(record, VOZO_UNDOCUMENTED_FIELDS.createdAt)),
		completedAt: toIsoTime(firstSet(record, VOZO_UNDOCUMENTED_FIELDS.completedAt)),
	}));
}
