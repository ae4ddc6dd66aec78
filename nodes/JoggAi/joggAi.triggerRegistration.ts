import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { isObject, text } from '../shared/adapterKit';
import { unreachableUrlReason } from '../shared/publicUrl';
import { JOGGAI_NOT_FOUND, joggAiCall } from './joggAi.triggerApi';
import {
	ENDPOINT_ID_KEY,
	forgetSecrets,
	rememberSecret,
	retireSecret,
	SECRET_KEY,
} from './joggAi.triggerSecurity';

/**
 * Registers the trigger's webhook URL as a JoggAI webhook endpoint while the workflow is active.
 *
 * The endpoint id and its signing secret live in the node's static data; n8n saves it after
 * activation. On every activation the registration is checked against JoggAI's own list:
 * reused when it matches, repaired in place (PUT) when its URL, events or status drifted
 * (someone edited it in the dashboard, the event selection changed, WEBHOOK_URL moved), and
 * created again when JoggAI no longer knows it. JoggAI documents that a PUT keeps the secret;
 * should a repair hand back another one, the old secret stays valid for a grace period
 * (joggAi.triggerSecurity.ts), so deliveries JoggAI signed just before are not refused. An
 * endpoint the user deleted in JoggAI's dashboard is a revocation: its secret stops verifying at
 * once, and the re-created endpoint's new secret is the only one accepted.
 */

interface JoggAiEndpoint {
	id: string;
	url: string;
	status: string;
	events: string[];
	secret?: string;
}

export async function joggAiEndpointExists(this: IHookFunctions): Promise<boolean> {
	const url = publicWebhookUrl(this);
	const events = selectedEvents(this);
	const staticData = this.getWorkflowStaticData('node');
	const endpoints = await listEndpoints(this);

	const storedId = text(staticData[ENDPOINT_ID_KEY]);
	let kept: JoggAiEndpoint | undefined;
	if (storedId) {
		kept = endpoints.find((endpoint) => endpoint.id === storedId);
		if (!kept) {
			// Deleted in the dashboard (or by another instance): n8n calls create next. Deleting an
			// endpoint is how a user revokes a leaked secret, so it stops verifying at once (no grace
			// period): JoggAI sends nothing for a deleted endpoint anyway.
			delete staticData[ENDPOINT_ID_KEY];
			forgetSecrets(staticData);
			return false;
		}
	} else {
		// Static data lost (workflow re-imported, crash before saving): adopt our own URL's
		// endpoint, but only if JoggAI still shows its secret, without which nothing verifies.
		kept = endpoints.find((endpoint) => endpoint.url === url && endpoint.secret);
	}

	const secret = text(staticData[SECRET_KEY]) ?? kept?.secret;
	if (kept && !secret) {
		await deleteEndpoint(this, kept.id);
		kept = undefined;
	}
	// Extra endpoints for this same URL would deliver every event again, signed with secrets we
	// do not hold (each would be rejected with 401 and retried by JoggAI).
	for (const extra of endpoints.filter((endpoint) => endpoint.url === url && endpoint.id !== kept?.id)) {
		await deleteEndpoint(this, extra.id);
	}
	if (!kept || !secret) {
		delete staticData[ENDPOINT_ID_KEY];
		retireSecret(staticData, Date.now());
		return false;
	}

	let current = kept;
	if (hasDrifted(kept, url, events)) {
		const answer = await joggAiCall(this, 'PUT', `/v2/endpoint/${encodeURIComponent(kept.id)}`, {
			url,
			status: 'enabled',
			events,
		});
		current = readEndpoint(answer) ?? { ...kept, url, status: 'enabled', events };
	}
	rememberRegistration(staticData, kept.id, current.secret ?? secret);
	return true;
}

export async function createJoggAiEndpoint(this: IHookFunctions): Promise<boolean> {
	const url = publicWebhookUrl(this);
	const events = selectedEvents(this);
	if (events.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Select at least one JoggAI event to listen for');
	}
	const answer = await joggAiCall(this, 'POST', '/v2/endpoint', { url, status: 'enabled', events });
	const created = readEndpoint(answer);
	if (!created) {
		throw new NodeOperationError(this.getNode(), 'JoggAI registered the webhook but returned no endpoint_id', {
			description: `Answer (secrets left out): ${JSON.stringify(answer, withoutSecrets)}`,
		});
	}
	if (!created.secret) {
		await deleteEndpoint(this, created.id);
		throw new NodeOperationError(
			this.getNode(),
			'JoggAI returned no signing secret for the webhook endpoint, so deliveries could not be verified',
			{ description: 'The endpoint was removed again. Activate the workflow again later.' },
		);
	}
	rememberRegistration(this.getWorkflowStaticData('node'), created.id, created.secret);
	return true;
}

export async function deleteJoggAiEndpoint(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node');
	const storedId = text(staticData[ENDPOINT_ID_KEY]);
	if (!storedId) return true;
	try {
		await deleteEndpoint(this, storedId);
	} catch (error) {
		// Deactivation must not fail because JoggAI is unreachable. The id stays stored, so the
		// next activation finds this endpoint again (reuse or repair) instead of leaking it.
		this.logger.warn(`Could not delete JoggAI webhook endpoint ${storedId}: ${(error as Error).message}`);
		return false;
	}
	delete staticData[ENDPOINT_ID_KEY];
	forgetSecrets(staticData);
	return true;
}

/** A JSON.stringify replacer: an answer quoted in an error never carries a signing secret. */
function withoutSecrets(key: string, value: unknown): unknown {
	return /secret|token|key/i.test(key) && value !== null && typeof value !== 'object' ? '[left out]' : value;
}

/** A deleted-already endpoint (10104) is what delete wanted anyway. */
async function deleteEndpoint(ctx: IHookFunctions, id: string): Promise<void> {
	await joggAiCall(ctx, 'DELETE', `/v2/endpoint/${encodeURIComponent(id)}`, undefined, [JOGGAI_NOT_FOUND]);
}

async function listEndpoints(ctx: IHookFunctions): Promise<JoggAiEndpoint[]> {
	const data = await joggAiCall(ctx, 'GET', '/v2/endpoints');
	const list = Array.isArray(data) ? data : isObject(data) && Array.isArray(data.endpoints) ? data.endpoints : [];
	return list.map(readEndpoint).filter((endpoint): endpoint is JoggAiEndpoint => endpoint !== undefined);
}

function readEndpoint(value: unknown): JoggAiEndpoint | undefined {
	if (!isObject(value)) return undefined;
	const id = text(value.endpoint_id) ?? text(value.id);
	if (!id) return undefined;
	return {
		id,
		url: text(value.url) ?? '',
		status: (text(value.status) ?? '').toLowerCase(),
		events: Array.isArray(value.events) ? value.events.map(String) : [],
		secret: text(value.secret),
	};
}

function hasDrifted(endpoint: JoggAiEndpoint, url: string, events: string[]): boolean {
	const sameEvents =
		endpoint.events.length === events.length && [...endpoint.events].sort().join('\n') === events.join('\n');
	return endpoint.url !== url || endpoint.status !== 'enabled' || !sameEvents;
}

function selectedEvents(context: IHookFunctions): string[] {
	const events = context.getNodeParameter('events', []) as unknown;
	return Array.isArray(events) ? [...new Set(events.map(String))].sort() : [];
}

function publicWebhookUrl(context: IHookFunctions): string {
	const url = context.getNodeWebhookUrl('default') ?? '';
	const reason = unreachableUrlReason(url, { vendor: 'JoggAI', httpsOnly: true });
	if (reason) {
		throw new NodeOperationError(
			context.getNode(),
			`JoggAI needs a public https URL to deliver webhooks, but this trigger's URL is ${url}: ${reason}`,
			{
				description:
					"Set n8n's WEBHOOK_URL environment variable to its public https address (for example a reverse proxy or tunnel in front of n8n) and restart n8n, then activate the workflow again.",
			},
		);
	}
	return url;
}

function rememberRegistration(staticData: IDataObject, id: string, secret: string): void {
	staticData[ENDPOINT_ID_KEY] = id;
	rememberSecret(staticData, secret, Date.now());
}
