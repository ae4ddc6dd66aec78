/** Create and Wait's waiting, run on the virtual clock against a fake vendor (engine tests). */
import type { IDataObject } from 'n8n-workflow';

import type { VendorAdapter } from '../../nodes/shared/adapter';
import type { RunOptions } from '../../nodes/shared/operations/runOptions';
import { buildPlan } from '../../nodes/shared/operations/submitAndWait';
import { fetchJob, fetchJobs } from '../../nodes/shared/operations/vendorCalls';
import { defaultRetryPolicy, openSession } from '../../nodes/shared/transport';
import type { SlotPool } from '../../nodes/shared/wait/runningJobSlots';
import { waitForJobs, type JobTask, type WaitPlan } from '../../nodes/shared/wait/waitForJobs';
import { fakeContext, type FakeClock, type FakeResponse } from './fakes';

export interface VirtualWait {
	pollIntervalMs: number;
	waitLimitMs?: number;
	/** Create (`untilSubmitted`) instead of Create and Wait. */
	mode?: WaitPlan['mode'];
	/** Changes to the plan buildPlan makes for the adapter. */
	plan?: Partial<WaitPlan>;
	/** Stops the execution (n8n's cancel signal aborts) at this virtual time after the start. */
	stopAfterMs?: number;
	requestTimeoutMs?: number;
	/** The account's running-job slots; default: the session's. */
	runningJobs?: SlotPool;
}

let accounts = 0;

/**
 * Waits for `tasks` as the node does: n8n's context faked around `respond`, the real session and
 * transport (each run its own account, since limits are shared per key), the plan buildPlan makes
 * for `adapter`, status reads through the real vendor calls (grouped ones where it declares them).
 */
export async function waitOnVirtualClock(
	clock: FakeClock,
	adapter: VendorAdapter,
	respond: (options: IDataObject) => FakeResponse | Promise<FakeResponse>,
	tasks: JobTask[],
	setup: VirtualWait,
) {
	const started = clock.now();
	const fake = fakeContext(respond, { apiKey: `sk-virtual-account-${++accounts}`, baseUrl: 'https://api.fake.example' });
	const session = await openSession(fake.ctx, adapter, { clock, retry: { ...defaultRetryPolicy, random: () => 0.5 }, requestTimeoutMs: setup.requestTimeoutMs ?? 30_000 });
	const options = { pollIntervalMs: setup.pollIntervalMs, waitLimitMs: setup.waitLimitMs ?? 60 * 60_000 } as RunOptions;
	const plan = { ...buildPlan(adapter, options, setup.mode ?? 'untilDone', started), ...setup.plan };
	let stoppedAt: number | undefined;
	if (setup.stopAfterMs !== undefined) {
		void clock.sleep(setup.stopAfterMs).then(() => {
			stoppedAt = clock.now();
			fake.abort.abort();
		});
	}
	const outcomes = await waitForJobs(tasks, plan, {
		clock,
		isCancelled: () => fake.abort.signal.aborted,
		poll: async (jobId, deadline, holdMs) => await fetchJob(fake.ctx, adapter, jobId, deadline, holdMs),
		pollMany: adapter.statusOfMany ? async (jobIds, deadline) => await fetchJobs(fake.ctx, adapter, jobIds, deadline) : undefined,
		runningJobs: setup.runningJobs ?? session.account.runningJobs,
	});
	return { outcomes, started, ended: clock.now(), stoppedAt };
}
