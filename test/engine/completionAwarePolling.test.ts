import type { NormalizedJob } from '../../nodes/shared/job';
import { SlotPool } from '../../nodes/shared/wait/runningJobSlots';
import { initialState, pollSucceeded, startPoll, startSubmit, submitSucceeded } from '../../nodes/shared/wait/scheduler';
import { waitForJobs, type JobTask } from '../../nodes/shared/wait/waitForJobs';
import { FakeClock, testWaitPlan } from './fakes';

/**
 * Completion-aware polling against a hand-built fixed-grid loop (create everything, then every
 * interval ask for every job still running), both on the virtual clock with the same jobs.
 */

interface Job {
	start: number;
	end: number;
	polls: number;
	noticedAt?: number;
}

/** A vendor whose jobs take the given durations; `timestamps` adds created/completed times to its answers. */
class TimedVendor {
	jobs = new Map<string, Job>();
	constructor(
		private clock: FakeClock,
		private durationsMs: number[],
		private timestamps = false,
	) {}
	submit = async (index: number) => {
		const id = `job-${index}`;
		this.jobs.set(id, { start: this.clock.now(), end: this.clock.now() + this.durationsMs[index], polls: 0 });
		return { jobId: id };
	};
	poll = async (jobId: string): Promise<NormalizedJob> => {
		const job = this.jobs.get(jobId)!;
		job.polls++;
		const now = this.clock.now();
		const done = now >= job.end;
		if (done) job.noticedAt ??= now;
		return {
			provider: 'fake',
			jobId,
			status: done ? 'succeeded' : 'processing',
			providerStatus: done ? 'done' : 'rendering',
			raw: {},
			...(done ? { videoUrl: `https://cdn.example/${jobId}.mp4` } : {}),
			...(this.timestamps ? { createdAt: new Date(job.start).toISOString() } : {}),
			...(this.timestamps && done ? { completedAt: new Date(job.end).toISOString() } : {}),
		};
	};
	/** Status calls per job, and how long after each completion it was noticed (sorted). */
	stats() {
		const jobs = [...this.jobs.values()];
		const latencies = jobs.map((job) => job.noticedAt! - job.end).sort((a, b) => a - b);
		return {
			pollsPerJob: jobs.reduce((sum, job) => sum + job.polls, 0) / jobs.length,
			medianLatency: latencies[Math.floor(latencies.length / 2)],
			maxLatency: latencies[latencies.length - 1],
		};
	}
}

async function runOurs(durationsMs: number[], intervalMs: number, options: { timestamps?: boolean; firstPollDelayMs?: number; runningJobCap?: number } = {}) {
	const clock = new FakeClock();
	const started = clock.now();
	const vendor = new TimedVendor(clock, durationsMs, options.timestamps);
	const tasks: JobTask[] = durationsMs.map((_, itemIndex) => ({ itemIndex, submit: () => vendor.submit(itemIndex) }));
	const plan = testWaitPlan(clock.now(), {
		pollIntervalMs: intervalMs,
		firstPollDelayMs: options.firstPollDelayMs ?? Math.min(intervalMs, 5_000),
		maxConcurrentSubmits: 10,
		capsRunningJobs: options.runningJobCap !== undefined,
	});
	const runningJobs = options.runningJobCap === undefined ? undefined : new SlotPool(options.runningJobCap);
	const outcomes = await waitForJobs(tasks, plan, { clock, isCancelled: () => false, poll: vendor.poll, runningJobs });
	expect(outcomes.every((o) => o.job?.status === 'succeeded')).toBe(true);
	return { ...vendor.stats(), wallMs: clock.now() - started };
}

/** What users build by hand: create all, then Wait(interval) → status of every running job → again. */
async function runFixedGridLoop(durationsMs: number[], intervalMs: number) {
	const clock = new FakeClock();
	const vendor = new TimedVendor(clock, durationsMs);
	const ids = await Promise.all(durationsMs.map((_, index) => vendor.submit(index).then((created) => created.jobId)));
	let running = ids;
	while (running.length > 0) {
		await clock.sleep(intervalMs);
		const answers = await Promise.all(running.map((id) => vendor.poll(id)));
		running = answers.filter((job) => job.status !== 'succeeded').map((job) => job.jobId);
	}
	return vendor.stats();
}

/** n durations spread evenly (in a shuffled order) over base ± jitter. */
const durations = (n: number, baseMs: number, jitterMs: number) =>
	Array.from({ length: n }, (_, i) => Math.round(baseMs - jitterMs + 2 * jitterMs * ((i * 0.618034) % 1)));

describe('completion-aware polling (virtual clock, against a hand-built fixed-grid loop)', () => {
	it('200 jobs of similar length (20 s ± 2 s, interval 5 s): no more status calls per job than the loop, completions noticed in under 60 % of its median time, none later than the interval', async () => {
		const jobs = durations(200, 20_000, 2_000);
		const ours = await runOurs(jobs, 5_000);
		const loop = await runFixedGridLoop(jobs, 5_000);
		expect(ours.pollsPerJob).toBeLessThanOrEqual(loop.pollsPerJob);
		expect(ours.medianLatency).toBeLessThan(0.6 * loop.medianLatency);
		expect(ours.maxLatency).toBeLessThanOrEqual(5_000);
	});

	it('200 jobs of 20 s ± 2 s (interval 5 s): the jobs answered before a quarter of the batch had finished are planned again once it has, so every completion is noticed within 60 % of the interval (the loop: up to the whole interval) and the batch ends 2 s sooner than the loop\'s last look, for no more calls', async () => {
		const jobs = durations(200, 20_000, 2_000);
		const ours = await runOurs(jobs, 5_000);
		const loop = await runFixedGridLoop(jobs, 5_000);
		expect(ours.pollsPerJob).toBeLessThanOrEqual(loop.pollsPerJob);
		expect(ours.maxLatency).toBeLessThanOrEqual(0.6 * 5_000);
		expect(loop.maxLatency).toBeGreaterThan(0.9 * 5_000);
		expect(ours.wallMs).toBeLessThanOrEqual(Math.max(...jobs) + loop.maxLatency - 2_000);
	});

	it('200 jobs of 60 s ± 5 s with the vendor\'s created/completed times (interval 10 s, first look at the interval): no more calls than the loop, noticed in under 70 % of its median time', async () => {
		const jobs = durations(200, 60_000, 5_000);
		const ours = await runOurs(jobs, 10_000, { timestamps: true, firstPollDelayMs: 10_000 });
		const loop = await runFixedGridLoop(jobs, 10_000);
		expect(ours.pollsPerJob).toBeLessThanOrEqual(loop.pollsPerJob);
		expect(ours.medianLatency).toBeLessThan(0.7 * loop.medianLatency);
		expect(ours.maxLatency).toBeLessThanOrEqual(10_000);
	});

	it('spread-out durations (10 s to 120 s, interval 10 s): never noticed later than the interval, and no more calls than the loop', async () => {
		const jobs = durations(200, 65_000, 55_000);
		const ours = await runOurs(jobs, 10_000, { firstPollDelayMs: 10_000 });
		const loop = await runFixedGridLoop(jobs, 10_000);
		expect(ours.maxLatency).toBeLessThanOrEqual(10_000);
		expect(ours.pollsPerJob).toBeLessThanOrEqual(loop.pollsPerJob);
	});

	it('50 jobs of 20 s ± 2 s under a cap of 10 running jobs (interval 5 s): at most 9 status calls per job where the blind 1.25 s cadence spent 14.5, and the batch ends within 5 × (22 s + 1.25 s)', async () => {
		const ours = await runOurs(durations(50, 20_000, 2_000), 5_000, { runningJobCap: 10 });
		expect(ours.pollsPerJob).toBeLessThanOrEqual(9);
		expect(ours.wallMs).toBeLessThanOrEqual(5 * (22_000 + 1_250));
		expect(ours.maxLatency).toBeLessThanOrEqual(5_000);
	});

	it('learns a finished job\'s duration from the vendor\'s created/completed times, and plans the next look at another job around it', () => {
		const start = 1_000_000;
		const plan = testWaitPlan(start, { pollIntervalMs: 15_000 });
		const state = initialState([{ itemIndex: 0, canSubmit: true }, { itemIndex: 1, canSubmit: true }], plan, start);
		const [first, second] = state.slots;
		for (const slot of state.slots) {
			startSubmit(slot, false);
			submitSucceeded(state, slot, { jobId: `job-${slot.itemIndex}` }, start);
		}
		const running = (jobId: string): NormalizedJob => ({ provider: 'fake', jobId, status: 'processing', providerStatus: 'rendering', raw: {} });
		startPoll(first);
		pollSucceeded(state, first, running('job-0'), start + 20_000);
		// Noticed at 44 s (last heard running at 20 s: the middle would say 32 s); the vendor says 30 s.
		startPoll(first);
		pollSucceeded(
			state,
			first,
			{
				...running('job-0'),
				status: 'succeeded',
				videoUrl: 'https://cdn.example/job-0.mp4',
				createdAt: new Date(start).toISOString(),
				completedAt: new Date(start + 30_000).toISOString(),
			},
			start + 44_000,
		);
		startPoll(second);
		pollSucceeded(state, second, running('job-1'), start + 20_000);
		expect(second.nextPollAt).toBeGreaterThanOrEqual(start + 30_000);
		expect(second.nextPollAt).toBeLessThan(start + 31_000);
	});
});
