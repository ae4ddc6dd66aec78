import type { IDataObject } from 'n8n-workflow';

import type { VendorAdapter } from '../../nodes/shared/adapter';
import { SlotPool } from '../../nodes/shared/wait/runningJobSlots';
import type { JobTask } from '../../nodes/shared/wait/waitForJobs';
import { FakeClock, fakeAdapter } from './fakes';
import { waitOnVirtualClock, type VirtualWait } from './virtualWait';

/**
 * Grouped status reads, on the virtual clock: the fake adapter declares StatusOfMany (`GET /jobs?ids=a,b`
 * answers a bare list of the jobs it knows, as sync.so's `GET /v2/generations?ids=` does), and
 * optionally long-polling; a fake vendor behind the real transport answers both reads.
 */

const MAX_IDS = 8;

const groupingAdapter = (longPoll: boolean, grouping = true): VendorAdapter => ({
	...fakeAdapter,
	statusOfMany: !grouping ? undefined : {
		maxIds: MAX_IDS,
		request: (jobIds) => ({ method: 'GET', path: '/jobs', qs: { ids: jobIds.join(',') } }),
		parse: (body) => (body as IDataObject[]).map((record) => fakeAdapter.parseStatus(String(record.id), record)),
	},
	longPoll: longPoll
		? { maxHoldSeconds: 10, statusRequest: (jobId, holdSeconds) => ({ method: 'GET', path: `/jobs/${jobId}`, qs: { wait: true, timeout: holdSeconds } }) }
		: undefined,
});

interface Read {
	ids: string[];
	grouped: boolean;
	held: boolean;
	sentAt: number;
	answeredAt?: number;
	aborted?: boolean;
}

interface VendorSetup {
	/** Ids the grouped read leaves out of its answer (the vendor does not list them). */
	unlisted?: string[];
	/** Every grouped read answers this HTTP status (an error body) instead. */
	groupedStatus?: number;
	/** Grouped reads take this long to answer. */
	groupedDelayMs?: number;
	/** Each create takes this long. */
	createMs?: number;
	/** false: the vendor answers a held read at once (it ignores the hold). */
	holds?: boolean;
}

class Vendor {
	jobs = new Map<string, { start: number; end: number; noticedAt?: number }>();
	reads: Read[] = [];
	openReads = 0;
	maxOpenReads = 0;
	constructor(
		private clock: FakeClock,
		private durationsMs: number[],
		private setup: VendorSetup,
	) {}
	create = async (index: number) => {
		if (this.setup.createMs) await this.clock.sleep(this.setup.createMs);
		const jobId = `job-${index}`;
		this.jobs.set(jobId, { start: this.clock.now(), end: this.clock.now() + this.durationsMs[index] });
		return { jobId };
	};
	private record(jobId: string) {
		const job = this.jobs.get(jobId)!;
		const done = this.clock.now() >= job.end;
		if (done) job.noticedAt ??= this.clock.now();
		return done ? { id: jobId, status: 'done', url: `https://cdn.example/${jobId}.mp4` } : { id: jobId, status: 'pending' };
	}
	private async pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
		const aborted = new Promise<'aborted'>((resolve) => signal?.addEventListener('abort', () => resolve('aborted')));
		return (await Promise.race([this.clock.sleep(ms), aborted])) === 'aborted';
	}
	respond = async (options: IDataObject) => {
		const qs = (options.qs ?? {}) as IDataObject;
		const grouped = String(options.url).endsWith('/jobs');
		const ids = grouped ? String(qs.ids).split(',') : [String(options.url).split('/').pop()!];
		const read: Read = { ids, grouped, held: qs.wait === true, sentAt: this.clock.now() };
		this.reads.push(read);
		this.maxOpenReads = Math.max(this.maxOpenReads, ++this.openReads);
		try {
			const signal = options.abortSignal as AbortSignal | undefined;
			const wait = grouped ? (this.setup.groupedDelayMs ?? 0) : read.held && this.setup.holds !== false ? Math.max(0, Math.min(this.jobs.get(ids[0])!.end, read.sentAt + Number(qs.timeout) * 1000) - read.sentAt) : 0;
			if (wait > 0 && (await this.pause(wait, signal))) {
				read.aborted = true;
				return { throws: new Error('This operation was aborted') };
			}
			read.answeredAt = this.clock.now();
			if (grouped && this.setup.groupedStatus) return { statusCode: this.setup.groupedStatus, body: { message: 'refused' } };
			if (grouped) return { body: ids.filter((id) => !this.setup.unlisted?.includes(id)).map((id) => this.record(id)) };
			return { body: this.record(ids[0]) };
		} finally {
			this.openReads--;
		}
	};
	noticeDelays = () => [...this.jobs.values()].map((job) => job.noticedAt! - job.end);
}

interface RunSetup extends VendorSetup, Omit<VirtualWait, 'runningJobs'> {
	durationsMs: number[];
	longPoll?: boolean;
	/** false: the same vendor without the capability (each job read on its own). */
	grouping?: boolean;
	/** Jobs handed in (Wait), not created. */
	existing?: boolean;
	/** The account runs at most this many jobs at once. */
	runningJobCap?: number;
}

async function run(setup: RunSetup) {
	const clock = new FakeClock();
	const vendor = new Vendor(clock, setup.durationsMs, setup);
	const adapter = groupingAdapter(setup.longPoll ?? false, setup.grouping ?? true);
	const tasks: JobTask[] = [];
	for (let itemIndex = 0; itemIndex < setup.durationsMs.length; itemIndex++) {
		if (setup.existing) tasks.push({ itemIndex, jobId: (await vendor.create(itemIndex)).jobId });
		else tasks.push({ itemIndex, submit: async () => await vendor.create(itemIndex) });
	}
	const capped = setup.runningJobCap !== undefined;
	const run = await waitOnVirtualClock(clock, adapter, vendor.respond, tasks, {
		...setup,
		plan: { ...setup.plan, capsRunningJobs: capped },
		runningJobs: capped ? new SlotPool(setup.runningJobCap) : undefined,
	});
	return { ...run, vendor };
}

const durations = (count: number, from: number, step: number) => Array.from({ length: count }, (_, i) => from + i * step);
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe('grouped status reads, where the adapter declares StatusOfMany', () => {
	it('plain polling: jobs due together are read in requests of at most maxIds, far fewer than one per job and look, every completion noticed within the Poll Interval', async () => {
		const durationsMs = durations(30, 20_000, 500);
		const pollIntervalMs = 5_000;
		const { vendor, outcomes } = await run({ durationsMs, pollIntervalMs, existing: true });
		expect(outcomes.every((outcome) => outcome.job?.status === 'succeeded')).toBe(true);
		const grouped = vendor.reads.filter((read) => read.grouped);
		expect(grouped.length).toBeGreaterThan(0);
		for (const read of grouped) {
			expect(read.ids.length).toBeLessThanOrEqual(MAX_IDS);
			expect(new Set(read.ids).size).toBe(read.ids.length);
		}
		const perJobReads = sum(durationsMs.map((duration) => Math.ceil(duration / pollIntervalMs)));
		expect(vendor.reads.length).toBeLessThan(perJobReads / 3);
		for (const delay of vendor.noticeDelays()) expect(delay).toBeLessThanOrEqual(pollIntervalMs);
	});

	it('long-polling, 100 jobs and 10 open reads: no read is held while more than 10 jobs are left, they are read in groups, and the last ones get held reads; every completion noticed within the Poll Interval (read one job a request, some are noticed later) with under a quarter of the requests of polling each job', async () => {
		const durationsMs = [...durations(95, 20_000, 200), ...Array(5).fill(60_000)];
		const pollIntervalMs = 5_000;
		const { vendor, outcomes } = await run({ durationsMs, pollIntervalMs, longPoll: true });
		expect(outcomes.every((outcome) => outcome.job?.status === 'succeeded')).toBe(true);
		const held = vendor.reads.filter((read) => read.held);
		expect(held.length).toBeGreaterThan(0);
		expect(vendor.reads.filter((read) => read.grouped).length).toBeGreaterThan(0);
		expect(vendor.maxOpenReads).toBeLessThanOrEqual(10);
		const leftAt = (time: number) => [...vendor.jobs.values()].filter((job) => job.noticedAt! > time).length;
		for (const read of held) expect(leftAt(read.sentAt)).toBeLessThanOrEqual(10);
		for (const delay of vendor.noticeDelays()) expect(delay).toBeLessThanOrEqual(pollIntervalMs);
		expect(vendor.reads.length).toBeLessThan(sum(durationsMs.map((duration) => Math.ceil(duration / pollIntervalMs))) / 4);
		// The same batch read one job a request: ten reads rotate over a hundred jobs, and some completions wait longer than the interval.
		const alone = await run({ durationsMs, pollIntervalMs, longPoll: true, grouping: false });
		expect(Math.max(...alone.vendor.noticeDelays())).toBeGreaterThan(pollIntervalMs);
	});

	it('long-polling, 30 jobs: once 10 or fewer are left, each gets a held read at once (not at the grid\'s next read), so every completion after that moment is noticed the moment it happens', async () => {
		// Ends 20 s … 34.5 s; grouped reads at 5, 10, … s: the one at 30 s leaves 9 running.
		const durationsMs = durations(30, 20_000, 500);
		const { vendor, outcomes } = await run({ durationsMs, pollIntervalMs: 5_000, longPoll: true });
		expect(outcomes.every((outcome) => outcome.job?.status === 'succeeded')).toBe(true);
		const jobs = [...vendor.jobs.values()];
		const leftAt = (time: number) => jobs.filter((job) => job.noticedAt! > time).length;
		const thinnedAt = Math.min(...vendor.reads.filter((read) => leftAt(read.answeredAt!) <= 10).map((read) => read.answeredAt!));
		const after = jobs.filter((job) => job.end > thinnedAt);
		expect(after.length).toBeGreaterThanOrEqual(5);
		for (const job of after) expect(job.noticedAt! - job.end).toBe(0);
		const firstHeld = Math.min(...vendor.reads.filter((read) => read.held).map((read) => read.sentAt));
		expect(firstHeld).toBe(thinnedAt);
	});

	for (const longPoll of [false, true]) {
		it(`${longPoll ? 'long-polling' : 'plain polling'}, jobs created one a second: plain reads take along the jobs not yet due, so they go out together at most once a Poll Interval, in as few requests as the ids a request allow; every completion noticed within the interval`, async () => {
			const pollIntervalMs = 5_000;
			const { vendor, outcomes } = await run({ durationsMs: Array(40).fill(30_000), pollIntervalMs, longPoll, createMs: 1_000, plan: { maxConcurrentSubmits: 1 } });
			expect(outcomes.every((outcome) => outcome.job?.status === 'succeeded')).toBe(true);
			const plain = vendor.reads.filter((read) => !read.held);
			const instants = [...new Set(plain.map((read) => read.sentAt))];
			expect(instants.length).toBeGreaterThan(5);
			for (let i = 1; i < instants.length; i++) expect(instants[i] - instants[i - 1]).toBeGreaterThanOrEqual(pollIntervalMs);
			for (const at of instants) {
				const reads = plain.filter((read) => read.sentAt === at);
				expect(reads.length).toBe(Math.ceil(sum(reads.map((read) => read.ids.length)) / MAX_IDS));
			}
			for (const delay of vendor.noticeDelays()) expect(delay).toBeLessThanOrEqual(pollIntervalMs);
		});
	}

	it('long-polling, more jobs than open reads, a vendor that answers held reads at once: no job is read more than twice in a Poll Interval (no tight loop)', async () => {
		const pollIntervalMs = 5_000;
		const { vendor, outcomes } = await run({ durationsMs: durations(30, 20_000, 500), pollIntervalMs, longPoll: true, holds: false });
		expect(outcomes.every((outcome) => outcome.job?.status === 'succeeded')).toBe(true);
		for (const jobId of vendor.jobs.keys()) {
			const times = vendor.reads.filter((read) => read.ids.includes(jobId)).map((read) => read.sentAt);
			for (const at of times) expect(times.filter((other) => other >= at && other < at + pollIntervalMs).length).toBeLessThanOrEqual(2);
		}
	});

	it('long-polling, 30 items on an account that runs 3 jobs at once: the jobs that may run fit the open reads, so every read is held and one job each, and every completion is noticed the moment it happens', async () => {
		const { vendor, outcomes } = await run({ durationsMs: durations(30, 20_000, 100), pollIntervalMs: 5_000, longPoll: true, runningJobCap: 3 });
		expect(outcomes.every((outcome) => outcome.job?.status === 'succeeded')).toBe(true);
		expect(vendor.maxOpenReads).toBe(3);
		expect(vendor.reads.every((read) => read.held && !read.grouped)).toBe(true);
		expect(Math.max(...vendor.noticeDelays())).toBe(0);
	});

	it('at most 10 jobs with long-polling: every read is held and one job each, as without the capability', async () => {
		const { vendor, outcomes } = await run({ durationsMs: durations(10, 20_000, 1_000), pollIntervalMs: 5_000, longPoll: true });
		expect(outcomes.every((outcome) => outcome.job?.status === 'succeeded')).toBe(true);
		expect(vendor.reads.every((read) => read.held && !read.grouped)).toBe(true);
	});

	it('a job the grouped answer leaves out gets a read of its own and its outcome from it, never failed for its absence', async () => {
		const { vendor, outcomes } = await run({ durationsMs: durations(12, 15_000, 500), pollIntervalMs: 5_000, unlisted: ['job-3'], existing: true });
		expect(outcomes.map((outcome) => outcome.job?.status)).toEqual(Array(12).fill('succeeded'));
		const own = vendor.reads.filter((read) => !read.grouped && read.ids[0] === 'job-3');
		expect(own.length).toBeGreaterThan(0);
		// Each read of its own follows, at once, a grouped read that named it and left it out.
		for (const read of own) expect(vendor.reads.some((group) => group.grouped && group.ids.includes('job-3') && group.answeredAt === read.sentAt)).toBe(true);
		expect(vendor.jobs.get('job-3')!.noticedAt! - vendor.jobs.get('job-3')!.end).toBeLessThanOrEqual(5_000);
	});

	it('a grouped read that keeps failing is a failed look at each job it names: after the give-up rounds every job ends pollFailed with its id, none failed', async () => {
		const { vendor, outcomes } = await run({ durationsMs: durations(12, 15_000, 500), pollIntervalMs: 5_000, groupedStatus: 503, existing: true, plan: { maxFailedPolls: 3 } });
		expect(outcomes.map((outcome) => outcome.state)).toEqual(Array(12).fill('pollFailed'));
		expect(outcomes.map((outcome) => outcome.jobId)).toEqual(durations(12, 0, 1).map((i) => `job-${i}`));
		expect(vendor.reads.every((read) => read.grouped)).toBe(true);
		// Each round is one read of the 12 in groups of at most 8 (the transport's own retries aside).
		const rounds = new Set(vendor.reads.map((read) => Math.round(read.sentAt / 1_000))).size;
		expect(rounds).toBeGreaterThanOrEqual(3);
	});

	it('a grouped read the vendor refuses as invalid turns grouping off: every job is then read on its own and succeeds, no give-up round spent', async () => {
		const { vendor, outcomes } = await run({ durationsMs: durations(12, 15_000, 500), pollIntervalMs: 5_000, groupedStatus: 400, existing: true });
		expect(outcomes.map((outcome) => outcome.job?.status)).toEqual(Array(12).fill('succeeded'));
		const grouped = vendor.reads.filter((read) => read.grouped);
		expect(grouped.length).toBeGreaterThan(0);
		expect(grouped.every((read) => read.sentAt === grouped[0].sentAt)).toBe(true);
		expect(vendor.reads.filter((read) => !read.grouped).length).toBeGreaterThan(12);
	});

	it('Stop aborts a grouped read in flight, and the run ends at once with every job cancelled', async () => {
		const { vendor, outcomes, ended, stoppedAt } = await run({ durationsMs: durations(12, 60_000, 500), pollIntervalMs: 5_000, groupedDelayMs: 20_000, existing: true, stopAfterMs: 3_000 });
		expect(outcomes.map((outcome) => outcome.state)).toEqual(Array(12).fill('cancelled'));
		expect(vendor.reads.filter((read) => read.grouped && read.aborted).length).toBeGreaterThan(0);
		expect(ended - stoppedAt!).toBeLessThan(1_000);
	});
});
