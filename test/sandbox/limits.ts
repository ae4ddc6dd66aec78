/** Sliding-window rate limits per (vendor, key), and the POST times tests look at. */

export type RateDecision = { ok: true } | { ok: false; resetAt: number };

const MAX_POST_TIMES = 10000;

export class Limits {
	private windows = new Map<string, number[]>();
	private posts = new Map<string, number[]>();

	/** `now`: the sandbox's clock (real time unless a test hands it a virtual one). */
	constructor(readonly now: () => number = Date.now) {}

	/** Counts one request if it fits `limit` per `windowMs`; refused requests are not counted. */
	take(scope: string, key: string, limit: number, windowMs: number, now = this.now()): RateDecision {
		const id = `${scope}:${key}`;
		const times = (this.windows.get(id) ?? []).filter((t) => t > now - windowMs);
		if (times.length >= limit) {
			this.windows.set(id, times);
			return { ok: false, resetAt: times[0] + windowMs };
		}
		times.push(now);
		this.windows.set(id, times);
		return { ok: true };
	}

	recordPost(vendor: string, key: string, now = this.now()): void {
		const id = `${vendor}:${key}`;
		const times = this.posts.get(id) ?? [];
		times.push(now);
		if (times.length > MAX_POST_TIMES) times.shift();
		this.posts.set(id, times);
	}

	/** Clock ms (epoch ms on the real clock) of every authenticated POST by this key (all keys of the vendor when omitted). */
	postTimes(vendor: string, key?: string): number[] {
		if (key !== undefined) return [...(this.posts.get(`${vendor}:${key}`) ?? [])];
		const all: number[] = [];
		for (const [id, times] of this.posts) if (id.startsWith(`${vendor}:`)) all.push(...times);
		return all.sort((a, b) => a - b);
	}

	clear(): void {
		this.windows.clear();
		this.posts.clear();
	}
}
