import type { IDataObject } from 'n8n-workflow';

import type { VendorAdapter } from '../../nodes/shared/adapter';
import type { JobTask } from '../../nodes/shared/wait/waitForJobs';
import { FakeClock, fakeAdapter } from './fakes';
import { waitOnVirtualClock, type VirtualWait } from './virtualWait';

/**
 * Long-polling, on the virtual clock: the fake adapter declares the capability, and a fake vendor
 * behind the real transport holds a status request that asks for it (`wait=true&timeout=<s>`)
 * until its job ends or the hold passes, as sync.so documents for `GET /v2/generate/{id}`.
 */

const REQUEST_TIMEOUT_MS = 30_000;

const longPollAdapter = (limits: VendorAdapter['limits'] = {}): VendorAdapter => ({
	...fakeAdapter,
	limits,
	longPoll: {
		maxHoldSeconds: 10,
		statusRequest: (jobId, holdSeconds) => ({ method: 'GET', path: `/jobs/${jobId}`, qs: { wait: true, timeout: holdSeconds } }),
	},
});

interface StatusCall {
	jobId: string;
	sentAt: number;
	answeredAt?: number;
	qs?: IDataObject;
	timeout: number;
	aborted?: boolean;
}

/** Jobs of given durations; `holds: false` is a vendor that ignores `wait` and answers at once. */
class HoldingVendor {
	jobs = new Map<string, { start: number; end: number; noticedAt?: number }>();
	calls: StatusCall[] = [];
	constructor(
		private clock: FakeClock,
		private durationsMs: number[],
		private holds = true,
	) {}
	create = async (index: number) => {
		const jobId = `job-${index}`;
		this.jobs.set(jobId, { start: this.clock.now(), end: this.clock.now() + this.durationsMs[index] });
		return { jobId };
	};
	respond = async (options: IDataObject) => {
		const jobId = String(options.url).split('/').pop()!;
		const job = this.jobs.get(jobId)!;
		const qs = options.qs as IDataObject | undefined;
		const call: StatusCall = { jobId, sentAt: this.clock.now(), qs, timeout: Number(options.timeout) };
		this.calls.push(call);
		if (this.holds && qs?.wait === true) {
			const until = Math.min(job.end, call.sentAt + Number(qs.timeout) * 1000);
			const signal = options.abortSignal as AbortSignal | undefined;
			const aborted = new Promise<'aborted'>((resolve) => signal?.addEventListener('abort', () => resolve('aborted')));
			if ((await Promise.race([this.clock.sleep(Math.max(0, until - call.sentAt)), aborted])) === 'aborted') {
				call.aborted = true;
				return { throws: new Error('This operation was aborted') };
			}
		}
		const now = (call.answeredAt = this.clock.now());
		const done = now >= job.end;
		if (done) job.noticedAt ??= now;
		return { body: done ? { status: 'done', url: `https://cdn.example/${jobId}.mp4` } : { status: 'pending' } };
	};
	callsOf = (jobId: string) => this.calls.filter((call) => call.jobId === jobId);
}

interface RunSetup extends Omit<VirtualWait, 'runningJobs' | 'requestTimeoutMs'> {
	durationsMs: number[];
	holds?: boolean;
	limits?: VendorAdapter['limits'];
}

async function run(setup: RunSetup) {
	const clock = new FakeClock();
	const vendor = new HoldingVendor(clock, setup.durationsMs, setup.holds);
	const tasks: JobTask[] = setup.durationsMs.map((_, itemIndex) => ({ itemIndex, submit: async () => await vendor.create(itemIndex) }));
	const run = await waitOnVirtualClock(clock, longPollAdapter(setup.limits), vendor.respond, tasks, { ...setup, requestTimeoutMs: REQUEST_TIMEOUT_MS });
	return { ...run, vendor };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe('long-polling, where the adapter declares it', () => {
	it('the status request carries the long-poll parameters, and its timeout is the hold plus the normal allowance', async () => {
		const { vendor, outcomes } = await run({ durationsMs: [25_000], pollIntervalMs: 5_000 });
		expect(outcomes[0].job?.status).toBe('succeeded');
		expect(vendor.calls[0].qs).toEqual({ wait: true, timeout: 10 });
		expect(vendor.calls[0].timeout).toBe(10_000 + REQUEST_TIMEOUT_MS);
	});

	it('a batch of 10: every completion is noticed the moment it happens, with fewer status requests than jobs × (job time / poll interval)', async () => {
		const durationsMs = Array.from({ length: 10 }, (_, i) => 20_000 + i * 2_300);
		const pollIntervalMs = 5_000;
		const { vendor, outcomes } = await run({ durationsMs, pollIntervalMs });
		expect(outcomes.every((outcome) => outcome.job?.status === 'succeeded')).toBe(true);
		for (const job of vendor.jobs.values()) expect(job.noticedAt).toBe(job.end);
		const gridRequests = sum(durationsMs.map((duration) => duration / pollIntervalMs));
		expect(vendor.calls.length).toBeLessThan(gridRequests);
		// One held request per 10 s of a job's life (and the one that sees it end).
		expect(vendor.calls.length).toBeLessThanOrEqual(sum(durationsMs.map((duration) => Math.ceil(duration / 10_000))));
	});

	it('no poll delay after a held answer that came back unchanged: the next request leaves the moment it answered', async () => {
		const { vendor } = await run({ durationsMs: [45_000, 31_000], pollIntervalMs: 5_000 });
		for (const jobId of ['job-0', 'job-1']) {
			const calls = vendor.callsOf(jobId);
			expect(calls.length).toBeGreaterThan(3);
			for (let i = 1; i < calls.length; i++) expect(calls[i].sentAt).toBe(calls[i - 1].answeredAt);
		}
	});

	it('a vendor that answers a held request at once (it did not hold it) is polled at the Poll Interval, not in a tight loop', async () => {
		const { vendor, outcomes } = await run({ durationsMs: [60_000], pollIntervalMs: 10_000, holds: false });
		expect(outcomes[0].job?.status).toBe('succeeded');
		expect(vendor.calls.length).toBeLessThanOrEqual(60_000 / 10_000 + 2);
		const gaps = vendor.calls.slice(2).map((call, i) => call.sentAt - vendor.calls[i + 1].sentAt);
		for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(10_000);
	});

	it('the wait limit bounds every hold: the last request asks only for the time left, and the run ends at the limit', async () => {
		const { vendor, outcomes, started, ended } = await run({ durationsMs: [100_000], pollIntervalMs: 5_000, waitLimitMs: 25_000 });
		expect(outcomes[0].state).toBe('timedOut');
		expect(vendor.calls.map((call) => call.qs?.timeout)).toEqual([10, 10, 5]);
		expect(ended - started).toBe(25_000);
	});

	it('Stop ends a pending long-poll promptly: the held request is aborted and the run ends at once', async () => {
		const { vendor, outcomes, ended, stoppedAt } = await run({ durationsMs: [100_000], pollIntervalMs: 5_000, stopAfterMs: 13_000 });
		expect(outcomes[0].state).toBe('cancelled');
		expect(vendor.calls.at(-1)).toMatchObject({ aborted: true });
		expect(ended - stoppedAt!).toBeLessThan(1_000);
	});

	it('more jobs than status requests may be open at once: holds last no longer than Poll Interval while jobs wait for a request, and every completion is noticed within it', async () => {
		const durationsMs = [21_000, 23_500, 26_000, 28_500];
		const pollIntervalMs = 3_000;
		const { vendor, outcomes } = await run({ durationsMs, pollIntervalMs, plan: { maxConcurrentPolls: 2 } });
		expect(outcomes.every((outcome) => outcome.job?.status === 'succeeded')).toBe(true);
		const runningAt = (time: number) => [...vendor.jobs.values()].filter((job) => job.noticedAt! > time).length;
		const crowded = vendor.calls.filter((call) => runningAt(call.sentAt) > 2);
		expect(crowded.length).toBeGreaterThan(8);
		for (const call of crowded) expect(call.qs?.timeout).toBe(3);
		// Once no job waits for a request slot, the last one is held as long as the vendor allows.
		expect(vendor.calls.at(-1)?.qs?.timeout).toBe(10);
		for (const job of vendor.jobs.values()) expect(job.noticedAt! - job.end).toBeLessThanOrEqual(pollIntervalMs);
	});

	it("the vendor's read rate limit paces long-polls: no minute carries more status requests than it allows", async () => {
		// Five jobs held 10 s at a time would ask 30 times a minute; the account allows 12 requests a minute.
		const { vendor, outcomes } = await run({ durationsMs: [90_000, 90_000, 90_000, 90_000, 90_000], pollIntervalMs: 10_000, limits: { requestsPerMinute: 12 } });
		expect(outcomes.every((outcome) => outcome.job?.status === 'succeeded')).toBe(true);
		const sent = vendor.calls.map((call) => call.sentAt);
		for (const at of sent) expect(sent.filter((other) => other >= at && other < at + 60_000).length).toBeLessThanOrEqual(12);
	});

	it('Create (it ends once every job exists) reads plainly while items wait for a running-job slot, so no held read delays its end', async () => {
		const { vendor, outcomes, ended } = await run({ durationsMs: [12_000, 12_000, 12_000], pollIntervalMs: 4_000, limits: { maxRunningJobs: 1 }, mode: 'untilSubmitted' });
		expect(outcomes.map((outcome) => outcome.state)).toEqual(['finished', 'finished', 'submitted']);
		expect(vendor.calls.length).toBeGreaterThan(0);
		for (const call of vendor.calls) expect(call.qs).toBeUndefined();
		expect(ended).toBe(Math.max(...[...vendor.jobs.values()].map((job) => job.start)));
	});
});
