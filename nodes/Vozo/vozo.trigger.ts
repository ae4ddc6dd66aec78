import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { completedWithoutVideo, isTerminal, type NormalizedJob } from '../shared/job';
import { vendorRequest } from '../shared/transport';
import { dedupeKey } from '../LipSyncTrigger/dedupe';
import { accept, parseJsonObject, queryValue, readRawBody, reject } from '../LipSyncTrigger/inbound';
import { secretsMatch } from '../LipSyncTrigger/signature';
import type { TriggerMode } from '../LipSyncTrigger/triggerMode';
import { VOZO_CALLBACK_REFERENCE_PARAM, vozoAdapter } from './vozo.adapter';
import { admitCallback } from './vozo.triggerCallbacks';
import { vozoJobForCallback } from './vozo.triggerJobs';

/**
 * Vozo mode. Vozo POSTs the job's status body (`{status, video_url?}`) to the callback URL the
 * Vozo node was given, on every status change. The body has no task id and no signature, so:
 * - a secret token in the URL (`?token=…`, required unless the user picks "No Token") proves the
 *   caller was given the URL;
 * - the Vozo node appends our correlation reference (`lipsync_ref=<ref>`) to the URL and outputs
 *   it as `callbackReference` beside the job id; the trigger hands it back, starts at most one
 *   execution per reference and final status, and ignores statuses arriving after a final one;
 * - with a Vozo credential selected, a final status is confirmed with one authenticated status
 *   request before anything starts, when the trigger knows the job id for the reference
 *   (vozo.triggerJobs.ts). The output then carries Vozo's answer and `verified: true`; in every
 *   other case `verified: false` and `verification` says why.
 */

const TOKEN_QUERY_PARAM = 'token';
const MIN_TOKEN_LENGTH = 16;
/**
 * The status request runs before the trigger answers Vozo. How long Vozo waits for an answer is
 * undocumented; 4 s stays within the few seconds webhook senders commonly allow (JoggAI: 5 s).
 * Not retried, for the same reason: one request, then the workflow starts either way.
 */
const VERIFY_TIMEOUT_MS = 4000;

type CallbackAuth = 'token' | 'none';

const callbackAuth = (ctx: IWebhookFunctions | IHookFunctions): CallbackAuth =>
	ctx.getNodeParameter('callbackAuth', 'token') === 'none' ? 'none' : 'token';

const hasCredential = (ctx: IWebhookFunctions): boolean =>
	ctx.getNode().credentials?.[vozoAdapter.credentialName] !== undefined;

/** Activation refuses a token mode without a usable token, rather than answering every callback 401. */
async function checkTokenSetting(this: IHookFunctions): Promise<boolean> {
	if (callbackAuth(this) === 'none') return true;
	const token = String(this.getNodeParameter('token', '') ?? '');
	if (token.length < MIN_TOKEN_LENGTH) {
		throw new NodeOperationError(
			this.getNode(),
			`Set a Token of at least ${MIN_TOKEN_LENGTH} characters (it is ${token.length}), or choose "No Token (Not Recommended)"`,
			{ description: 'Use a long random value, e.g. from a password generator, and add it to the Vozo node\'s Callback URL as ?token=<value>.' },
		);
	}
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

	if (callbackAuth(this) === 'token') {
		const expected = String(this.getNodeParameter('token', '') ?? '');
		if (expected === '') return reject(this, 401, 'This trigger has no token set, so no callback is accepted');
		const received = queryValue(this, TOKEN_QUERY_PARAM);
		if (received === undefined || !secretsMatch(expected, received)) {
			return reject(this, 401, `Missing or wrong "${TOKEN_QUERY_PARAM}" query parameter`);
		}
	}

	const parsed = parseJsonObject(read.value);
	if (!parsed.ok) return reject(this, parsed.statusCode, parsed.reason);
	const reported = asFinal(vozoAdapter.parseStatus('', parsed.value));
	if (reported.providerStatus.trim() === '') {
		return reject(this, 400, 'Not a Vozo status callback: the body has no "status" field');
	}
	const reference = queryValue(this, VOZO_CALLBACK_REFERENCE_PARAM);

	const includeIntermediate = this.getNodeParameter('includeIntermediate', false) as boolean;
	const admission = admitCallback(dedupeKey(this.getWorkflow().id, this.getNode().name), reference, reported, includeIntermediate);
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
		displayOptions: { show: { callbackAuth: ['token'] } },
	},
	properties: [
		{
			displayName:
				'Paste the Production URL above (Webhook URLs) into the Vozo node\'s "Callback URL" option and add the token: ...callback?token=YOUR_TOKEN. The workflow starts once per finished job; its "callbackReference" matches the Vozo node\'s output. Select a Vozo credential to have each final status confirmed with Vozo before the workflow starts ("verified": true).',
			name: 'vozoNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Callback Authentication',
			name: 'callbackAuth',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'No Token (Not Recommended)',
					value: 'none',
					description: 'Any caller that learns the URL can start the workflow',
				},
				{
					name: 'Token in URL',
					value: 'token',
					description: 'Only callbacks whose URL carries ?token=&lt;Token&gt; start the workflow; others get HTTP 401',
				},
			],
			default: 'token',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: `A secret of at least ${MIN_TOKEN_LENGTH} characters that you generate: a long random value from a password generator, or the output of "openssl rand -hex 24". Add it to the callback URL as ?token=&lt;value&gt;.`,
			displayOptions: { show: { callbackAuth: ['token'] } },
		},
		{
			displayName:
				'Without a token, anyone who learns this URL can start the workflow with a job status and video URL of their choosing. Outputs are marked "verified": false.',
			name: 'noTokenNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { callbackAuth: ['none'] } },
		},
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
	checkExists: checkTokenSetting,
};
