/**
 * sync.so's per-plan concurrency (docs/vendors.md § sync.so, "Limits"): generations PENDING or
 * PROCESSING at once per organization — Hobbyist 1, Creator 3, Growth 6, Scale 15, Enterprise a
 * number of its own. A valid create past it is refused with HTTP 429 and sync.so's error body,
 * `errorCode` `concurrency_limit_reached`; nothing is created.
 *
 * The plan: the sandbox option `syncsoKeyPlans` (per API key), else `syncsoPlan` (every key;
 * default `scale`). A number is an Enterprise plan's own limit.
 *
 * ASSUMPTIONS (undocumented; the node does not depend on them):
 * - The words of the refusal: "Concurrency limit reached. Please wait for an existing generation
 *   to complete or upgrade your plan." (documented only for batches, in the same shape).
 * - The limit counts the API key's generations (the sandbox has one key per organization).
 * - No Retry-After header on the refusal (none is documented on any 429).
 */
import type { Ctx, SandboxCore } from '../http';
import { syncError, type SyncSoHooks } from './syncso';

export type SyncSoPlan = 'hobbyist' | 'creator' | 'growth' | 'scale' | number;

/** Generations at once per plan, as sync.so's rate-limit page lists them. */
export const SYNCSO_PLAN_CONCURRENCY: Readonly<Record<Exclude<SyncSoPlan, number>, number>> = { hobbyist: 1, creator: 3, growth: 6, scale: 15 };

/** The concurrency of the plan `key` is on. */
export function planConcurrency(core: SandboxCore, key: string): number {
	const { syncsoPlan, syncsoKeyPlans } = core.options();
	const plan = syncsoKeyPlans[key] ?? syncsoPlan;
	return typeof plan === 'number' ? plan : SYNCSO_PLAN_CONCURRENCY[plan];
}

export const CONCURRENCY_REFUSAL = 'Concurrency limit reached. Please wait for an existing generation to complete or upgrade your plan.';

/** The hook that refuses a create past the key's plan. */
export function syncSoPlanConcurrency(core: SandboxCore): SyncSoHooks {
	return {
		beforeCreate(ctx: Ctx): boolean {
			if (core.jobs.activeCount('syncso', ctx.key) < planConcurrency(core, ctx.key)) return false;
			ctx.json(429, syncError(429, 'concurrency_limit_reached', CONCURRENCY_REFUSAL));
			return true;
		},
	};
}
