import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { PersonateApi } from '../../credentials/PersonateApi.credentials';
import type { VendorAdapter, VendorErrorInfo, VendorResponse } from '../shared/adapter';
import type { VendorErrorRules } from '../shared/adapterKit';
import { classifyVendorError, firstSet, kindForHttpStatus, readCreatedJob, readJobStatus } from '../shared/adapterKit';
import { signedBinaryLink } from '../shared/binaryLink';
import { toIsoTime } from '../shared/job';
import {
	httpUrl,
	oneOf,
	parseItemInput,
	readLocatorValue,
	readParameter,
	requiredText,
} from '../shared/validation';
import {
	isPersonateErrorBody,
	PERSONATE_COMPLETED_AT_FIELDS,
	personateCreateErrorBodyKind,
	PERSONATE_CREATED_AT_FIELDS,
	PERSONATE_JOB_ERROR_FIELDS,
	PERSONATE_FETCHED_AUDIO,
	PERSONATE_FETCHED_VIDEO,
	PERSONATE_NOT_FOUND_HINT,
	PERSONATE_QUEUE_MINUTES,
	PERSONATE_RECORD_FIELDS,
	PERSONATE_STATUS_PATH_SETTING,
	PERSONATE_STATUS_WORDS,
	personateStatusPath,
	personateVideoUrl,
} from './personate.assumptions';
import { PERSONATE_DISPLAY_NAMES, personateCreateProperties } from './personate.fields';
import { personateCoreInput } from './personate.core';

const PERSONATE_DASHBOARD_URL = 'https://personate.ai';

export interface PersonateInput extends IDataObject {
	model: 'v1' | 'v2';
	actor: IDataObject;
	script: IDataObject;
}

const sourcesSchema = z.object({
	model: oneOf(['v1', 'v2']),
	actorSource: oneOf(['avatar', 'video', 'binary']),
	scriptSource: oneOf(['audio', 'text', 'binary']),
});
const binaryField = (field: string) => z.object({ [field]: requiredText('the name of an input binary field') });

/** n8n's signed link to the item's binary video or audio, refused first if Personate could not fetch it. */
async function personateBinaryLink(ctx: IExecuteFunctions, itemIndex: number, kind: 'video' | 'audio'): Promise<string> {
	const field = `${kind}BinaryProperty`;
	const raw = { [field]: readParameter(ctx, field, itemIndex) ?? (kind === 'video' ? 'video' : 'data') };
	const property = parseItemInput(ctx, itemIndex, binaryField(field), raw, PERSONATE_DISPLAY_NAMES)[field];
	const link = await signedBinaryLink(ctx, itemIndex, {
		vendor: 'Personate',
		field: PERSONATE_DISPLAY_NAMES[field],
		property,
		accepts: kind === 'video' ? { extensions: PERSONATE_FETCHED_VIDEO, kind: 'video' } : { extensions: PERSONATE_FETCHED_AUDIO, kind: 'audio' },
		queueMinutes: PERSONATE_QUEUE_MINUTES,
		waitLimitDefaultMinutes: personateAdapter.waitDefaults.waitLimitMinutes,
	});
	return link.url;
}
const videoActor = z.object({ videoUrl: httpUrl(undefined, 'video') });
const avatarActor = z.object({
	avatarType: oneOf(['public', 'custom']),
	avatarId: requiredText('an avatar (pick one from the list or enter its ID)'),
});
const audioScript = z.object({ audioUrl: httpUrl(undefined, 'audio') });
const textScript = z.object({
	scriptText: requiredText('the text the actor should say'),
	voiceType: oneOf(['public', 'custom']),
	voiceId: requiredText('a voice (pick one from the list or enter its ID)'),
});

/** Personate documents no error codes: errors are classified by HTTP status (and error bodies). */
const PERSONATE_ERRORS: VendorErrorRules = {
	displayName: 'Personate',
	isErrorBody: isPersonateErrorBody,
	codeFields: ['code', 'error_code'],
	kindForCode: (code) => (/^[45]\d\d$/.test(code) ? kindForHttpStatus(Number(code)) : undefined),
	// An HTTP 2xx error body says nothing about its cause: read it as Personate's own trouble,
	// which a status call retries.
	bodyErrorKind: 'server',
	hints: {
		auth: 'The Personate API key is invalid. Create a key in Personate and update the credential.',
		credit: `Not enough Personate credits. Top up at ${PERSONATE_DASHBOARD_URL}, then run the node again.`,
		notFound: PERSONATE_NOT_FOUND_HINT,
	},
};

/** On a create, an HTTP 2xx error body that says why is a refusal; any other may follow a made job (personate.assumptions.ts). */
const PERSONATE_CREATE_ERRORS: VendorErrorRules = { ...PERSONATE_ERRORS, bodyErrorKind: personateCreateErrorBodyKind };

export const personateAdapter: VendorAdapter<PersonateInput, 'personate'> = {
	provider: 'personate',
	displayName: 'Personate',
	credentialName: 'personateApi',
	credentialType: new PersonateApi(),
	limits: {},
	// Rendering time and limits are undocumented: 10 s polls are cheap, 30 min covers a long render.
	waitDefaults: { pollIntervalSeconds: 10, waitLimitMinutes: 30 },
	dashboardUrl: PERSONATE_DASHBOARD_URL,
	createProperties: personateCreateProperties,
	coreInput: personateCoreInput,

	async readCreateInput(ctx: IExecuteFunctions, itemIndex: number): Promise<PersonateInput> {
		const names = PERSONATE_DISPLAY_NAMES;
		const { model, actorSource, scriptSource } = parseItemInput(
			ctx,
			itemIndex,
			sourcesSchema,
			{
				model: readParameter(ctx, 'model', itemIndex) ?? 'v2',
				actorSource: readParameter(ctx, 'actorSource', itemIndex) ?? 'avatar',
				scriptSource: readParameter(ctx, 'scriptSource', itemIndex) ?? 'audio',
			},
			names,
		);

		let actor: IDataObject;
		if (actorSource === 'binary') {
			actor = { use: 'video', video_url: await personateBinaryLink(ctx, itemIndex, 'video') };
		} else if (actorSource === 'video') {
			const { videoUrl } = parseItemInput(ctx, itemIndex, videoActor, { videoUrl: readParameter(ctx, 'videoUrl', itemIndex) }, names);
			actor = { use: 'video', video_url: videoUrl };
		} else {
			const raw = {
				avatarType: readParameter(ctx, 'avatarType', itemIndex) ?? 'public',
				avatarId: readLocatorValue(ctx, 'avatarId', itemIndex),
			};
			const { avatarType, avatarId } = parseItemInput(ctx, itemIndex, avatarActor, raw, names);
			actor = { use: 'avatar', avatar_id: avatarId, avatar_type: avatarType };
		}

		let script: IDataObject;
		if (scriptSource === 'binary') {
			script = { use: 'audio', audio_url: await personateBinaryLink(ctx, itemIndex, 'audio') };
		} else if (scriptSource === 'audio') {
			const { audioUrl } = parseItemInput(ctx, itemIndex, audioScript, { audioUrl: readParameter(ctx, 'audioUrl', itemIndex) }, names);
			script = { use: 'audio', audio_url: audioUrl };
		} else {
			const raw = {
				scriptText: readParameter(ctx, 'scriptText', itemIndex),
				voiceType: readParameter(ctx, 'voiceType', itemIndex) ?? 'public',
				voiceId: readLocatorValue(ctx, 'voiceId', itemIndex),
			};
			const { scriptText, voiceType, voiceId } = parseItemInput(ctx, itemIndex, textScript, raw, names);
			script = { use: 'text', text: scriptText, voice_id: voiceId, voice_type: voiceType };
		}
		return { model, actor, script };
	},

	createRequest(input) {
		return {
			method: 'POST',
			path: '/api/express_lipsync_video',
			body: { model: input.model, actor: input.actor, script: input.script },
		};
	},

	parseCreated(body) {
		const shape = { displayName: 'Personate', idFields: ['job_id', 'id'], recordFields: PERSONATE_RECORD_FIELDS };
		return readCreatedJob(body, shape, personateAdapter.parseStatus);
	},

	statusRequest(jobId) {
		return { method: 'GET', path: personateStatusPath(jobId), pathSetting: PERSONATE_STATUS_PATH_SETTING, pathValues: { jobId } };
	},

	parseStatus(jobId, body) {
		const shape = { recordFields: PERSONATE_RECORD_FIELDS, vocabulary: PERSONATE_STATUS_WORDS, errorFields: PERSONATE_JOB_ERROR_FIELDS };
		const job = readJobStatus('personate', jobId, body, shape, (record) => ({
			videoUrl: personateVideoUrl(record),
			createdAt: toIsoTime(firstSet(record, PERSONATE_CREATED_AT_FIELDS)),
			completedAt: toIsoTime(firstSet(record, PERSONATE_COMPLETED_AT_FIELDS)),
		}));
		// A video in `output` means the render is done, whatever word Personate uses for it.
		if (job.status !== 'failed' && job.videoUrl) {
			delete job.resultPending;
			return { ...job, status: 'succeeded' };
		}
		return job;
	},

	detectError(response: VendorResponse): VendorErrorInfo | undefined {
		return classifyVendorError(response, response.method === 'POST' ? PERSONATE_CREATE_ERRORS : PERSONATE_ERRORS);
	},
};
