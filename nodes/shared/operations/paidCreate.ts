import { createHash } from 'crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

import type { VendorAdapter, VendorRequest } from '../adapter';
import { factsOf, isTransient, renderItemError, vendorFailure, type FailureFacts } from '../errors';
import type { NormalizedJob } from '../job';
import { openSession, retryDelay, vendorRequest } from '../transport';
import { pause } from '../wait/clock';
import { recordCreateSent } from './jobLedger';
import { nodeRunIndex } from './runIndex';
import { readCreated } from './vendorCalls';

/**
 * The paid create of one item. Without the idempotent-create capability it is sent once: any
 * answer but a definite refusal may have made a job, so it ends as `uncertainCreate`. With it
 * (IdempotentCreates in ../adapter.ts) every try carries the item's key, and an uncertain try is
 * followed by another — the vendor answers a key it knows with the job that key made.
 */

/** Reads an n8n value that some contexts lack; never fails the create. */
function valueOf(read: () => unknown): string {
	try {
		return String(read() ?? '');
	} catch {
		return '';
	}
}

/**
 * The idempotency key of one item's create in this node run: the same for every try of the item
 * in the run (n8n's Retry On Fail re-runs the node with the same execution, node and run index),
 * another for another item, run of the node, execution, workflow or n8n instance. A digest, so
 * it carries nothing readable, and 1–64 characters of `[A-Za-z0-9._~-]`.
 */
export function idempotencyKeyOf(ctx: IExecuteFunctions, scope: string, itemIndex: number): string {
	const parts = [
		valueOf(() => ctx.getInstanceId()),
		valueOf(() => ctx.getWorkflow().id),
		valueOf(() => ctx.getExecutionId()),
		valueOf(() => ctx.getNode().id),
		String(nodeRunIndex(ctx)),
		scope,
		String(itemIndex),
	];
	const digest = createHash('sha256').update(parts.join('\u0000')).digest('base64url');
	return `lipsync-${digest.slice(0, 40)}`;
}

export interface PaidCreateOptions {
	/** No try (nor pause between tries) starts after this clock time: the wait limit. */
	deadline?: number;
	/** The item's idempotency key (idempotencyKeyOf); used only when the adapter declares the capability. */
	idempotencyKey?: string;
}

/** After tries that all went unanswered: the item ends "may have been created", saying how it was sent. */
function stillUncertain(ctx: IExecuteFunctions, adapter: VendorAdapter, facts: FailureFacts, tries: number, secrets: string[]) {
	const name = adapter.displayName;
	const hint = `the create got no clear answer in ${tries} ${tries === 1 ? 'try' : 'tries'} with the same idempotency key, so a paid job may have been created at ${name} — Retry On Fail sends it again with the same key (${name} then answers with that job instead of making another); check ${adapter.dashboardUrl} before running the workflow again`;
	return vendorFailure(ctx.getNode(), adapter, { ...facts, kind: 'uncertainCreate', hint }, secrets);
}

/**
 * Sends one item's create and reads its job id. Writes the job ledger before each try. Throws the
 * mapped VendorFailure; `uncertainCreate` when a paid job may exist.
 */
export async function sendPaidCreate(
	ctx: IExecuteFunctions,
	adapter: VendorAdapter,
	request: VendorRequest,
	itemIndex: number,
	options: PaidCreateOptions = {},
): Promise<{ jobId: string; job?: NormalizedJob }> {
	const capability = adapter.idempotentCreates;
	const key = capability ? options.idempotencyKey : undefined;
	const send = async () => {
		const body = await vendorRequest(ctx, adapter, request, {
			retry: false,
			paidCreate: true,
			deadline: options.deadline,
			// Written before the bytes leave: after a Stop nothing written later is kept.
			onSend: () => recordCreateSent(ctx, adapter.provider, itemIndex, key),
			headers: capability && key !== undefined ? { [capability.header]: key } : undefined,
		});
		return readCreated(ctx, adapter, body);
	};
	if (key === undefined) return await send();

	const session = await openSession(ctx, adapter);
	const { clock, retry: policy } = session.deps;
	const deadline = options.deadline ?? Infinity;
	// The first uncertain try: from then on a job may exist, whatever later tries hear.
	let doubt: FailureFacts | undefined;
	for (let attempt = 1; ; attempt++) {
		let facts: FailureFacts;
		try {
			return await send();
		} catch (failure) {
			facts = factsOf(failure);
			if (facts.kind === 'uncertainCreate' && facts.jobId) return { jobId: facts.jobId };
			if (facts.kind === 'uncertainCreate') doubt ??= facts;
			// A definite refusal (or nothing sent) before any doubt: nothing was created.
			else if (!doubt) throw renderItemError(ctx.getNode(), adapter, failure, session.secrets, itemIndex);
		}
		const giveUp = () => stillUncertain(ctx, adapter, doubt ?? facts, attempt, session.secrets);
		// After a doubt only an answer that may change on another try is worth one (the job the
		// first try made may itself hold the account's last running slot).
		const tryAgain = facts.kind === 'uncertainCreate' || facts.kind === 'concurrencyLimit' || isTransient(facts.kind);
		if (!tryAgain || session.isCancelled() || attempt >= policy.attempts) throw giveUp();
		const delay = retryDelay(policy, attempt, facts.retryAfterMs);
		if (clock.now() + delay > deadline || !(await pause(clock, delay, session.isCancelled))) throw giveUp();
	}
}
