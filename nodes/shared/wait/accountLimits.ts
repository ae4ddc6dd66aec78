import type { VendorLimits } from '../adapter';
import { SlidingWindowLimiter } from './limiter';

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

/** Running-job slots of an account (queued or running jobs, all executions together). */
export class SlotPool {
	private held = 0;

	constructor(readonly capacity: number) {}

	get free(): number {
		return Math.max(0, this.capacity - this.held);
	}

	tryAcquire(): boolean {
		if (this.held >= this.capacity) return false;
		this.held += 1;
		return true;
	}

	release(): void {
		this.held = Math.max(0, this.held - 1);
	}

	get isIdle(): boolean {
		return this.held === 0;
	}
}

export interface AccountLimits {
	/** Every request (`requestsPerMinute`). */
	requests?: SlidingWindowLimiter;
	/** POST requests, uploads included (`postsPerMinute`). */
	posts?: SlidingWindowLimiter;
	/** Jobs queued or running at once. */
	runningJobs?: SlotPool;
}

const accounts = new Map<string, AccountLimits>();

function isIdle(limits: AccountLimits, now: number): boolean {
	return (
		(limits.requests?.isIdle(now) ?? true) && (limits.posts?.isIdle(now) ?? true) && (limits.runningJobs?.isIdle ?? true)
	);
}

/** The shared limits of one account; accounts idle for a whole window are forgotten. */
export function accountLimitsFor(accountKey: string, limits: VendorLimits, now: number): AccountLimits {
	for (const [key, entry] of accounts) {
		if (key !== accountKey && isIdle(entry, now)) accounts.delete(key);
	}
	let entry = accounts.get(accountKey);
	if (!entry) {
		entry = {};
		if (limits.requestsPerMinute) entry.requests = new SlidingWindowLimiter(limits.requestsPerMinute, RATE_WINDOW_MS);
		if (limits.postsPerMinute) entry.posts = new SlidingWindowLimiter(limits.postsPerMinute, RATE_WINDOW_MS);
		if (limits.maxRunningJobs) entry.runningJobs = new SlotPool(limits.maxRunningJobs);
		accounts.set(accountKey, entry);
	}
	return entry;
}
