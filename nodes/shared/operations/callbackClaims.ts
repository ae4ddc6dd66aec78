/**
 * One callback at a time does the work for a parked execution. n8n refuses callbacks (409) only
 * once it has marked the execution running, which happens after webhook() returns: until then,
 * a vendor that sends "done" twice would have each copy check the status and download the video.
 * The first copy claims the execution here; the others are answered without any work. The claim
 * lives in the memory of this n8n server (enough for regular mode and one webhook server;
 * several webhook servers in queue mode each keep their own).
 */

/** After a resume, how long later copies are still answered without work (n8n's 409 takes over). */
const RESUMED_HOLD_MS = 10 * 60_000;

/** Claim key → until when it holds (Infinity while its callback is at work). */
const claims = new Map<string, number>();

function forgetExpired(now: number): void {
	for (const [key, until] of claims) if (until <= now) claims.delete(key);
}

export interface CallbackClaim {
	/** The execution resumed: later copies keep getting the short answer for a while. */
	resumed(): void;
	/** Nothing resumed (the job could not be confirmed, or has not ended): the next copy may try. */
	release(): void;
}

/** Claims the execution for this callback, or returns undefined when another callback holds it. */
export function claimCallback(key: string, now = Date.now()): CallbackClaim | undefined {
	forgetExpired(now);
	if (claims.has(key)) return undefined;
	claims.set(key, Infinity);
	return {
		resumed: () => claims.set(key, Date.now() + RESUMED_HOLD_MS),
		release: () => claims.delete(key),
	};
}
