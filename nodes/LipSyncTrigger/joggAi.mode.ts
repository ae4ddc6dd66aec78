import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { objectAt, text } from '../shared/adapterKit';
import { dedupeKey, isDuplicateDelivery } from './dedupe';
import { lipSyncJobFromEvent } from './joggAi.events';
import { accept, headerValue, parseJsonObject, readRawBody, reject } from './inbound';
import { SECRET_KEY } from './registration';
import { isValidJoggAiSignature } from './signature';

/**
 * JoggAI mode. JoggAI signs each delivery with the endpoint's secret (kept in static data when
 * the trigger registered the endpoint): `X-Webhook-Signature` = hex HMAC-SHA256 of the raw body.
 * Order of checks: size, signature, JSON, shape, duplicate — nothing is parsed for an unsigned
 * sender, and only a signed event is remembered as seen. JoggAI wants a 2xx within 5 s, which
 * responseMode onReceived gives. Static data is only read here (the secret): a delivery makes n8n
 * write nothing back.
 */

export const SIGNATURE_HEADER = 'x-webhook-signature';

export function receiveJoggAiEvent(this: IWebhookFunctions): IWebhookResponseData {
	const read = readRawBody(this);
	if (!read.ok) return reject(this, read.statusCode, read.reason);

	const staticData = this.getWorkflowStaticData('node');
	const secret = text(staticData[SECRET_KEY]);
	if (!secret) {
		// Without the secret nothing can be verified (the endpoint was not registered by this workflow).
		return reject(this, 401, 'This trigger holds no JoggAI signing secret; activate the workflow to register it');
	}
	if (!isValidJoggAiSignature(secret, read.value, headerValue(this, SIGNATURE_HEADER))) {
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

	if (isDuplicateDelivery(dedupeKey(this.getWorkflow().id, this.getNode().name), eventId)) {
		return accept(undefined, `Event ${eventId} was already received; the workflow was not started again`);
	}

	const output: IDataObject = { ...body };
	const job = lipSyncJobFromEvent(eventName, data);
	if (job) output.job = job;
	return accept([output]);
}
