/** Helpers every vendor file uses to start jobs and report them. */
import type { Ctx, SandboxCore } from './http';
import type { JobFailure, SandboxJob } from './jobs';
import { forVendor, type Vendor } from './options';

export interface StartJobSpec {
	vendor: Vendor;
	/** Every input string the fail convention looks at (URLs, model/avatar ids). */
	inputs: string[];
	/** The vendor's job error for a code picked by `fail-<code>` (undefined: the default one). */
	failureFor(code?: string): JobFailure;
	/** A failure decided by the vendor file itself (e.g. an asset that was never uploaded). */
	failure?: JobFailure;
	callbackUrl?: string;
	meta?: Record<string, unknown>;
	id?: string;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A signed link's random token (n8n's binary links) could spell the marker by chance. */
function withoutToken(input: string): string {
	return input.replace(/([?&]token=)[^&#]*/gi, '$1');
}

/** The fail convention: an input containing the marker fails; `<marker>-<code>` picks the code. */
export function failureFromInputs(
	marker: string | null,
	inputs: string[],
	failureFor: (code?: string) => JobFailure,
): JobFailure | undefined {
	if (!marker) return undefined;
	const pattern = new RegExp(`${escapeRegExp(marker)}(?:[-_](\\d+))?`, 'i');
	for (const input of inputs.map(withoutToken)) {
		const match = pattern.exec(input);
		if (match) return failureFor(match[1]);
	}
	return undefined;
}

export function startJob(ctx: Ctx, spec: StartJobSpec): SandboxJob {
	const options = ctx.core.options();
	const failure =
		spec.failure ??
		failureFromInputs(options.failOnUrlContaining, spec.inputs, spec.failureFor) ??
		(Math.random() < forVendor(options.failureRate, spec.vendor, 0) ? spec.failureFor() : undefined);
	const neverFinish = ctx.core.faults.take(spec.vendor, 'create', 'neverFinish') !== undefined;
	if (neverFinish) ctx.entry.fault = 'neverFinish';
	return ctx.core.jobs.create({
		vendor: spec.vendor,
		key: ctx.key,
		input: ctx.body,
		inputUrls: spec.inputs,
		failure,
		neverFinish,
		callbackUrl: spec.callbackUrl,
		meta: spec.meta,
		id: spec.id,
	});
}

/** The status word to report: the vendor's own, or the `unknownStatus` fault's. */
export function reportedStatus(ctx: Ctx, vendor: Vendor, word: string): string {
	const fault = ctx.core.faults.take(vendor, 'status', 'unknownStatus');
	if (!fault) return word;
	ctx.entry.fault = 'unknownStatus';
	return fault.status ?? 'warming_up';
}

/** The base of the file URLs the sandbox hands out (its own address unless `fileUrlBase` says otherwise). */
export const fileUrlBase = (core: SandboxCore): string => core.options().fileUrlBase ?? core.url;

/**
 * A fresh result URL (new token) for a succeeded job — or '' while the `urlLate` fault lasts:
 * vendors may report success a moment before the URL is filled in.
 */
export function resultUrl(core: SandboxCore, job: SandboxJob): string {
	if (core.faults.take(job.vendor, 'status', 'urlLate')) return '';
	const token = core.jobs.mintToken(job);
	return `${fileUrlBase(core)}/${job.vendor}/results/${job.id}.mp4?token=${token}`;
}

export const coverUrl = (core: SandboxCore, job: SandboxJob): string =>
	`${core.url}/${job.vendor}/covers/${job.id}.jpg`;

/** The fixture is 1 s long; padded result videos still play for 1 s. */
export const RESULT_DURATION_SECONDS = 1;
