import type { IDataObject } from 'n8n-workflow';

import type { VendorRequest } from './adapter';

/**
 * Where a vendor request goes. Paths a vendor does not document may be corrected by the user in
 * the credential (a path template field, `VendorRequest.pathSetting`), so a wrong guess of ours
 * costs a credential edit, not a release. Placeholders are `{name}`, filled URL-encoded from
 * `pathValues`; a placeholder without a value is left as typed, so the vendor's 404 shows it.
 */

const PLACEHOLDER = /\{(\w+)\}/g;

/** A template as the user typed it: trimmed, with a leading slash. Empty means "not set". */
function templateOf(value: unknown): string | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const template = value.trim();
	return template.startsWith('/') ? template : `/${template}`;
}

/** The request's path with the user's template (when its credential field is set) applied. */
export function resolvePath(request: VendorRequest, settings: IDataObject): string {
	const template = request.pathSetting ? templateOf(settings[request.pathSetting]) : undefined;
	if (!template) return request.path;
	const values = request.pathValues ?? {};
	return template.replace(PLACEHOLDER, (whole, name: string) =>
		values[name] === undefined ? whole : encodeURIComponent(values[name]),
	);
}

/** The request and its alternatives, each with its resolved path; a path already listed is dropped. */
export function requestCandidates(request: VendorRequest, settings: IDataObject): VendorRequest[] {
	const seen = new Set<string>();
	const candidates: VendorRequest[] = [];
	for (const candidate of [request, ...(request.alternatives ?? [])]) {
		const path = resolvePath(candidate, settings);
		if (seen.has(`${candidate.method} ${path}`)) continue;
		seen.add(`${candidate.method} ${path}`);
		const { alternatives: _alternatives, pathSetting: _setting, pathValues: _values, ...plain } = candidate;
		candidates.push({ ...plain, path });
	}
	return candidates;
}

/** The URL of a path: relative to the base URL, or absolute when it has the base URL's origin; else undefined. */
export function urlOf(baseUrl: string, path: string): string | undefined {
	if (!/^[a-z][a-z\d+.-]*:/i.test(path)) return baseUrl + (path.startsWith('/') ? path : `/${path}`);
	try {
		const target = new URL(path);
		return target.origin === new URL(baseUrl).origin ? target.href : undefined;
	} catch {
		return undefined;
	}
}
