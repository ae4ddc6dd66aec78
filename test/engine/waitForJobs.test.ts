import { VendorFailure } from '../../nodes/shared/errors';
import type { NormalizedJob } from '../../nodes/shared/job';
import { waitForJobs, type JobTask, type WaitPlan } from '../../nodes/shared/wait/waitForJobs';
import { FakeClock, fakeAdapter, fakeNode } from './fakes';

const failure = (kind: VendorFailure['facts']['kind'], message: string = kind, code?: number) =>
	new VendorFailure(fakeNode, fakeAdapter, { kind, message, code }, []);

/** A vendor on the fake clock: jobs run `durationMs`, the account holds `cap` active jobs. */
class FakeVendor {
	jobs = new Map<string, { start: number; end: number; fail: boolean }>();
	creates = 0;
	refusals = 0;
	polls = 0;
	maxActive = 0;
	foreign: number[] = []; // end times of someone else's jobs on the same account
	constructor(
		private clock: FakeClock,
		private durationMs: number,
		private cap = Infinity,
	) {}
	active(now = this.clock.now()) {
		const ours = [...this.jobs.values()].filter((j) => j.end > now).length;
		return ours + this.foreign.filter((end) => end > now).length;
	}
	submit = async (fail = false) => {
		if (this.active() >= this.cap) {
			this.refusals++;
			throw failure('concurrencyLimit', 'max concurrent jobs reached', 1304);
		}
		const id = `job-${++this.creates}`;
		this.jobs.set(id, { start: this.clock.now(), end: this.clock.now() + this.durationMs, fail });
		this.maxActive = Math.max(this.maxActive, this.active());
		return { jobId: id };
	};
	poll = async (jobId: string): Promise<NormalizedJob> => {
		this.polls++;
		const job = this.jobs.get(jobId)!;
		const now = this.clock.now();
		const done = now >= job.end;
		const status = done ? (job.fail ? 'failed' : 'succeeded') : now - job.start < 1000 ? 'queued' : 'processing';
		return {
			provider: 'vozo',
			jobId,
			status,
			providerStatus: status,
			raw: {},
			...(status === 'succeeded' ? { videoUrl: `https://cdn.example/${jobId}.mp4` } : {}),
		};
	};
}

function plan(clock: FakeClock, patch: Partial<WaitPlan> = {}): WaitPlan {
	return {
		mode: 'untilDone',
		pollIntervalMs: 10_000,
		firstPollDelayMs: 5_000,
		deadline: clock.now() + 60 * 60_000,
		maxConcurrentPolls: 10,
		maxConcurrentSubmits: 5,
		concurrencyRetryMs: 10_000,
		maxFailedPolls: 5,
		stopSubmittingOnFailure: false,
		...patch,
	};
}

const tasksFor = (count: number, vendor: FakeVendor, fail: (i: number) => boolean = () => false): JobTask[] =>
	Array.from({ length: count }, (_, itemIndex) => ({ itemIndex, submit: () => vendor.submit(fail(itemIndex)) }));

describe('waitForJobs', () => {
	it('keeps 25 items under a limit of 10 running jobs and finishes them all, each created once', async () => {
		const clock = new FakeClock();
		const vendor = new FakeVendor(clock, 120_000, 10);
		const outcomes = await waitForJobs(tasksFor(25, vendor), plan(clock, { maxRunningJobs: 10 }), {
			clock,
			isCancelled: () => false,
			poll: vendor.poll,
		});
		expect(outcomes.map((o) => o.state)).toEqual(Array(25).fill('finished'));
		expect(outcomes.every((o) => o.job?.status === 'succeeded')).toBe(true);
		expect(new Set(outcomes.map((o) => o.jobId)).size).toBe(25);
		expect(vendor.maxActive).toBe(10);
		expect(vendor.refusals).toBe(0);
		expect(vendor.creates).toBe(25);
	});

	it('keeps an item pending and submits it later when the vendor refuses for a full account (1304)', async () => {
		const clock = new FakeClock();
		const vendor = new FakeVendor(clock, 60_000, 10);
		vendor.foreign = [clock.now() + 200_000, clock.now() + 200_000, clock.now() + 200_000]; // not ours
		const outcomes = await waitForJobs(tasksFor(12, vendor), plan(clock, { maxRunningJobs: 10 }), {
			clock,
			isCancelled: () => false,
			poll: vendor.poll,
		});
		expect(vendor.refusals).toBeGreaterThan(0);
		expect(outcomes.every((o) => o.state === 'finished' && o.job?.status === 'succeeded')).toBe(true);
		expect(vendor.creates).toBe(12);
		expect(vendor.maxActive).toBeLessThanOrEqual(10);
	});

	it('returns still-running jobs with their ids when the wait limit passes', async () => {
		const clock = new FakeClock();
		const start = clock.now();
		const vendor = new FakeVendor(clock, 3 * 60 * 60_000);
		const outcomes = await waitForJobs(tasksFor(3, vendor), plan(clock, { deadline: start + 5 * 60_000 }), {
			clock,
			isCancelled: () => false,
			poll: vendor.poll,
		});
		expect(outcomes.map((o) => o.state)).toEqual(['timedOut', 'timedOut', 'timedOut']);
		expect(outcomes.map((o) => o.jobId)).toEqual(['job-1', 'job-2', 'job-3']);
		expect(outcomes.every((o) => o.job?.status === 'processing')).toBe(true);
		expect(clock.now() - start).toBeGreaterThanOrEqual(5 * 60_000);
		expect(clock.now() - start).toBeLessThan(5 * 60_000 + 1000);
	});

	it('stops within a second of the execution being cancelled', async () => {
		const clock = new FakeClock();
		const start = clock.now();
		const vendor = new FakeVendor(clock, 60 * 60_000);
		const cancelAt = start + 30_000;
		const outcomes = await waitForJobs(tasksFor(4, vendor), plan(clock), {
			clock,
			isCancelled: () => clock.now() >= cancelAt,
			poll: vendor.poll,
		});
		expect(outcomes.every((o) => o.state === 'cancelled')).toBe(true);
		expect(outcomes.every((o) => o.jobId)).toBe(true);
		expect(clock.now() - cancelAt).toBeLessThan(1000);
		expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(250);
	});

	it('isolates failures: a failing status call, a failed job and a failed submission do not end the others', async () => {
		const clock = new FakeClock();
		const vendor = new FakeVendor(clock, 60_000);
		const tasks = tasksFor(6, vendor, (i) => i === 1);
		tasks[4] = { itemIndex: 4, submit: async () => { throw failure('credit', 'insufficient credits', 104); } };
		let transientPolls = 0;
		const outcomes = await waitForJobs(tasks, plan(clock), {
			clock,
			isCancelled: () => false,
			poll: async (jobId) => {
				if (jobId === 'job-3') throw failure('auth', 'key revoked', 1302); // item 2
				if (jobId === 'job-4') { transientPolls++; throw failure('server', 'internal error'); } // item 3
				return await vendor.poll(jobId);
			},
		});
		const byItem = Object.fromEntries(outcomes.map((o) => [o.itemIndex, o]));
		expect(byItem[0].job?.status).toBe('succeeded');
		expect(byItem[1]).toMatchObject({ state: 'finished', job: { status: 'failed' } });
		expect(byItem[2]).toMatchObject({ state: 'pollFailed', jobId: 'job-3' });
		expect(byItem[3]).toMatchObject({ state: 'pollFailed', jobId: 'job-4' });
		expect(transientPolls).toBe(5);
		expect(byItem[4].state).toBe('submitFailed');
		expect(byItem[5].job?.status).toBe('succeeded');
	});

	it('bounds status calls in flight and paces polls by the interval', async () => {
		const clock = new FakeClock();
		const vendor = new FakeVendor(clock, 100_000);
		let inFlight = 0;
		let maxInFlight = 0;
		const pollTimes = new Map<string, number[]>();
		const outcomes = await waitForJobs(tasksFor(30, vendor), plan(clock, { maxConcurrentSubmits: 30 }), {
			clock,
			isCancelled: () => false,
			poll: async (jobId) => {
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				pollTimes.set(jobId, [...(pollTimes.get(jobId) ?? []), clock.now()]);
				await clock.sleep(50);
				inFlight--;
				return await vendor.poll(jobId);
			},
		});
		expect(outcomes.every((o) => o.job?.status === 'succeeded')).toBe(true);
		expect(maxInFlight).toBeLessThanOrEqual(10);
		for (const times of pollTimes.values()) {
			for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(10_000);
		}
	});

	it('in create mode stops once every job exists, polling only to free slots', async () => {
		const clock = new FakeClock();
		const vendor = new FakeVendor(clock, 60_000, 10);
		const outcomes = await waitForJobs(tasksFor(15, vendor), plan(clock, { mode: 'untilSubmitted', maxRunningJobs: 10 }), {
			clock,
			isCancelled: () => false,
			poll: vendor.poll,
		});
		expect(outcomes.every((o) => o.jobId && (o.state === 'submitted' || o.state === 'finished'))).toBe(true);
		expect(vendor.creates).toBe(15);
		expect(vendor.refusals).toBe(0);

		const free = new FakeVendor(clock, 60_000);
		const quick = await waitForJobs(tasksFor(15, free), plan(clock, { mode: 'untilSubmitted' }), {
			clock,
			isCancelled: () => false,
			poll: free.poll,
		});
		expect(quick.every((o) => o.state === 'submitted')).toBe(true);
		expect(free.polls).toBe(0);
	});

	it('stops submitting after a failed submission when asked, leaving the rest unsent', async () => {
		const clock = new FakeClock();
		const vendor = new FakeVendor(clock, 60_000);
		const tasks = tasksFor(5, vendor);
		tasks[0] = { itemIndex: 0, submit: async () => { throw failure('credit', 'no credit', 104); } };
		const outcomes = await waitForJobs(tasks, plan(clock, { maxConcurrentSubmits: 1, stopSubmittingOnFailure: true }), {
			clock,
			isCancelled: () => false,
			poll: vendor.poll,
		});
		expect(outcomes[0].state).toBe('submitFailed');
		expect(outcomes.slice(1).map((o) => o.state)).toEqual(['notSubmitted', 'notSubmitted', 'notSubmitted', 'notSubmitted']);
		expect(vendor.creates).toBe(0);
	});

	it('polls existing job ids right away (Wait operation)', async () => {
		const clock = new FakeClock();
		const start = clock.now();
		const vendor = new FakeVendor(clock, 1);
		await vendor.submit();
		clock.time += 10;
		const outcomes = await waitForJobs([{ itemIndex: 0, jobId: 'job-1' }], plan(clock), {
			clock,
			isCancelled: () => false,
			poll: vendor.poll,
		});
		expect(outcomes[0]).toMatchObject({ state: 'finished', job: { status: 'succeeded' } });
		expect(clock.now() - start).toBeLessThan(1000);
	});
});
