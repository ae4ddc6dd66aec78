/** The scheduler's decisions alone: state + now → what to submit, poll or end. No HTTP, no timers. */
import type { NormalizedJob } from '../../nodes/shared/job';
import {
	decide,
	initialState,
	pollSucceeded,
	startPoll,
	startSubmit,
	submitFailed,
	submitSucceeded,
	type WaitPlan,
} from '../../nodes/shared/wait/scheduler';
import { outcomes } from '../../nodes/shared/wait/outcomes';
import { testWaitPlan } from './fakes';

const T0 = 1_000_000;

const plan = (patch: Partial<WaitPlan> = {}): WaitPlan => testWaitPlan(T0, patch);

const pending = (count: number) => Array.from({ length: count }, (_, itemIndex) => ({ itemIndex, canSubmit: true }));
const job = (jobId: string, status: NormalizedJob['status']): NormalizedJob => ({ provider: 'x', jobId, status, providerStatus: status, raw: {} });

describe('decide', () => {
	it('submits at most the account\'s free running-job slots, and at most maxConcurrentSubmits at once', () => {
		const state = initialState(pending(12), plan({ capsRunningJobs: true }), T0);
		expect(decide(state, { now: T0, cancelled: false, freeAccountSlots: 3 }).submit).toHaveLength(3);
		expect(decide(state, { now: T0, cancelled: false, freeAccountSlots: 10 }).submit).toHaveLength(5);
		expect(decide(state, { now: T0, cancelled: false, freeAccountSlots: 0 }).submit).toHaveLength(0);
	});

	it('holds every submission until a rate-limit refusal\'s Retry-After, and wakes then', () => {
		const state = initialState(pending(3), plan(), T0);
		const [first] = decide(state, { now: T0, cancelled: false }).submit;
		startSubmit(first, false);
		submitFailed(state, first, 'rateLimit', new Error('429'), T0 + 100, 30_000);
		const held = decide(state, { now: T0 + 200, cancelled: false });
		expect(held.submit).toHaveLength(0);
		expect(held.wakeAt).toBe(T0 + 100 + 30_000);
		expect(decide(state, { now: T0 + 30_100, cancelled: false }).submit).toHaveLength(3);
	});

	it('polls a new job after the first-poll delay, then at the interval', () => {
		const state = initialState(pending(1), plan(), T0);
		const [slot] = decide(state, { now: T0, cancelled: false }).submit;
		startSubmit(slot, false);
		submitSucceeded(state, slot, { jobId: 'j1' }, T0);
		expect(decide(state, { now: T0 + 4_999, cancelled: false }).poll).toHaveLength(0);
		expect(decide(state, { now: T0 + 4_999, cancelled: false }).wakeAt).toBe(T0 + 5_000);
		const due = decide(state, { now: T0 + 5_000, cancelled: false }).poll;
		expect(due).toEqual([slot]);
		startPoll(slot);
		pollSucceeded(state, slot, job('j1', 'processing'), T0 + 5_100);
		expect(decide(state, { now: T0 + 15_099, cancelled: false }).poll).toHaveLength(0);
		expect(decide(state, { now: T0 + 15_100, cancelled: false }).poll).toEqual([slot]);
	});

	it('polls running jobs at a quarter of the interval while items wait for a slot, at the interval otherwise', () => {
		const state = initialState(pending(2), plan({ capsRunningJobs: true }), T0);
		const [slot] = decide(state, { now: T0, cancelled: false, freeAccountSlots: 1 }).submit;
		startSubmit(slot, true);
		submitSucceeded(state, slot, { jobId: 'j1' }, T0);
		// One item still waits and the account is full: the short cadence (2.5 s) applies.
		expect(decide(state, { now: T0 + 2_500, cancelled: false, freeAccountSlots: 0 }).poll).toEqual([slot]);
		// With room on the account nobody waits for a slot: the normal first look at 5 s.
		expect(decide(state, { now: T0 + 2_500, cancelled: false, freeAccountSlots: 1 }).poll).toEqual([]);
	});

	it('ends at the deadline, when cancelled, and once everything settled', () => {
		const state = initialState(pending(1), plan({ deadline: T0 + 1_000 }), T0);
		expect(decide(state, { now: T0, cancelled: true }).end).toBe('cancelled');
		expect(decide(state, { now: T0 + 1_000, cancelled: false }).end).toBe('deadline');
		const [slot] = decide(state, { now: T0, cancelled: false }).submit;
		startSubmit(slot, false);
		expect(decide(state, { now: T0 + 10, cancelled: false }).end).toBeUndefined();
		submitSucceeded(state, slot, { jobId: 'j1', job: job('j1', 'succeeded') }, T0 + 20);
		expect(decide(state, { now: T0 + 30, cancelled: false }).end).toBe('settled');
	});

	it('in create mode settles once every job exists, and polls only while items wait for a capped account', () => {
		const state = initialState(pending(1), plan({ mode: 'untilSubmitted' }), T0);
		const [slot] = decide(state, { now: T0, cancelled: false }).submit;
		startSubmit(slot, false);
		submitSucceeded(state, slot, { jobId: 'j1', job: job('j1', 'queued') }, T0);
		expect(decide(state, { now: T0 + 10_000, cancelled: false })).toMatchObject({ end: 'settled', poll: [] });
		expect(outcomes(state, 'settled')[0]).toMatchObject({ state: 'submitted', jobId: 'j1' });
	});

	it('stops submitting after an account refusal; items never sent carry that refusal as their reason', () => {
		const state = initialState(pending(3), plan({ maxConcurrentSubmits: 1 }), T0);
		const [first] = decide(state, { now: T0, cancelled: false }).submit;
		startSubmit(first, false);
		const refusal = new Error('insufficient credit');
		submitFailed(state, first, 'credit', refusal, T0 + 10);
		const next = decide(state, { now: T0 + 20, cancelled: false });
		expect(next.submit).toHaveLength(0);
		expect(next.end).toBe('settled');
		expect(outcomes(state, 'settled').map((o) => [o.state, o.error])).toEqual([
			['submitFailed', refusal],
			['notSubmitted', refusal],
			['notSubmitted', refusal],
		]);
	});

	it('never submits an item again once its create may have made a job', () => {
		const state = initialState(pending(1), plan(), T0);
		const [slot] = decide(state, { now: T0, cancelled: false }).submit;
		startSubmit(slot, false);
		submitFailed(state, slot, 'uncertainCreate', new Error('HTTP 502'), T0 + 10);
		expect(decide(state, { now: T0 + 60_000, cancelled: false })).toMatchObject({ submit: [], end: 'settled' });
		expect(outcomes(state, 'settled')[0].state).toBe('maybeCreated');
	});
});
