import type { IDataObject, IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { completedWithoutVideo, isTerminal, type NormalizedJob } from '../shared/job';
import { vendorRequest } from '../shared/transport';
import { dedupeKey } from '../LipSyncTrigger/dedupe';
import { accept, parseJsonObject, queryValue, readRawBody, reject } from '../LipSyncTrigger/inbound';
import type { TriggerMode } from '../LipSyncTrigger/triggerMode';
import { VOZO_CALLBACK_REFERENCE_PARAM, vozoAdapter } from './vozo.adapter';
import { callbackAuth, callbackAuthProblem, callbackAuthProperties, checkCallbackAuthSetting } from './vozo.triggerAuth';
import { admitCallback } from './vozo.triggerCallbacks';
import { vozoJobForCallback } from './vozo.triggerJobs';

/**
 * Vozo mode. Vozo POSTs the job's status body (`{status, video_url?}`) to the callback URL the
 * Vozo node was given, on every status change. The body has no task id and no signature, so:
 * - the URL proves the caller was handed it (vozo.triggerAuth.ts): by default the reference's
 *   HMAC keyed by the Vozo credential's Callback Secret, else a legacy token or nothing;
 * - the Vozo node appends our correlation reference (`lipsync_ref=<ref>`) to the URL and outputs
 *   it as `callbackReference` beside the job id; the trigger hands it back, starts at most one
 *   execution per reference and final status, and ignores statuses arriving after a final one;
 * - with a Vozo credential selected, a final status is confirmed with one authenticated status
 *   request before anything starts, when the trigger knows the job id for the reference
 *   (vozo.triggerJobs.ts). The output then carries Vozo's answer and `verified: true`; in every
 *   other case `verified: false` and `verification` says why.
 */

/**
 * The status request runs before the trigger answers Vozo. How long Vozo waits for an answer is
 * undocumented; 4 s stays within the few seconds webhook senders commonly allow (JoggAI: 5 s).
 * Not retried, for the same reason: one request, then the workflow starts either way.
 */
const VERIFY_TIMEOUT_MS = 4000;
/** The Vozo node's references are UUIDs (36 characters); the memory keeps nothing longer. */
const MAX_REFERENCE_CHARS = 128;

const hasCredential = (ctx: IWebhookFunctions): boolean =>
	ctx.getNode().credentials?.[vozoAdapter.credentialName] !== undefined;

async function checkCallbackSetting(this: IHookFunctions): Promise<boolean> {
	await checkCallbackAuthSetting.call(this, vozoAdapter.credentialName);
	return true;
}

interface Confirmation {
	job: NormalizedJob;
	verified: boolean;
	verification: string;
}

/** A callback is the last word on its job (no later look follows), so success without a URL is final. */
const asFinal = (job: NormalizedJob): NormalizedJob => (job.resultPending ? completedWithoutVideo(job) : job);

/** One authenticated status request for a final callback; undefined when Vozo says the job is still running. */
async function confirm(ctx: IWebhookFunctions, reported: NormalizedJob, reference: string | undefined): Promise<Confirmation | undefined> {
	const jobId = reference === undefined ? undefined : vozoJobForCallback(reference);
	if (jobId) reported.jobId = jobId;
	const unverified = (verification: string): Confirmation => ({ job: reported, verified: false, verification });
	if (callbackAuth(ctx) === 'none') return unverified('"No Token" is chosen: anyone holding the URL can send callbacks');
	if (!isTerminal(reported.status)) return unverified('only final statuses are confirmed with Vozo');
	if (!hasCredential(ctx)) return unverified('no Vozo credential is selected on the trigger');
	if (reference === undefined) return unverified(`the callback URL has no ${VOZO_CALLBACK_REFERENCE_PARAM}, so the job is unknown`);
	if (!jobId) {
		return unverified(
			`the job of ${VOZO_CALLBACK_REFERENCE_PARAM} ${reference} is unknown to this n8n server (created by another server, e.g. a queue-mode worker, or before a restart)`,
		);
	}
	let confirmed: NormalizedJob;
	try {
		const body = await vendorRequest(ctx, vozoAdapter, vozoAdapter.statusRequest(jobId), {
			retry: false,
			timeoutMs: VERIFY_TIMEOUT_MS,
		});
		confirmed = asFinal(vozoAdapter.parseStatus(jobId, body));
	} catch (error) {
		// The job is ours and finished by its callback: starting unconfirmed beats losing it.
		return unverified(`the status request failed: ${(error as Error).message}`);
	}
	if (!isTerminal(confirmed.status)) return undefined;
	return { job: confirmed, verified: true, verification: 'confirmed by a Vozo status request' };
}

async function receiveVozoCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const read = readRawBody(this);
	if (!read.ok) return reject(this, read.statusCode, read.reason);

	const refused = await callbackAuthProblem(this, vozoAdapter.credentialName);
	if (refused) return reject(this, 401, refused);

	const parsed = parseJsonObject(read.value);
	if (!parsed.ok) return reject(this, parsed.statusCode, parsed.reason);
	const reported = asFinal(vozoAdapter.parseStatus('', parsed.value));
	if (reported.providerStatus.trim() === '') {
		return reject(this, 400, 'Not a Vozo status callback: the body has no "status" field');
	}
	const reference = queryValue(this, VOZO_CALLBACK_REFERENCE_PARAM);
	if (reference !== undefined && reference.length > MAX_REFERENCE_CHARS) {
		return reject(this, 400, `"${VOZO_CALLBACK_REFERENCE_PARAM}" is longer than ${MAX_REFERENCE_CHARS} characters; the Vozo node's are UUIDs`);
	}

	const includeIntermediate = this.getNodeParameter('includeIntermediate', false) as boolean;
	const admission = admitCallback(dedupeKey(this), reference, reported, includeIntermediate);
	if (!admission.admitted) return accept(undefined, admission.note);

	const confirmation = await confirm(this, reported, reference);
	if (!confirmation) {
		admission.release();
		// 409, not 2xx: a sender that retries may try again once Vozo's status agrees.
		return reject(this, 409, `Vozo does not confirm the "${reported.providerStatus}" callback (the job is still running); the workflow was not started`);
	}
	admission.settle(confirmation.job.status);
	const item: IDataObject = { ...confirmation.job, verified: confirmation.verified, verification: confirmation.verification };
	if (reference !== undefined) item.callbackReference = reference;
	return accept([item]);
}

export const vozoTriggerMode: TriggerMode = {
	vendor: vozoAdapter.provider,
	name: 'Vozo',
	description: "Receives the callbacks of Vozo jobs created with this trigger's URL as their Callback URL",
	subtitle: 'Vozo callbacks',
	credential: {
		name: vozoAdapter.credentialName,
		required: false,
		displayOptions: { show: { callbackAuth: ['signature', 'token'] } },
	},
	properties: [
		{
			displayName:
				'Paste the Production URL above (Webhook URLs) into the Vozo node\'s "Callback URL" option as it is (with "Token in URL (Legacy)": followed by ?token=YOUR_TOKEN). The workflow starts once per finished job; its "callbackReference" matches the Vozo node\'s output. With the Vozo credential selected, each final status is confirmed with Vozo before the workflow starts ("verified": true).',
			name: 'vozoNotice',
			type: 'notice',
			default: '',
		},
		...callbackAuthProperties,
		{
			displayName: 'Include Intermediate Statuses',
			name: 'includeIntermediate',
			type: 'boolean',
			default: false,
			description:
				'Whether to also start the workflow for "pending" and "processing" callbacks, not only for finished (succeeded or failed) jobs',
		},
	],
	webhook: receiveVozoCallback,
	checkExists: checkCallbackSetting,
};
