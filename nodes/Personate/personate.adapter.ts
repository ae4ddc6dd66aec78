import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import type { VendorAdapter, VendorErrorInfo, VendorResponse } from '../shared/adapter';
import { asObject, compact, httpError, text, unexpectedAnswer } from '../shared/adapterKit';
import { normalizeJob, toIsoTime } from '../shared/job';
import {
	httpUrl,
	oneOf,
	parseItemInput,
	readLocatorValue,
	readParameter,
	requiredText,
} from '../shared/validation';
import {
	PERSONATE_STATUS_WORDS,
	personateJobError,
	personateRecord,
	personateStatusPath,
	personateVideoUrl,
} from './personate.assumptions';
import { PERSONATE_DISPLAY_NAMES, personateCreateProperties } from './personate.fields';

export const PERSONATE_DASHBOARD_URL = 'https://personate.ai';

export interface PersonateInput extends IDataObject {
	model: 'v1' | 'v2';
	actor: IDataObject;
	script: IDataObject;
}

const sourcesSchema = z.object({
	model: oneOf(['v1', 'v2']),
	actorSource: oneOf(['avatar', 'video']),
	scriptSource: oneOf(['audio', 'text']),
});
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

const HINTS: Partial<Record<VendorErrorInfo['kind'], string>> = {
	auth: 'The Personate API key is invalid. Create a key in Personate and update the credential.',
	credit: `Not enough Personate credits. Top up at ${PERSONATE_DASHBOARD_URL}, then run the node again.`,
	notFound: 'Personate has no job (or avatar/voice) with this ID for this API key.',
};

export const personateAdapter: VendorAdapter<PersonateInput> = {
	provider: 'personate',
	displayName: 'Personate',
	credentialName: 'personateApi',
	limits: {},
	// Rendering time and limits are undocumented: 10 s polls are cheap, 30 min covers a long render.
	waitDefaults: { pollIntervalSeconds: 10, waitLimitMinutes: 30 },
	dashboardUrl: PERSONATE_DASHBOARD_URL,
	createProperties: personateCreateProperties,

	readCreateInput(ctx: IExecuteFunctions, itemIndex: number): PersonateInput {
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
		if (actorSource === 'video') {
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
		if (scriptSource === 'audio') {
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
		const record = personateRecord(asObject(body));
		const jobId = text(record.job_id) ?? text(record.id);
		if (!jobId) throw unexpectedAnswer('Personate accepted the request but its answer has no job_id', body);
		return record.status !== undefined ? { jobId, job: personateAdapter.parseStatus(jobId, body) } : { jobId };
	},

	statusRequest(jobId) {
		return { method: 'GET', path: personateStatusPath(jobId) };
	},

	parseStatus(jobId, body) {
		const raw = asObject(body);
		const record = personateRecord(raw);
		const word = String(record.status ?? '').trim().toLowerCase();
		return normalizeJob(
			'personate',
			jobId,
			{
				providerStatus: String(record.status ?? ''),
				videoUrl: personateVideoUrl(record),
				createdAt: toIsoTime(record.created_at),
				completedAt: toIsoTime(record.completed_at ?? record.updated_at),
				error: PERSONATE_STATUS_WORDS.failure.includes(word) ? personateJobError(record) : undefined,
			},
			PERSONATE_STATUS_WORDS,
			raw,
		);
	},

	detectError(response: VendorResponse) {
		return detectPersonateError(response);
	},
};

/** Personate errors are classified by HTTP status alone (no documented error codes). */
export function detectPersonateError(response: VendorResponse): VendorErrorInfo | undefined {
	const info = httpError(response);
	if (!info) return undefined;
	const body = asObject(response.body);
	const code = text(body.code) ?? text(body.error_code);
	if (code) info.code = /^\d+$/.test(code) ? Number(code) : code;
	const hint = HINTS[info.kind];
	if (hint) info.hint = hint;
	return compact(info);
}
