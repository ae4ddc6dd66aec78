import type { IDataObject, IHookFunctions, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { HttpMethod } from '../shared/adapter';
import { asObject, isObject, text } from '../shared/adapterKit';
import { VendorFailure } from '../shared/errors';
import { vendorRequest } from '../shared/transport';
import { joggAiAdapter } from './joggAi.adapter';

/**
 * The JoggAI calls of the trigger (webhook endpoints, the event list) go through the engine's
 * transport like every other vendor call: same base URL handling, authentication, error
 * classification (`code != 0` envelopes, hints) and key scrubbing. Reads are retried on
 * transient trouble; writes never are.
 */

/** JoggAI's "record not found" code. */
export const JOGGAI_NOT_FOUND = 10104;

type TriggerContext = IHookFunctions | ILoadOptionsFunctions;

const TOLERATED = Symbol('tolerated');

/** The `data` of JoggAI's envelope; a failure whose code is in `tolerate` answers undefined. */
export async function joggAiCall(
	ctx: TriggerContext,
	method: HttpMethod,
	path: string,
	body?: IDataObject,
	tolerate: readonly number[] = [],
): Promise<unknown> {
	const request = body === undefined ? { method, path } : { method, path, body };
	// The transport throws VendorFailure, already a NodeApiError with the vendor's code and hint.
	const answer = await vendorRequest(ctx, joggAiAdapter, request, { retry: method === 'GET' }).catch(
		(error: unknown) => {
			if (error instanceof VendorFailure && tolerate.includes(Number(error.facts.code))) return TOLERATED;
			throw error;
		},
	);
	return answer === TOLERATED ? undefined : asObject(answer).data;
}

/**
 * The events offered in the trigger come from JoggAI itself (`GET /v2/events`): JoggAI documents
 * no lip-sync event today, and events it adds appear without a release of this package.
 */
export async function loadJoggAiEvents(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const data = await joggAiCall(this, 'GET', '/v2/events');
	const list = Array.isArray(data) ? data : isObject(data) && Array.isArray(data.events) ? data.events : [];
	const options: INodePropertyOptions[] = [];
	for (const entry of list) {
		// Tolerate `{ event|name, description }` objects beside the documented plain strings.
		const name = isObject(entry) ? (text(entry.event) ?? text(entry.name)) : text(entry);
		if (!name) continue;
		const description = isObject(entry) ? text(entry.description) : undefined;
		options.push(description ? { name, value: name, description } : { name, value: name });
	}
	return options.sort((a, b) => a.name.localeCompare(b.name));
}
