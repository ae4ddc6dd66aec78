import { NodeApiError } from 'n8n-workflow';
import type {
	IDataObject,
	IHookFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';

import { asObject, text } from '../shared/adapterKit';
import { detectJoggAiError } from '../JoggAi/joggAi.adapter';

/**
 * The few JoggAI calls the trigger makes while it is activated or edited (webhook endpoints and
 * the event list). JoggAI answers errors as HTTP 200 with `code != 0`, so every answer goes
 * through the JoggAI adapter's error detection (its code table and hints), and is reported as
 * JoggAI's support wants it: `msg (code, rid)`. Nothing here is retried: these calls run once
 * per activation, and the user sees any error at once.
 */

export const JOGGAI_CREDENTIAL = 'joggAiApi';
const DEFAULT_BASE_URL = 'https://api.jogg.ai';

/** JoggAI's "record not found" code. */
export const JOGGAI_NOT_FOUND = 10104;

export interface JoggAiEnvelope {
	code: number;
	msg: string;
	data: unknown;
	rid?: string;
}

type JoggAiContext = IHookFunctions | ILoadOptionsFunctions;

export async function joggAiRequest(
	this: JoggAiContext,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
	tolerateCodes: number[] = [],
): Promise<JoggAiEnvelope> {
	const credentials = await this.getCredentials(JOGGAI_CREDENTIAL);
	const baseUrl = (text(credentials.baseUrl) ?? DEFAULT_BASE_URL).trim().replace(/\/+$/, '');

	let response: { statusCode: number; headers?: IDataObject; body: unknown };
	try {
		response = await this.helpers.httpRequestWithAuthentication.call(this, JOGGAI_CREDENTIAL, {
			method,
			url: `${baseUrl}${path}`,
			body,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
	} catch (error) {
		// Only the transport's own words: the request options (and so the key) stay out of the error.
		throw new NodeApiError(this.getNode(), { message: (error as Error).message } as JsonObject, {
			message: `Could not reach JoggAI at ${baseUrl}: ${(error as Error).message}`,
		});
	}

	const envelope = asObject(response.body);
	const failure = detectJoggAiError({
		statusCode: response.statusCode,
		headers: (response.headers ?? {}) as Record<string, string>,
		body: envelope,
	});
	if (failure && !(typeof failure.code === 'number' && tolerateCodes.includes(failure.code))) {
		const where = [failure.code, failure.requestId].filter((part) => part !== undefined).join(', ');
		throw new NodeApiError(
			this.getNode(),
			{ code: failure.code ?? null, msg: failure.message, rid: failure.requestId ?? null } as JsonObject,
			{
				message: `${failure.message} (${where})`,
				description: failure.hint,
				httpCode: response.statusCode >= 400 ? String(response.statusCode) : undefined,
			},
		);
	}
	return {
		code: Number(envelope.code ?? 0),
		msg: text(envelope.msg) ?? '',
		data: envelope.data,
		rid: text(envelope.rid),
	};
}
