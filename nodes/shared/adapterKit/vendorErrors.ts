import type { IDataObject } from 'n8n-workflow';

import type { VendorErrorInfo, VendorErrorKind, VendorResponse } from '../adapter';
import { errorMessageFrom } from './errorText';
import { kindForHttpStatus, requestIdFromHeaders, waitFromHeaders } from './httpHeaders';
import { asObject, codeAt, compact, firstSet, text } from './values';

/** What a vendor's documentation says about one of its error codes. */
export interface ErrorCodeRule {
	kind: VendorErrorKind;
	hint?: string;
}

/** Everything vendor-specific about telling an error apart and naming its kind. */
export interface VendorErrorRules {
	displayName: string;
	/** Documented codes, keyed by the code as text: `"1302"` matches `1302` and `"1302"`. */
	codes?: Record<string, ErrorCodeRule>;
	/** Advice for errors that no code rule covers, by kind. */
	hints?: Partial<Record<VendorErrorKind, string>>;
	/** An error body inside an HTTP 2xx (an envelope with a non-zero code, …). */
	isErrorBody?(body: IDataObject): boolean;
	/** The kind an undocumented code implies (e.g. a code that repeats the HTTP status). */
	kindForCode?(code: string): VendorErrorKind | undefined;
	/** Where the vendor deviates from the usual meaning of an HTTP status. */
	httpKinds?: Partial<Record<number, VendorErrorKind>>;
	/**
	 * Kind of an HTTP 2xx error body that nothing else places — one kind, or read from the body
	 * (undefined when the body says nothing the vendor's rules know). Default `unknown`: an answer
	 * we cannot classify is no refusal, so after a create a paid job may exist.
	 */
	bodyErrorKind?: VendorErrorKind | ((body: IDataObject) => VendorErrorKind | undefined);
	/** Body fields that may hold the vendor's code. Default `code`. */
	codeFields?: readonly string[];
	/** Body fields that may hold a request id; tried before the usual headers. */
	requestIdFields?: readonly string[];
}

/** A non-zero envelope code: `0` and `"0"` mean success, anything else an error. */
export const isNonZeroCode = (value: unknown): boolean => {
	const code = codeAt(value);
	return code !== undefined && String(code) !== '0';
};

/** An answer short enough to quote in an error (the transport scrubs the key from it). */
const MAX_QUOTED_ANSWER = 200;
function quoted(body: IDataObject): string {
	const raw = JSON.stringify(body) ?? '';
	return raw.length > MAX_QUOTED_ANSWER ? `${raw.slice(0, MAX_QUOTED_ANSWER)}…` : raw;
}

const bodyKindOf = (rules: VendorErrorRules, body: IDataObject): VendorErrorKind | undefined =>
	typeof rules.bodyErrorKind === 'function' ? rules.bodyErrorKind(body) : rules.bodyErrorKind;

/**
 * Classifies a vendor answer, or returns undefined when it is not an error. An HTTP 429 or 5xx
 * decides the kind (it decides whether a status call is retried); otherwise the vendor's code
 * does, then the HTTP status. The code is reported as the vendor sent it. An error inside an
 * HTTP 2xx that no documented rule places is `unknown` (never a refusal), with the vendor's raw
 * answer quoted so a user can report it in one paste.
 */
export function classifyVendorError(
	response: VendorResponse,
	rules: VendorErrorRules,
): VendorErrorInfo | undefined {
	const body = asObject(response.body);
	const status = response.statusCode;
	const isHttpError = status >= 400;
	if (!isHttpError && !rules.isErrorBody?.(body)) return undefined;

	const code = codeAt(firstSet(body, rules.codeFields ?? ['code']));
	const known = code !== undefined ? rules.codes?.[String(code)] : undefined;
	const httpKind = isHttpError ? (rules.httpKinds?.[status] ?? kindForHttpStatus(status)) : undefined;
	const placed =
		httpKind === 'rateLimit' || httpKind === 'server'
			? httpKind
			: (known?.kind ?? (code !== undefined ? rules.kindForCode?.(String(code)) : undefined) ?? httpKind ?? bodyKindOf(rules, body));
	const kind = placed ?? 'unknown';

	const words = errorMessageFrom(body) ?? (isHttpError ? `HTTP ${status}` : `${rules.displayName} error ${code ?? ''}`.trim());
	const info: VendorErrorInfo = {
		kind,
		code: code ?? status,
		message: placed ? words : `an answer the node does not recognise: ${quoted(body)}`,
	};
	const hint = known?.kind === kind && known.hint ? known.hint : rules.hints?.[kind];
	if (hint) info.hint = hint;
	if (kind === 'rateLimit') info.retryAfterMs = waitFromHeaders(response);
	const requestId = text(firstSet(body, rules.requestIdFields ?? [])) ?? requestIdFromHeaders(response);
	if (requestId) info.requestId = requestId;
	return compact(info);
}
