import type { IDataObject } from 'n8n-workflow';

import type { VendorAdapter } from '../../nodes/shared/adapter';
import { VendorFailure } from '../../nodes/shared/errors';
import type { NormalizedJob } from '../../nodes/shared/job';
import { defaultRetryPolicy, openSession } from '../../nodes/shared/session';
import { MAX_PROBE_WAIT_MS } from '../../nodes/shared/wait/runningJobSlots';
import { waitForJobs, type JobOutcome, type JobTask } from '../../nodes/shared/wait/waitForJobs';
import { FakeClock, fakeAdapter, fakeContext, fakeNode, testWaitPlan } from './fakes';

/**
 * The running-job limit of an account: declared by the credential's plan, or learned from the
 * vendor's "too many running jobs" refusals; shared by the executions using one credential.
 */

/** A fake vendor holding at most `cap` queued or running jobs per account; `cap` may change (a plan upgrade). */
class CappedVendor {
	creates = 0;
	refusals = 0;
	maxActive = 0;
	createdAt = new Map<string, number>();
	private ends = new Map<string, number>();
	constructor(
		private clock: FakeClock,
		public cap: number,
		private durationMs = 60_000,
	) {}
	active(now = this.clock.now()) {
		return [...this.ends.values()].filter((end) => end > now).length;
	}
	submit = async (): Promise<{ jobId: string }> => {
		if (this.active() >= this.cap) {
			this.refusals++;
			throw new VendorFailure(fakeNode, fakeAdapter, { kind: 'concurrencyLimit', message: 'concurrency limit reached', code: 'concurrency_limit_reached' }, []);
		}
		const jobId = `job-${++this.creates}`;
		this.ends.set(jobId, this.clock.now() + this.durationMs);
		this.createdAt.set(jobId, this.clock.now());
		this.maxActive = Math.max(this.maxActive, this.active());
		return { jobId };
	};
	poll = async (jobId: string): Promise<NormalizedJob> => {
		const done = this.clock.now() >= this.ends.get(jobId)!;
		const status = done ? 'succeeded' : 'processing';
		return { provider: 'vozo', jobId, status, providerStatus: status, raw: {}, ...(done ? { videoUrl: `https://cdn.example/${jobId}.mp4` } : {}) };
	};
}

/** The fake adapter with a credential Plan field: "starter" 1, "creator" 3, "custom" a number of the user's. */
const planAdapter: VendorAdapter = {
	...fakeAdapter,
	credentialType: {
		...fakeAdapter.credentialType,
		properties: [
			{ displayName: 'Plan', name: 'plan', type: 'options', default: 'unknown', options: ['unknown', 'starter', 'creator', 'custom'].map((value) => ({ name: value, value })) },
			{ displayName: 'Jobs at Once', name: 'customRunningJobs', type: 'number', default: 1 },
		],
	},
	limits: {
		runningJobsFromCredential: {
			planField: 'plan',
			plans: { starter: 1, creator: 3 },
			custom: { option: 'custom', field: 'customRunningJobs' },
		},
	},
};

let accounts = 0;
/** A credential of its own account (the limits are shared per account, across tests too). */
const credentialOf = (fields: IDataObject = {}): IDataObject => ({
	apiKey: `sk-plan-account-${++accounts}-0123456789`,
	baseUrl: 'https://api.fake.example',
	...fields,
});

/** One execution: a session opened from `credential`, then `count` items waited for together. */
async function runBatch(clock: FakeClock, vendor: CappedVendor, credential: IDataObject, count: number, firstItem = 0, waitLimitMs = 60 * 60_000): Promise<JobOutcome[]> {
	const { ctx } = fakeContext(() => ({ body: {} }), credential);
	const session = await openSession(ctx, planAdapter, { clock, retry: defaultRetryPolicy, requestTimeoutMs: 60_000 });
	const tasks: JobTask[] = Array.from({ length: count }, (_, i) => ({ itemIndex: firstItem + i, submit: vendor.submit }));
	// capsRunningJobs as buildPlan sets it for this adapter: it declares no static maxRunningJobs.
	return await waitForJobs(tasks, testWaitPlan(clock.now(), { capsRunningJobs: false, deadline: clock.now() + waitLimitMs }), {
		clock,
		isCancelled: () => false,
		poll: vendor.poll,
		runningJobs: session.account.runningJobs,
	});
}

/**
 * How many probes above a learned limit fit in `ms`: the first after the refusal's retry delay
 * (the plan's 10 s poll interval), each next one twice as late, at most MAX_PROBE_WAIT_MS apart.
 */
function probesWithin(ms: number): number {
	let probes = 0;
	for (let wait = 10_000, at = wait; at <= ms; wait = Math.min(MAX_PROBE_WAIT_MS, wait * 2), at += wait) probes++;
	return probes;
}

const allSucceeded = (outcomes: JobOutcome[]) => outcomes.every((o) => o.state === 'finished' && o.job?.status === 'succeeded');

describe('running-job limit: declared by the credential', () => {
	it('with a limit of 3 (plan "creator"), a batch of 20 never has more than 3 jobs running, and no create is refused', async () => {
		const clock = new FakeClock();
		const vendor = new CappedVendor(clock, 3);
		const outcomes = await runBatch(clock, vendor, credentialOf({ plan: 'creator' }), 20);
		expect(allSucceeded(outcomes)).toBe(true);
		expect(vendor.creates).toBe(20);
		expect(vendor.maxActive).toBe(3);
		expect(vendor.refusals).toBe(0);
	});

	it('a custom plan uses the number typed in the credential: 2 jobs at a time, none refused', async () => {
		const clock = new FakeClock();
		const vendor = new CappedVendor(clock, 2);
		const outcomes = await runBatch(clock, vendor, credentialOf({ plan: 'custom', customRunningJobs: 2 }), 8);
		expect(allSucceeded(outcomes)).toBe(true);
		expect(vendor.maxActive).toBe(2);
		expect(vendor.refusals).toBe(0);
	});

	it('two executions on one credential share the limit: 3 running at most between them, none refused', async () => {
		const clock = new FakeClock();
		const vendor = new CappedVendor(clock, 3);
		const credential = credentialOf({ plan: 'creator' });
		const [first, second] = await Promise.all([runBatch(clock, vendor, credential, 10), runBatch(clock, vendor, { ...credential }, 10, 100)]);
		expect(allSucceeded([...first, ...second])).toBe(true);
		expect(vendor.creates).toBe(20);
		expect(vendor.maxActive).toBe(3);
		expect(vendor.refusals).toBe(0);
	});
});

it('the plan picked in the credential is not among the secrets scrubbed from messages; the key is', async () => {
	const credential = credentialOf({ plan: 'creator' });
	const { ctx } = fakeContext(() => ({ body: {} }), credential);
	const session = await openSession(ctx, planAdapter);
	expect(session.secrets).toContain(credential.apiKey);
	expect(session.secrets).not.toContain('creator');
});

// 200 generations of a minute, 3 at a time, take about 70 minutes: the wait limit must cover the rounds.
it.each([
	['Plan "creator" on the credential', { plan: 'creator' }, 0],
	['no plan (learned)', {}, 2],
] as const)('200 rows on an account of 3, %s: never more than 3 running, every item succeeds, refused only in the first wave and by the probes', async (_what, fields, firstWaveRefusals) => {
	const clock = new FakeClock();
	const start = clock.now();
	const vendor = new CappedVendor(clock, 3);
	const outcomes = await runBatch(clock, vendor, credentialOf(fields), 200, 0, 3 * 60 * 60_000);
	expect(outcomes.map((o) => o.state)).toEqual(Array(200).fill('finished'));
	expect(allSucceeded(outcomes)).toBe(true);
	expect(vendor.creates).toBe(200);
	expect(vendor.maxActive).toBe(3);
	expect(vendor.refusals).toBeLessThanOrEqual(firstWaveRefusals + (firstWaveRefusals ? probesWithin(clock.now() - start) : 0));
});

describe('running-job limit: learned from "too many running jobs" refusals', () => {
	// Jobs of 4 s end before the 10 s a refused item otherwise waits: it still goes when the first ends.
	it.each([60_000, 4_000])('a concurrency refusal keeps the item queued and it is created when a job finishes (jobs of %i ms)', async (durationMs) => {
		const clock = new FakeClock();
		const vendor = new CappedVendor(clock, 2, durationMs);
		const outcomes = await runBatch(clock, vendor, credentialOf(), 3);
		expect(allSucceeded(outcomes)).toBe(true);
		// Item 2 was refused (the first two filled the account), then waited for a job to end,
		// tried meanwhile only by the probes above the learned limit of 2.
		expect(vendor.refusals).toBeLessThanOrEqual(1 + probesWithin(durationMs));
		expect(vendor.creates).toBe(3);
		const firstEnd = vendor.createdAt.get('job-1')! + durationMs;
		const thirdCreated = vendor.createdAt.get('job-3')!;
		expect(thirdCreated).toBeGreaterThanOrEqual(firstEnd);
		// Noticed at the short cadence of items waiting for a slot (a quarter of the 10 s interval).
		expect(thirdCreated - firstEnd).toBeLessThanOrEqual(2_500 + 250);
	});

	it('with no plan, a batch of 20 on an account of 3 runs 3 at a time, every item succeeds, and refusals stop once the limit is learned', async () => {
		const clock = new FakeClock();
		const start = clock.now();
		const vendor = new CappedVendor(clock, 3);
		const outcomes = await runBatch(clock, vendor, credentialOf(), 20);
		expect(allSucceeded(outcomes)).toBe(true);
		expect(vendor.creates).toBe(20);
		expect(vendor.maxActive).toBe(3);
		// The first wave (5 creates at once) meets 2 refusals; after that only the probes above the learned limit.
		expect(vendor.refusals).toBeLessThanOrEqual(2 + probesWithin(clock.now() - start));
	});

	it('two executions on one credential share a learned limit: refusals met by one hold the other back', async () => {
		const clock = new FakeClock();
		const start = clock.now();
		const vendor = new CappedVendor(clock, 3);
		const credential = credentialOf();
		const [first, second] = await Promise.all([runBatch(clock, vendor, credential, 10), runBatch(clock, vendor, { ...credential }, 10, 100)]);
		expect(allSucceeded([...first, ...second])).toBe(true);
		expect(vendor.creates).toBe(20);
		expect(vendor.maxActive).toBe(3);
		// Both first waves (10 creates at once) meet 7 refusals; after that only the probes, shared.
		expect(vendor.refusals).toBeLessThanOrEqual(7 + probesWithin(clock.now() - start));
	});

	it('a learned limit rises back one job at a time: after a plan upgrade from 2 to 4 mid-batch, 4 jobs run at once', async () => {
		const clock = new FakeClock();
		const vendor = new CappedVendor(clock, 2);
		const credential = credentialOf();
		const upgrade = clock.sleep(3 * 60_000).then(() => {
			vendor.cap = 4;
		});
		const outcomes = await runBatch(clock, vendor, credential, 40);
		await upgrade;
		expect(allSucceeded(outcomes)).toBe(true);
		expect(vendor.creates).toBe(40);
		expect(vendor.maxActive).toBe(4);
	});
});
