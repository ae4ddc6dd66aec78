import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { objectAt, text } from '../shared/adapterKit';
import { claimDelivery, dedupeKey } from '../LipSyncTrigger/dedupe';
import { deliveryAgeOptions, maxDeliveryAgeSeconds, staleDeliveryReason } from '../LipSyncTrigger/deliveryAge';
import { acceptAtOnce, answerTiming, answerTimingOption } from '../LipSyncTrigger/answerTiming';
import { accept, headerValue, parseJsonObject, readRawBody, reject } from '../LipSyncTrigger/inbound';
import type { TriggerMode } from '../LipSyncTrigger/triggerMode';
import { joggAiAdapter } from './joggAi.adapter';
import { loadJoggAiEvents } from './joggAi.triggerApi';
import { lipSyncJobFromEvent } from './joggAi.triggerEvents';
import { createJoggAiEndpoint, deleteJoggAiEndpoint, joggAiEndpointExists } from './joggAi.triggerRegistration';
import { DEFAULT_MAX_DELIVERY_AGE_SECONDS, isValidJoggAiSignature, verifyingSecrets } from './joggAi.triggerSecurity';

/**
 * JoggAI mode: JoggAI's account webhooks. Activation registers the trigger's URL as an endpoint
 * (joggAi.triggerRegistration.ts); JoggAI signs each delivery with the endpoint's secret:
 * `X-Webhook-Signature` = hex HMAC-SHA256 of the raw body.
 *
 * Order of checks: size, signature, JSON, shape, age, duplicate — nothing is parsed for an
 * unsigned sender, the timestamp is trusted only once its signature is, and only a fresh signed
 * event is remembered as seen (and forgotten again when n8n fails to start its execution:
 * dedupe.ts, when the trigger waits for n8n's answer). JoggAI wants a 2xx within 5 s: by default
 * the trigger answers an accepted delivery itself, before n8n starts the execution
 * (answerTiming.ts), because n8n's own answer (responseMode onReceived) waits for the start, which
 * under bursts comes too late. Static data is only read here: a delivery makes n8n write nothing back.
 */

const SIGNATURE_HEADER = 'x-webhook-signature';

async function receiveJoggAiEvent(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const read = readRawBody(this);
	if (!read.ok) return reject(this, read.statusCode, read.reason);

	const now = Date.now();
	const secrets = verifyingSecrets(this.getWorkflowStaticData('node'), now);
	if (secrets.length === 0) {
		// Without the secret nothing can be verified (the endpoint was not registered by this workflow).
		return reject(this, 401, 'This trigger holds no JoggAI signing secret; activate the workflow to register it');
	}
	if (!isValidJoggAiSignature(secrets, read.value, headerValue(this, SIGNATURE_HEADER))) {
		return reject(this, 401, 'Missing or invalid X-Webhook-Signature');
	}

	const parsed = parseJsonObject(read.value);
	if (!parsed.ok) return reject(this, parsed.statusCode, parsed.reason);
	const body = parsed.value;
	const eventId = text(body.event_id);
	const eventName = text(body.event);
	const data = body.data === undefined || body.data === null ? undefined : objectAt(body.data);
	if (!eventId || !eventName || (body.data !== undefined && body.data !== null && !data)) {
		return reject(this, 400, 'Not a JoggAI event: expected {event_id, event, timestamp, data}');
	}

	const maxAge = maxDeliveryAgeSeconds(this, DEFAULT_MAX_DELIVERY_AGE_SECONDS);
	const stale = maxAge > 0 ? staleDeliveryReason(body.timestamp, maxAge, now) : undefined;
	// 401: the signature is genuine but no longer proves anything (a replay, or a broken clock).
	if (stale) return reject(this, 401, stale);

	const timing = answerTiming(this);
	// Answered at once, the event counts as started from here: no later answer can tell otherwise.
	const claim = claimDelivery(dedupeKey(this), eventId, timing === 'atOnce' ? undefined : this.getResponseObject(), now);
	if (claim === 'seen') {
		return accept(undefined, `Event ${eventId} was already received; the workflow was not started again`);
	}
	if (claim === 'inFlight') {
		// Not 2xx: if the earlier copy fails to start, JoggAI's next re-send must still start it.
		return reject(this, 409, `Event ${eventId} is being started from an earlier delivery; send it again if that one failed`);
	}

	const output: IDataObject = { ...body };
	const job = lipSyncJobFromEvent(eventName, data);
	if (job) output.job = job;
	return timing === 'atOnce' ? acceptAtOnce(this, [output]) : accept([output]);
}

export const joggAiTriggerMode: TriggerMode = {
	vendor: joggAiAdapter.provider,
	name: 'JoggAI',
	description: 'Registers this trigger as a JoggAI webhook endpoint while the workflow is active',
	subtitle: 'JoggAI events',
	credential: { name: joggAiAdapter.credentialName, required: true },
	properties: [
		{
			displayName:
				'Activating the workflow registers this trigger\'s URL as a JoggAI webhook endpoint; deactivating removes it. JoggAI delivers only to public https URLs: n8n must run with WEBHOOK_URL set to its public https address. JoggAI documents no lip-sync completion event today: its events are for videos (avatar, product, template, translated), avatars, scripts, generated images and generated motions. The list below is what JoggAI offers now; events that carry a task_id (as a lip-sync event is expected to) also get a normalized "job" in the output.',
			name: 'joggAiNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Event Names or IDs',
			name: 'events',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getJoggAiEvents' },
			required: true,
			default: [],
			description:
				'The JoggAI events to receive. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		deliveryAgeOptions(DEFAULT_MAX_DELIVERY_AGE_SECONDS, "The default (5 minutes) leaves room for JoggAI's re-sends (JoggAI documents no schedule for them) and clock differences.", [
			answerTimingOption("JoggAI's 5 s"),
		]),
	],
	loadOptions: { getJoggAiEvents: loadJoggAiEvents },
	webhook: receiveJoggAiEvent,
	checkExists: joggAiEndpointExists,
	create: createJoggAiEndpoint,
	delete: deleteJoggAiEndpoint,
};
