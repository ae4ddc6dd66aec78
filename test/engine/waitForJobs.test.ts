import { VendorFailure } from '../../nodes/shared/errors';
import type { NormalizedJob } from '../../nodes/shared/job';
import { SlotPool } from '../../nodes/shared/wait/runningJobSlots';
import { waitForJobs, type JobTask, type WaitPlan } from '../../nodes/shared/wait/waitForJobs';
import { FakeClock, fakeAdapter, fakeNode, testWaitPlan } from './fakes';

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

const plan = (clock: FakeClock, patch: Partial<WaitPlan> = {}): WaitPlan => testWaitPlan(clock.now(), patch);

const tasksFor = (count: number, vendor: FakeVendor, fail: (i: number) => boolean = () => false): JobTask[] =>
	Array.from({ length: count }, (_, itemIndex) => ({ itemIndex, submit: () => vendor.submit(fail(itemIndex)) }));

describe('waitForJobs', () => {
	it('keeps 25 items under a limit of 10 running jobs and finishes them all, each created once', async () => {
		const clock = new FakeClock();
		const vendor = new FakeVendor(clock, 120_000, 10);
		const outcomes = await waitForJobs(tasksFor(25, vendor), plan(clock, { capsRunningJobs: true }), {
			runningJobs: new SlotPool(10),
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
		const outcomes = await waitForJobs(tasksFor(12, vendor), plan(clock, { capsRunningJobs: true }), {
			runningJobs: new SlotPool(10),
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
		tasks[4] = { itemIndex: 4, submit: async () => { throw failure('invalidInput', 'bad reference URL', 5); } };
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

	it('checks a job again after status errors of any kind, each time twice as late (10 s, 20 s, 40 s, 80 s), then gives it up with its id', async () => {
		const clock = new FakeClock();
		const vendor = new FakeVendor(clock, 60 * 60_000);
		const failingAt: number[] = [];
		const outcomes = await waitForJobs(tasksFor(1, vendor), plan(clock), {
			clock,
			isCancelled: () => false,
			poll: async () => {
				failingAt.push(clock.now());
				throw failure('unknown', 'an answer the node does not recognise');
			},
		});
		expect(outcomes[0]).toMatchObject({ state: 'pollFailed', jobId: 'job-1' });
		expect(failingAt.slice(1).map((t, i) => t - failingAt[i])).toEqual([10_000, 20_000, 40_000, 80_000]);
	});

	it('a status check refused once (a refused key, an undocumented code) does not end the wait: the job ends succeeded', async () => {
		const clock = new FakeClock();
		const vendor = new FakeVendor(clock, 30_000);
		const refused = new Set<string>();
		const outcomes = await waitForJobs(tasksFor(2, vendor), plan(clock), {
			clock,
			isCancelled: () => false,
			poll: async (jobId) => {
				if (!refused.has(jobId)) {
					refused.add(jobId);
					throw jobId === 'job-1' ? failure('auth', 'key revoked', 1302) : failure('invalidInput', 'code 4711', 4711);
				}
				return await vendor.poll(jobId);
			},
		});
		expect(outcomes.map((o) => [o.state, o.job?.status])).toEqual([
			['finished', 'succeeded'],
			['finished', 'succeeded'],
		]);
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

	describe('polling while items wait for a running-job slot', () => {
		/** Runs `count` jobs of 60 s under a limit of 10; poll interval 10 s, so the short cadence is 2.5 s. */
		async function runLimited(count: number) {
			const clock = new FakeClock();
			const vendor = new FakeVendor(clock, 60_000, 10);
			const polls: Array<{ jobId: string; at: number }> = [];
			const submittedAt = new Map<string, number>();
			let inFlight = 0;
			let maxInFlight = 0;
			const tasks: JobTask[] = Array.from({ length: count }, (_, itemIndex) => ({
				itemIndex,
				submit: async () => {
					const created = await vendor.submit();
					submittedAt.set(created.jobId, clock.now());
					return created;
				},
			}));
			const outcomes = await waitForJobs(tasks, plan(clock, { capsRunningJobs: true, maxConcurrentPolls: 4 }), {
				runningJobs: new SlotPool(10),
				clock,
				isCancelled: () => false,
				poll: async (jobId) => {
					inFlight++;
					maxInFlight = Math.max(maxInFlight, inFlight);
					polls.push({ jobId, at: clock.now() });
					await clock.sleep(20);
					inFlight--;
					return await vendor.poll(jobId);
				},
			});
			expect(outcomes.every((o) => o.state === 'finished' && o.job?.status === 'succeeded')).toBe(true);
			const lastSubmit = Math.max(...submittedAt.values());
			/** Gaps between one job's consecutive polls, split by whether items still waited for a slot. */
			const gaps = { waiting: [] as number[], free: [] as number[] };
			/** Per job, its gaps once no item waited any more, in order. */
			const freeGapsByJob: number[][] = [];
			const byJob = new Map<string, number[]>();
			for (const { jobId, at } of polls) byJob.set(jobId, [...(byJob.get(jobId) ?? []), at]);
			for (const times of byJob.values()) {
				const free: number[] = [];
				for (let i = 1; i < times.length; i++) {
					const gap = times[i] - times[i - 1];
					(times[i] <= lastSubmit ? gaps.waiting : free).push(gap);
				}
				gaps.free.push(...free);
				freeGapsByJob.push(free);
			}
			return { vendor, submittedAt, gaps, freeGapsByJob, maxInFlight, lastSubmit };
		}

		it('looks at running jobs at least every 2.5 s while items wait, so a freed slot is reused within one short interval', async () => {
			const { vendor, submittedAt, gaps, maxInFlight } = await runLimited(15);
			expect(vendor.maxActive).toBe(10);
			expect(vendor.refusals).toBe(0);
			expect(gaps.waiting.length).toBeGreaterThan(100);
			// The short cadence (2.5 s after the last answer; each answer takes 20 ms), never the 10 s
			// interval; a look planned at an expected completion may come sooner.
			expect(Math.max(...gaps.waiting)).toBeLessThanOrEqual(2_500 + 4 * 20 + 250);
			// The 11th item starts at most one short interval (plus the queue of status calls) after the 1st job ended.
			const firstEnd = submittedAt.get('job-1')! + 60_000;
			expect(submittedAt.get('job-11')! - firstEnd).toBeLessThanOrEqual(2_500 + 4 * 20 + 250);
			expect(maxInFlight).toBeLessThanOrEqual(4);
		});

		it('goes back to the normal interval once no item waits for a slot: at most one planned look between two at the interval', async () => {
			const { gaps, freeGapsByJob } = await runLimited(15);
			expect(gaps.free.length).toBeGreaterThan(10);
			expect(Math.max(...gaps.free)).toBeLessThanOrEqual(10_000 + 4 * 20 + 250);
			// Any two looks in a row span an interval at least: no job is looked at more than twice per interval.
			for (const free of freeGapsByJob) {
				for (let i = 1; i < free.length; i++) expect(free[i - 1] + free[i]).toBeGreaterThanOrEqual(10_000 - 4 * 20);
			}
		});

		it('keeps the normal interval for a job whose status calls fail, so it is not given up on sooner', async () => {
			const clock = new FakeClock();
			const vendor = new FakeVendor(clock, 60_000, 2);
			const failingAt: number[] = [];
			const outcomes = await waitForJobs(tasksFor(3, vendor), plan(clock, { capsRunningJobs: true }), {
				runningJobs: new SlotPool(2),
				clock,
				isCancelled: () => false,
				poll: async (jobId) => {
					if (jobId === 'job-1') {
						failingAt.push(clock.now());
						throw failure('server', 'internal error');
					}
					return await vendor.poll(jobId);
				},
			});
			expect(outcomes[0]).toMatchObject({ state: 'pollFailed', jobId: 'job-1' });
			expect(failingAt).toHaveLength(5);
			// The first poll is due 2.5 s after submission (items wait); after a failure, 10 s apart.
			for (let i = 2; i < failingAt.length; i++) expect(failingAt[i] - failingAt[i - 1]).toBeGreaterThanOrEqual(10_000);
			expect(outcomes.slice(1).every((o) => o.state === 'finished')).toBe(true);
		});

		it('never uses the short cadence when the batch fits the limit', async () => {
			const { gaps } = await runLimited(8);
			expect(gaps.waiting).toEqual([]); // every poll came after the last submission
			expect(gaps.free.length).toBeGreaterThan(20);
			expect(Math.min(...gaps.free)).toBeGreaterThanOrEqual(10_000);
		});
	});

	it('in create mode stops once every job exists, polling only to free slots', async () => {
		const clock = new FakeClock();
		const vendor = new FakeVendor(clock, 60_000, 10);
		const outcomes = await waitForJobs(tasksFor(15, vendor), plan(clock, { mode: 'untilSubmitted', capsRunningJobs: true }), {
			runningJobs: new SlotPool(10),
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

	it('an account refusal (no credit) stops new submissions, and jobs already submitted are still waited for', async () => {
		const clock = new FakeClock();
		const vendor = new FakeVendor(clock, 60_000);
		const tasks = tasksFor(5, vendor);
		tasks[2] = { itemIndex: 2, submit: async () => { throw failure('credit', 'no credit', 104); } };
		const outcomes = await waitForJobs(tasks, plan(clock, { maxConcurrentSubmits: 1 }), {
			clock,
			isCancelled: () => false,
			poll: vendor.poll,
		});
		expect(outcomes.map((o) => o.state)).toEqual(['finished', 'finished', 'submitFailed', 'notSubmitted', 'notSubmitted']);
		expect(outcomes.slice(0, 2).every((o) => o.job?.status === 'succeeded')).toBe(true);
		// The items never sent carry the account's refusal as their reason.
		expect(outcomes[3].error).toBe(outcomes[2].error);
		expect(vendor.creates).toBe(2);
	});

	it('an item-level refusal fails that item only; the items after it are submitted and finish', async () => {
		const clock = new FakeClock();
		const vendor = new FakeVendor(clock, 60_000);
		const tasks = tasksFor(5, vendor);
		tasks[1] = { itemIndex: 1, submit: async () => { throw failure('invalidInput', 'bad audio URL', 40000); } };
		const outcomes = await waitForJobs(tasks, plan(clock, { maxConcurrentSubmits: 1 }), {
			clock,
			isCancelled: () => false,
			poll: vendor.poll,
		});
		expect(outcomes.map((o) => o.state)).toEqual(['finished', 'submitFailed', 'finished', 'finished', 'finished']);
		expect(vendor.creates).toBe(4);
	});

	it('re-queues a rate-limited create after the vendor\'s Retry-After and submits it once the window allows', async () => {
		const clock = new FakeClock();
		const start = clock.now();
		const vendor = new FakeVendor(clock, 10_000);
		let refusals = 0;
		const tasks: JobTask[] = Array.from({ length: 3 }, (_, itemIndex) => ({
			itemIndex,
			submit: async () => {
				if (clock.now() < start + 30_000) {
					refusals++;
					throw new VendorFailure(fakeNode, fakeAdapter, { kind: 'rateLimit', message: 'slow down', retryAfterMs: 30_000 }, []);
				}
				return await vendor.submit();
			},
		}));
		const outcomes = await waitForJobs(tasks, plan(clock), { clock, isCancelled: () => false, poll: vendor.poll });
		expect(outcomes.every((o) => o.state === 'finished' && o.job?.status === 'succeeded')).toBe(true);
		expect(vendor.creates).toBe(3);
		// One refusal per item in the first wave, then the whole account waits out Retry-After.
		expect(refusals).toBe(3);
		expect([...vendor.jobs.values()].every((job) => job.start >= start + 30_000)).toBe(true);
	});

	it('reports an item still refused with "try later" at the wait limit as not submitted, with the vendor\'s refusal', async () => {
		const clock = new FakeClock();
		const start = clock.now();
		const refusal = failure('concurrencyLimit', 'max concurrent jobs reached', 1304);
		const tasks: JobTask[] = [{ itemIndex: 0, submit: async () => { throw refusal; } }];
		const outcomes = await waitForJobs(tasks, plan(clock, { deadline: start + 60_000, capsRunningJobs: true }), {
			clock,
			isCancelled: () => false,
			poll: async () => { throw new Error('nothing to poll'); },
		});
		expect(outcomes[0]).toMatchObject({ state: 'notSubmitted', error: refusal });
		expect(clock.now() - start).toBeLessThan(61_000);
	});

	it('never resends a create that got no clear answer: the item is reported as maybe created', async () => {
		const clock = new FakeClock();
		let sends = 0;
		const tasks: JobTask[] = [
			{ itemIndex: 0, submit: async () => { sends++; throw failure('uncertainCreate', 'HTTP 502'); } },
		];
		const outcomes = await waitForJobs(tasks, plan(clock), { clock, isCancelled: () => false, poll: async () => { throw new Error('unused'); } });
		expect(outcomes[0].state).toBe('maybeCreated');
		expect(sends).toBe(1);
	});

	it('shares an account\'s running-job slots between two waits at once (two executions, one key)', async () => {
		const clock = new FakeClock();
		const vendor = new FakeVendor(clock, 60_000, 10);
		const pool = new SlotPool(10);
		const run = (offset: number) =>
			waitForJobs(
				Array.from({ length: 12 }, (_, itemIndex) => ({ itemIndex: itemIndex + offset, submit: () => vendor.submit() })),
				plan(clock, { capsRunningJobs: true }),
				{ clock, isCancelled: () => false, poll: vendor.poll, runningJobs: pool },
			);
		const [first, second] = await Promise.all([run(0), run(100)]);
		expect([...first, ...second].every((o) => o.state === 'finished' && o.job?.status === 'succeeded')).toBe(true);
		expect(vendor.creates).toBe(24);
		expect(vendor.refusals).toBe(0);
		expect(vendor.maxActive).toBe(10);
		expect(pool.free).toBe(10);
	});

	describe('a status that reports success before the video URL', () => {
		const job = (status: NormalizedJob['status'], extra: Partial<NormalizedJob> = {}): NormalizedJob => ({
			provider: 'vozo',
			jobId: 'job-1',
			status,
			providerStatus: status === 'processing' ? 'done' : status,
			raw: {},
			...extra,
		});

		it('keeps polling, and the URL on a later poll makes it succeeded', async () => {
			const clock = new FakeClock();
			const answers = [job('processing', { resultPending: true }), job('processing', { resultPending: true }), job('succeeded', { videoUrl: 'https://cdn.example/v.mp4' })];
			const outcomes = await waitForJobs([{ itemIndex: 0, submit: async () => ({ jobId: 'job-1' }) }], plan(clock), {
				clock,
				isCancelled: () => false,
				poll: async () => answers.shift()!,
			});
			expect(outcomes[0]).toMatchObject({ state: 'finished', job: { status: 'succeeded', videoUrl: 'https://cdn.example/v.mp4' } });
		});

		it('is given up on (never called failed: the vendor said success) only after three more polls, soon after each other', async () => {
			const clock = new FakeClock();
			const polledAt: number[] = [];
			const outcomes = await waitForJobs([{ itemIndex: 0, submit: async () => ({ jobId: 'job-1', job: job('processing', { resultPending: true }) }) }], plan(clock), {
				clock,
				isCancelled: () => false,
				poll: async () => {
					polledAt.push(clock.now());
					return job('processing', { resultPending: true });
				},
			});
			expect(outcomes[0]).toMatchObject({ state: 'pollFailed', jobId: 'job-1', job: { status: 'processing', providerStatus: 'done', resultPending: true } });
			expect(String((outcomes[0].error as Error).message)).toContain('no video URL');
			expect(polledAt).toHaveLength(3);
			for (let i = 1; i < polledAt.length; i++) expect(polledAt[i] - polledAt[i - 1]).toBeLessThanOrEqual(5_000);
		});
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
