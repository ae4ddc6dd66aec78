import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { completedWithoutVideo, isTerminal } from '../shared/job';
import { VOZO_CALLBACK_REFERENCE_PARAM, vozoAdapter } from '../Vozo/vozo.adapter';
import { accept, parseJsonObject, queryValue, readRawBody, reject } from './inbound';
import { secretsMatch } from './signature';

/**
 * Vozo mode. Vozo POSTs the job's status body (`{status, video_url?}`) to the callback URL the
 * Vozo node was given, on every status change. The body has no task id and no signature, so:
 * - the Vozo node appends our correlation reference (`lipsync_ref=<ref>`) to the URL and outputs
 *   it as `callbackReference` beside the job id; the trigger hands it back the same way;
 * - an optional token in the URL (`?token=…`) proves the caller was given the URL.
 * Status words are read by the Vozo adapter, so the node and the trigger agree on them.
 */

export const TOKEN_QUERY_PARAM = 'token';

export function receiveVozoCallback(this: IWebhookFunctions): IWebhookResponseData {
	const read = readRawBody(this);
	if (!read.ok) return reject(this, read.statusCode, read.reason);

	const expectedToken = String(this.getNodeParameter('token', '') ?? '');
	if (expectedToken !== '') {
		const received = queryValue(this, TOKEN_QUERY_PARAM);
		if (received === undefined || !secretsMatch(expectedToken, received)) {
			return reject(this, 401, `Missing or wrong "${TOKEN_QUERY_PARAM}" query parameter`);
		}
	}

	const parsed = parseJsonObject(read.value);
	if (!parsed.ok) return reject(this, parsed.statusCode, parsed.reason);

	const reported = vozoAdapter.parseStatus('', parsed.value);
	// A callback is the last word on its job (no later look follows), so success without a URL is final.
	const job = reported.resultPending ? completedWithoutVideo(reported) : reported;
	if (job.providerStatus.trim() === '') {
		return reject(this, 400, 'Not a Vozo status callback: the body has no "status" field');
	}
	const reference = queryValue(this, VOZO_CALLBACK_REFERENCE_PARAM);
	if (reference !== undefined) job.callbackReference = reference;

	const includeIntermediate = this.getNodeParameter('includeIntermediate', false) as boolean;
	if (!isTerminal(job.status) && !includeIntermediate) {
		return accept(undefined, `Status "${job.providerStatus}" is not final; the workflow was not started`);
	}
	return accept([job]);
}
