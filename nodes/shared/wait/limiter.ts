import { pause, type Clock } from './clock';

/**
 * A sliding-window request limiter: at most `limit` acquisitions in any `windowMs`. Callers
 * wait inside the node until a slot is free instead of getting the vendor's 429.
 */
export class SlidingWindowLimiter {
	private readonly stamps: number[] = [];

	constructor(
		readonly limit: number,
		readonly windowMs: number,
	) {}

	/** Ms until the next acquisition is allowed (0 = now). */
	delayFor(now: number): number {
		this.prune(now);
		if (this.stamps.length < this.limit) return 0;
		return this.stamps[0] + this.windowMs - now;
	}

	/**
	 * Waits for a free slot and takes it. Gives up (without taking one) when cancelled, or when
	 * the slot would only come after `deadline`.
	 */
	async acquire(clock: Clock, isCancelled: () => boolean, deadline = Infinity): Promise<'acquired' | 'cancelled' | 'deadline'> {
		for (;;) {
			const now = clock.now();
			const delay = this.delayFor(now);
			// Check and record with no await in between: concurrent callers cannot both take the last slot.
			if (delay <= 0) {
				this.stamps.push(now);
				return 'acquired';
			}
			if (now + delay > deadline) return 'deadline';
			if (!(await pause(clock, delay, isCancelled))) return 'cancelled';
		}
	}

	/** True when nothing was acquired within the window: the limiter can be forgotten. */
	isIdle(now: number): boolean {
		this.prune(now);
		return this.stamps.length === 0;
	}

	private prune(now: number): void {
		while (this.stamps.length > 0 && this.stamps[0] <= now - this.windowMs) this.stamps.shift();
	}
}
