/**
 * sync.so's plan concurrency through the real WorkflowExecute, against the sandbox's sync.so,
 * which refuses a create past the key's plan with HTTP 429 `concurrency_limit_reached`
 * (test/sandbox/vendors/syncsoPlans.ts). What ran at once is the sandbox's own record.
 */
import { useSandbox } from '../sandbox/useSandbox';
import { audioItems, jsonOf, JOB_MS, runVendor } from './nodeKit';

const sb = useSandbox({ jobDurationMs: JOB_MS, jitterMs: 0 });

/** Each test its own account: the node keeps what it learned of an account across runs. */
let accounts = 0;
function freshAccount(plan: 'creator' | number): string {
	const key = `sandbox-syncso-plan-${++accounts}`;
	sb.setOptions({ extraKeys: { syncso: [key] }, syncsoKeyPlans: { [key]: plan } });
	return key;
}

const concurrencyRefusals = () =>
	sb.log.entries({ vendor: 'syncso', endpoint: 'create' }).filter((e) => e.statusCode === 429);

describe('sync.so: a batch of 20 on a plan of 3 (or 2) generations at once', () => {
	it.each([
		['Creator', { plan: 'creator' }, 3],
		['Custom, 2 at once', { plan: 'custom', customConcurrency: 2 }, 2],
	] as const)('20 items with Plan "%s" on the credential: all succeed, the sandbox never saw more than the plan running, no create refused', async (_plan, credentialFields, limit) => {
		const apiKey = freshAccount(limit);
		const result = await runVendor(sb, 'syncso', { operation: 'createAndWait', inputItems: audioItems(20), apiKey, credentialFields });
		expect(result.error).toBeUndefined();
		const out = jsonOf(result);
		expect(out.map((row) => row.status)).toEqual(Array(20).fill('succeeded'));
		expect(sb.jobs.stats('syncso')).toMatchObject({ created: 20, maxActive: limit });
		expect(concurrencyRefusals()).toHaveLength(0);
	});

	it('20 items with no plan on the credential: all succeed, at most 3 running; the refusals are sync.so 429 concurrency_limit_reached, each item created once', async () => {
		const apiKey = freshAccount('creator');
		const result = await runVendor(sb, 'syncso', { operation: 'createAndWait', inputItems: audioItems(20), apiKey, credentialFields: { plan: 'unknown' } });
		expect(result.error).toBeUndefined();
		const out = jsonOf(result);
		expect(out.map((row) => row.status)).toEqual(Array(20).fill('succeeded'));
		expect(new Set(out.map((row) => row.jobId)).size).toBe(20);
		expect(sb.jobs.stats('syncso')).toMatchObject({ created: 20, maxActive: 3 });
		const refused = concurrencyRefusals();
		// The node learned the limit: after the first wave, only its probes one above it are refused
		// (resending every refused item instead runs into sync.so's 60 creates a minute).
		expect(refused.length).toBeGreaterThan(0);
		expect(refused.length).toBeLessThan(20);
		for (const entry of refused) expect(entry.responseBody).toMatchObject({ statusCode: 429, errorCode: 'concurrency_limit_reached' });
	});
});
