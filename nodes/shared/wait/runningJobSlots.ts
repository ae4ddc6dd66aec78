import type { IDataObject } from 'n8n-workflow';

import type { RunningJobsFromCredential, VendorLimits } from '../adapter';

/**
 * An account's running-job slots (jobs queued or running at once, all executions together) and
 * the limit that sizes them. The limit comes from two places:
 * - declared: what the credential says (the plan the user picked, or a number for a contract of
 *   their own), else the adapter's static `maxRunningJobs`, else unknown;
 * - learned: a create refused as "too many running jobs" (nothing was created) shows the account
 *   is full with the jobs it runs now, so the limit drops to those jobs and no create is sent
 *   that would be refused too. The refusal may have counted someone else's jobs on the account,
 *   since ended, or a plan since upgraded: so while our jobs fill the learned limit, it is let up
 *   by one (a probe) once the refusal's retry delay has passed; a probe refused again doubles
 *   that wait, up to MAX_PROBE_WAIT_MS. At the declared limit the learned one is dropped.
 */

/** The longest wait between two probes above a learned limit. */
export const MAX_PROBE_WAIT_MS = 5 * 60_000;

export class SlotPool {
	private held = 0;
	private learned: number | undefined;
	/** The level last refused, the wait before the next probe above it, and when that probe may go. */
	private refusedLevel = Infinity;
	private probeWaitMs = 0;
	private probeAt = 0;

	/** `declared`: the account's known limit (undefined: unknown until the vendor refuses a create). */
	constructor(private declared?: number) {}

	/** The limit in force: the declared one, or lower when the vendor's refusals showed less. */
	get capacity(): number {
		return Math.min(this.declared ?? Infinity, this.learned ?? Infinity);
	}

	/** True when a limit is known (declared or learned): items may have to wait for a slot. */
	get capped(): boolean {
		return Number.isFinite(this.capacity);
	}

	get free(): number {
		return Math.max(0, this.capacity - this.held);
	}

	/** The credential's limit, read at the start of every run (a changed plan applies at once). */
	declare(limit: number | undefined): void {
		if (limit === this.declared) return;
		this.declared = limit;
		if (this.learned !== undefined && limit !== undefined && this.learned >= limit) this.forget();
	}

	tryAcquire(): boolean {
		if (this.held >= this.capacity) return false;
		this.held += 1;
		return true;
	}

	/**
	 * A create holding a slot was refused as "too many running jobs": the account is full with the
	 * jobs holding the other slots. A full account with none of ours holds someone else's jobs,
	 * which say nothing of the limit: the item then waits on the clock instead. `retryMs`: when
	 * the refused item may try again (the first probe above the learned limit waits as long).
	 */
	refused(now: number, retryMs: number): void {
		const others = this.held - 1;
		if (others < 1 || others >= this.capacity) return;
		this.probeWaitMs = others >= this.refusedLevel ? Math.min(MAX_PROBE_WAIT_MS, Math.max(retryMs, this.probeWaitMs * 2)) : retryMs;
		this.refusedLevel = others;
		this.learned = others;
		this.probeAt = now + this.probeWaitMs;
	}

	/** Lets a learned limit up by one when our jobs fill it and the wait since the last refusal or probe passed. */
	update(now: number): void {
		if (this.learned === undefined || this.held < this.learned || now < this.probeAt) return;
		this.learned += 1;
		this.probeAt = now + this.probeWaitMs;
		if (this.declared !== undefined && this.learned >= this.declared) this.forget();
	}

	release(): void {
		this.held = Math.max(0, this.held - 1);
	}

	get isIdle(): boolean {
		return this.held === 0;
	}

	private forget(): void {
		this.learned = undefined;
		this.refusedLevel = Infinity;
		this.probeWaitMs = 0;
	}
}

const positiveWhole = (value: unknown): number | undefined => {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : undefined;
};

function fromCredential(rule: RunningJobsFromCredential, credentials: IDataObject): number | undefined {
	const plan = credentials[rule.planField];
	if (typeof plan !== 'string') return undefined;
	if (rule.custom && plan === rule.custom.option) return positiveWhole(credentials[rule.custom.field]);
	return positiveWhole(rule.plans[plan]);
}

/**
 * The running-job limit a run's credential declares: its plan's (or its own number), else the
 * adapter's static limit; undefined when neither says (a plan of "unknown", an empty number).
 */
export function declaredRunningJobs(limits: VendorLimits, credentials: IDataObject): number | undefined {
	const fromPlan = limits.runningJobsFromCredential ? fromCredential(limits.runningJobsFromCredential, credentials) : undefined;
	return fromPlan ?? limits.maxRunningJobs;
}
