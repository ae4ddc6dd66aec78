import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { isObject, text } from '../shared/adapterKit';
import { joggAiRequest } from './joggAi.request';

/**
 * The events offered in the trigger come from JoggAI itself (`GET /v2/events`), because JoggAI
 * documents no lip-sync event yet and new ones should appear without a release of this package.
 */
export async function loadJoggAiEvents(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const envelope = await joggAiRequest.call(this, 'GET', '/v2/events');
	const data = envelope.data;
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
