/** Fakes for engine tests: a virtual clock, a fake vendor adapter and a minimal execute context. */
import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import type { VendorAdapter, VendorResponse } from '../../nodes/shared/adapter';
import { normalizeJob } from '../../nodes/shared/job';
import type { Clock } from '../../nodes/shared/wait/clock';
import type { WaitPlan } from '../../nodes/shared/wait/scheduler';

/**
 * Virtual time. `sleep` registers a timer; once every coroutine is blocked (checked with
 * setImmediate, after all microtasks ran), time jumps to the earliest timer and wakes it. So
 * concurrent sleepers see one consistent clock, and hours pass in milliseconds.
 */
export class FakeClock implements Clock {
	time = 1_000_000;
	sleeps: number[] = [];
	private timers: Array<{ at: number; resolve: () => void }> = [];
	private scheduled = false;
	private held = 0;
	now = () => this.time;
	sleep = async (ms: number) => {
		this.sleeps.push(ms);
		await new Promise<void>((resolve) => {
			this.timers.push({ at: this.time + Math.max(0, ms), resolve });
			this.schedule();
		});
	};
	/**
	 * Real work (an HTTP request to the sandbox) that takes no virtual time: the clock stands
	 * still until it settles, so a request leaves and arrives at the same virtual moment.
	 */
	during = async <T>(work: () => Promise<T>): Promise<T> => {
		this.held++;
		try {
			return await work();
		} finally {
			this.held--;
			if (this.held === 0 && this.timers.length > 0) this.schedule();
		}
	};
	private schedule() {
		if (this.scheduled) return;
		this.scheduled = true;
		setImmediate(() => this.fire());
	}
	private fire() {
		this.scheduled = false;
		if (this.timers.length === 0) return;
		// While real work is held, only timers already due wake; time moves once it settled.
		if (this.held === 0) this.time = Math.max(this.time, Math.min(...this.timers.map((t) => t.at)));
		const due = this.timers.filter((t) => t.at <= this.time);
		this.timers = this.timers.filter((t) => t.at > this.time);
		for (const timer of due) timer.resolve();
		if (this.timers.length > 0 && (this.held === 0 || due.length > 0)) this.schedule();
	}
}

export const fakeNode: INode = {
	id: 'node-1',
	name: 'Fake Lip Sync',
	type: 'n8n-nodes-lipsync.fake',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
	credentials: { fakeApi: { id: 'cred-1', name: 'Fake account' } },
};

export const fakeAdapter: VendorAdapter = {
	provider: 'vozo',
	displayName: 'Fakevendor',
	credentialName: 'fakeApi',
	credentialType: {
		name: 'fakeApi',
		displayName: 'Fake API',
		properties: [],
		authenticate: { type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } } },
	},
	limits: {},
	waitDefaults: { pollIntervalSeconds: 10, waitLimitMinutes: 60 },
	dashboardUrl: 'https://fake.example/billing',
	coreInput: { parameters: () => ({}), settings: [] },
	createProperties: [],
	readCreateInput: () => ({}),
	createRequest: () => ({ method: 'POST', path: '/jobs', body: {} }),
	parseCreated: (body) => ({ jobId: String((body as IDataObject).id) }),
	statusRequest: (jobId) => ({ method: 'GET', path: `/jobs/${jobId}` }),
	parseStatus: (jobId, body) =>
		normalizeJob(
			'vozo',
			jobId,
			{ providerStatus: String((body as IDataObject).status), videoUrl: (body as IDataObject).url as string },
			{ success: ['done'], failure: ['failed'], queued: ['pending'] },
			body as IDataObject,
		),
	detectError: (response: VendorResponse) => {
		const body = (response.body ?? {}) as IDataObject;
		if (response.statusCode < 400 && body.code === undefined) return undefined;
		const code = body.code as number | undefined;
		const kind =
			code === 1304 ? 'concurrencyLimit' : response.statusCode === 401 ? 'auth' : response.statusCode === 429 ? 'rateLimit' : response.statusCode >= 500 ? 'server' : 'invalidInput';
		return { kind, code, message: String(body.message ?? `HTTP ${response.statusCode}`), requestId: body.rid as string };
	},
};

export interface FakeResponse {
	statusCode?: number;
	headers?: Record<string, string>;
	body?: unknown;
	/** Throw this instead of answering (a network failure). */
	throws?: unknown;
}

/**
 * A context whose request helpers answer from `respond` — the plain one (auth rendered by the
 * session) and the authenticated one (n8n renders it) alike, each call recorded with the helper
 * it went through; it counts credential reads.
 */
export function fakeContext(
	respond: (options: IDataObject) => FakeResponse | Promise<FakeResponse>,
	credentials: IDataObject = { apiKey: 'sk-live-SECRET-0123456789', baseUrl: 'https://api.fake.example/' },
) {
	const calls: IDataObject[] = [];
	const abort = new AbortController();
	let credentialReads = 0;
	const helpersUsed: string[] = [];
	const answer = async (options: IDataObject, helper: string) => {
		calls.push(options);
		helpersUsed.push(helper);
		const given = await respond(options);
		if (given.throws) throw given.throws;
		return { statusCode: given.statusCode ?? 200, headers: given.headers ?? {}, body: given.body };
	};
	const ctx = {
		getNode: () => fakeNode,
		getExecutionId: () => `exec-${Math.random()}`,
		getCredentials: async () => {
			credentialReads++;
			return credentials;
		},
		getExecutionCancelSignal: () => abort.signal,
		helpers: {
			httpRequest: async (options: IDataObject) => await answer(options, 'httpRequest'),
			httpRequestWithAuthentication: async (_name: string, options: IDataObject) =>
				await answer(options, 'httpRequestWithAuthentication'),
		},
	} as unknown as IExecuteFunctions;
	return { ctx, calls, helpersUsed, abort, credentialReads: () => credentialReads };
}

/** A wait plan for engine tests: one hour from `now`, 10 s polls, the engine's usual caps. */
export const testWaitPlan = (now: number, patch: Partial<WaitPlan> = {}): WaitPlan => ({
	mode: 'untilDone',
	pollIntervalMs: 10_000,
	firstPollDelayMs: 5_000,
	deadline: now + 60 * 60_000,
	capsRunningJobs: false,
	maxConcurrentPolls: 10,
	maxConcurrentSubmits: 5,
	concurrencyRetryMs: 10_000,
	rateLimitRetryMs: 10_000,
	maxFailedPolls: 5,
	maxResultPendingPolls: 3,
	...patch,
});
