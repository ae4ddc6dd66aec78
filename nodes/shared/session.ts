import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';

import type { VendorAdapter } from './adapter';
import { renderCredentialAuth, type RenderedAuth } from './auth';
import { vendorFailure } from './errors';
import { baseUrlProblem } from './http';
import { accountLimitsFor, type AccountLimits } from './wait/accountLimits';
import { systemClock, type Clock } from './wait/clock';
import { declaredRunningJobs } from './wait/runningJobSlots';

/**
 * What one node run knows about its vendor connection, read once (not once per poll): the base
 * URL, the secrets to scrub, the clock and retry policy, and the account's shared limits.
 */

/** What the transport needs from an n8n context; execute, load-options, webhook and hook contexts all have it. */
export interface VendorContext {
	getNode(): INode;
	getCredentials<T extends object = ICredentialDataDecryptedObject>(type: string, itemIndex?: number): Promise<T>;
	helpers: {
		/** For requests whose auth the session rendered (./auth.ts). */
		httpRequest(requestOptions: IHttpRequestOptions): Promise<unknown>;
		/** For credentials whose auth only n8n can render. */
		httpRequestWithAuthentication(credentialsType: string, requestOptions: IHttpRequestOptions): Promise<unknown>;
	};
	getExecutionCancelSignal?(): AbortSignal | undefined;
}

/** How status calls are retried. Creates are never retried, whatever this says. */
export interface RetryPolicy {
	attempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A vendor asking us to come back later than this is treated as a failure of this call. */
	maxRetryAfterMs: number;
	random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
	attempts: 5,
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 120_000,
	random: Math.random,
};

export interface EngineDeps {
	clock: Clock;
	retry: RetryPolicy;
	requestTimeoutMs: number;
}

export const defaultEngineDeps: EngineDeps = {
	clock: systemClock,
	retry: defaultRetryPolicy,
	requestTimeoutMs: 60_000,
};

/** What one node run knows about its vendor connection, read once (not once per poll). */
export interface VendorSession {
	baseUrl: string;
	/** Credential values to scrub from any text we show. */
	secrets: string[];
	/**
	 * The decrypted credential: the adapter's createRequest reads it (a callback secret), the transport
	 * the user's corrections of guessed paths. Never output.
	 */
	credentials: IDataObject;
	/**
	 * The credential's auth headers/query/body, rendered once from its type's `authenticate`;
	 * undefined when n8n's helper must authenticate every request instead.
	 */
	auth?: RenderedAuth;
	deps: EngineDeps;
	/**
	 * Rate windows and running-job slots shared by every execution using this account; the slots'
	 * limit is the one this run's credential declares (its plan), or learned from refusals.
	 */
	account: AccountLimits;
	isCancelled: () => boolean;
}

const sessions = new WeakMap<object, VendorSession>();

/**
 * Every string credential value is a secret, except the base URL and fields the credential type
 * declares as plain (not password) text, such as a path template, or as a list of options (a
 * plan): those may appear in messages.
 */
function collectSecrets(credentials: IDataObject, adapter: VendorAdapter): string[] {
	const plain = new Set(['baseUrl']);
	for (const property of adapter.credentialType.properties ?? []) {
		if (property.type === 'string' && property.typeOptions?.password !== true && property.name !== 'apiKey') plain.add(property.name);
		// A picked option (a plan) is one of the type's own values, never a secret.
		if (property.type === 'options') plain.add(property.name);
	}
	return Object.entries(credentials)
		.filter(([key, value]) => typeof value === 'string' && !plain.has(key) && value.length >= 6)
		.map(([, value]) => value as string);
}

/** The account behind a credential, as a hash: two credentials holding the same key share its limits. */
function accountKeyOf(adapter: VendorAdapter, baseUrl: string, secrets: string[]): string {
	const material = [adapter.provider, JSON.stringify(adapter.limits), baseUrl, ...[...secrets].sort()].join('\u0000');
	return createHash('sha256').update(material).digest('hex');
}

/** Opens (or returns) the session of this node run: credentials are read here, once. */
export async function openSession(
	ctx: VendorContext,
	adapter: VendorAdapter,
	deps: EngineDeps = defaultEngineDeps,
): Promise<VendorSession> {
	const existing = sessions.get(ctx);
	if (existing) return existing;
	const credentials = (await ctx.getCredentials(adapter.credentialName)) as IDataObject;
	const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	const secrets = collectSecrets(credentials, adapter);
	const problem = baseUrlProblem(baseUrl);
	if (problem) {
		throw vendorFailure(ctx.getNode(), adapter, { kind: 'config', message: problem, hint: problem }, secrets);
	}
	const account = accountLimitsFor(accountKeyOf(adapter, baseUrl, secrets), adapter.limits, deps.clock.now());
	account.runningJobs.declare(declaredRunningJobs(adapter.limits, credentials));
	const session: VendorSession = {
		baseUrl,
		secrets,
		credentials,
		auth: renderCredentialAuth(adapter.credentialType, credentials),
		deps,
		account,
		isCancelled: () => ctx.getExecutionCancelSignal?.()?.aborted === true,
	};
	sessions.set(ctx, session);
	return session;
}

export function getSession(ctx: object): VendorSession | undefined {
	return sessions.get(ctx);
}

