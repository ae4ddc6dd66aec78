import type { VendorLimits } from '../adapter';
import { SlidingWindowLimiter } from './limiter';
import { SlotPool } from './runningJobSlots';

/**
 * A vendor's limits belong to the account (the API key), not to one execution: two executions
 * of a scheduled workflow that overlap, or one sub-workflow per row, share the account's POSTs a
 * minute and its running-job slots. So the pacing state lives here, at module level, keyed by
 * a hash of the vendor, base URL and key — every execution in this n8n instance that uses the
 * same account waits on the same windows and slots. (Separate instances, e.g. queue-mode
 * workers, cannot see each other: there the vendor's own "try later" answers are re-queued.)
 */

/** A minute plus a margin: the vendor stamps a request when it arrives, we when it leaves. */
const RATE_WINDOW_MS = 61_000;

export interface AccountLimits {
	/** Every request (`requestsPerMinute`). */
	requests?: SlidingWindowLimiter;
	/** POST requests, uploads included (`postsPerMinute`). */
	posts?: SlidingWindowLimiter;
	/** Jobs queued or running at once: always there, as a limit may be declared by the credential or learned. */
	runningJobs: SlotPool;
}

const accounts = new Map<string, AccountLimits>();

function isIdle(limits: AccountLimits, now: number): boolean {
	return (
		(limits.requests?.isIdle(now) ?? true) && (limits.posts?.isIdle(now) ?? true) && limits.runningJobs.isIdle
	);
}

/** The shared limits of one account; accounts idle for a whole window are forgotten. */
export function accountLimitsFor(accountKey: string, limits: VendorLimits, now: number): AccountLimits {
	for (const [key, entry] of accounts) {
		if (key !== accountKey && isIdle(entry, now)) accounts.delete(key);
	}
	let entry = accounts.get(accountKey);
	if (!entry) {
		entry = { runningJobs: new SlotPool(limits.maxRunningJobs) };
		if (limits.requestsPerMinute) entry.requests = new SlidingWindowLimiter(limits.requestsPerMinute, RATE_WINDOW_MS);
		if (limits.postsPerMinute) entry.posts = new SlidingWindowLimiter(limits.postsPerMinute, RATE_WINDOW_MS);
		accounts.set(accountKey, entry);
	}
	return entry;
}
