import type { IDataObject } from 'n8n-workflow';

import type { VendorAdapter } from '../shared/adapter';
import { factsOf, type FailureKind } from '../shared/errors';
import type { ItemResult } from '../shared/operations/output';

/**
 * When a row may move on to the next vendor: only when the vendor definitely made nothing. A
 * create without a clear answer (`maybeCreated`) stays with its vendor, whatever the option says.
 */

/** Refusals that leave nothing behind at the vendor. */
const DEFINITE_REFUSALS: ReadonlySet<FailureKind> = new Set([
	'auth', // key invalid or revoked
	'credit', // out of credit
	'permission', // plan or API access
	'invalidInput', // the vendor cannot take this input
	'rateLimit', // "try later", past the wait limit
	'concurrencyLimit',
	'notSubmitted', // the account's limits stayed full until the wait limit
	'deadline', // the wait limit passed before the request was sent
	'network', // unreachable before the request left (the transport says "not sent" this way)
	'config', // the credential cannot be used; nothing was sent
]);

export interface Attempt extends IDataObject {
	vendor: string;
	outcome: 'refused' | 'notSent' | 'jobFailed';
	code: string | number | null;
	message: string;
}

/** The attempt a result records when the row moves on, or undefined when it must stay. */
export function movesOn(adapter: VendorAdapter, result: ItemResult, fallBackOnJobFailure: boolean): Attempt | undefined {
	if (result.problem === undefined || result.maybeCreated) return undefined;
	const facts = factsOf(result.problem);
	const code = facts.code ?? facts.httpStatus ?? facts.kind;
	if (result.jobId) {
		const failed = result.job?.status === 'failed' && fallBackOnJobFailure;
		if (!failed) return undefined;
		const jobError = result.job?.error;
		return { vendor: adapter.provider, outcome: 'jobFailed', code: jobError?.code ?? code, message: jobError?.message || facts.message };
	}
	if (!DEFINITE_REFUSALS.has(facts.kind)) return undefined;
	const outcome = facts.kind === 'network' || facts.kind === 'notSubmitted' || facts.kind === 'deadline' || facts.kind === 'config' ? 'notSent' : 'refused';
	return { vendor: adapter.provider, outcome, code, message: facts.message || facts.kind };
}

/** A refusal found before sending (the vendor cannot take the row's input). */
export function refusedBeforeSending(adapter: VendorAdapter, message: string): Attempt {
	return { vendor: adapter.provider, outcome: 'refused', code: 'input', message };
}

/** The attempts as a row shows them: a list, or one line of text when Simplify keeps rows flat. */
export function attemptsField(attempts: Attempt[], simplify: boolean): IDataObject[] | string {
	if (!simplify) return attempts;
	return attempts.map((a) => `${a.vendor}: ${a.outcome}${a.code === null ? '' : ` (${String(a.code)})`} — ${a.message}`).join('; ');
}
