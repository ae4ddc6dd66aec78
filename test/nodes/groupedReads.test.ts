/**
 * Grouped status reads in a real WorkflowExecute against the sandbox, for every registered vendor
 * whose adapter declares them (adapter.statusOfMany): a batch larger than the engine's open
 * status requests completes with far fewer status requests than jobs × looks, every job's outcome
 * right (failures included), the jobs without a held read looked at by reads naming many of them.
 */
import { VENDOR_MODULES } from '../../nodes/registry';
import type { VendorAdapter } from '../../nodes/shared/adapter';
import type { Vendor } from '../sandbox';
import { useSandbox } from '../sandbox/useSandbox';
import { audioItems, jsonOf, runVendor } from './nodeKit';

const JOB_MS = 2_000;
const POLL_INTERVAL_MS = 500;
const BATCH = 30;
const failing = (i: number) => i % 10 === 3;

const GROUPING_VENDORS = VENDOR_MODULES.filter(({ adapter }) => adapter.statusOfMany).map(({ adapter }) => adapter);

const sb = useSandbox({ jobDurationMs: JOB_MS, jitterMs: 0 });

/**
 * Each test its own account (the node keeps what it learned of one), whose plan runs the whole
 * batch at once, and the credential fields that say so.
 */
let accounts = 0;
function batchSizedAccount(vendor: Vendor, adapter: VendorAdapter) {
	const apiKey = `sandbox-${vendor}-grouped-${++accounts}`;
	sb.setOptions({ extraKeys: { [vendor]: [apiKey] }, syncsoKeyPlans: { [apiKey]: BATCH } });
	const plan = adapter.limits.runningJobsFromCredential;
	const credentialFields = plan?.custom ? { [plan.planField]: plan.custom.option, [plan.custom.field]: BATCH } : {};
	return { apiKey, credentialFields };
}

const CASES = GROUPING_VENDORS.map((adapter) => [adapter.provider as Vendor, adapter] as const);

describe('grouped status reads', () => {
	it.each(CASES)(
		'%s: Create and Wait of 30 (3 failing): every outcome right, reads naming many jobs (at most maxIds each), under half the status requests of reading each job every Poll Interval',
		async (vendor, adapter) => {
			const { apiKey, credentialFields } = batchSizedAccount(vendor, adapter);
			const result = await runVendor(sb, vendor, {
				operation: 'createAndWait',
				inputItems: audioItems(BATCH, failing),
				apiKey,
				credentialFields,
				options: { pollIntervalSeconds: POLL_INTERVAL_MS / 1000 },
				continueOnFail: true,
			});
			expect(result.error).toBeUndefined();
			const rows = jsonOf(result);
			expect(rows.map((row) => row.status)).toEqual(Array.from({ length: BATCH }, (_, i) => (failing(i) ? 'failed' : 'succeeded')));
			expect(new Set(rows.map((row) => row.jobId)).size).toBe(BATCH);

			const reads = sb.log.entries({ vendor, endpoint: 'status' });
			const many = reads.filter((read) => Array.isArray(read.responseBody));
			expect(many.length).toBeGreaterThan(0);
			for (const read of many) {
				const named = new URL(read.path, sb.url).searchParams.get('ids')!.split(',');
				expect(named.length).toBeGreaterThan(1);
				expect(named.length).toBeLessThanOrEqual(adapter.statusOfMany!.maxIds);
			}
			const perJobReads = BATCH * (JOB_MS / POLL_INTERVAL_MS);
			process.stdout.write(`measured: ${vendor} ${reads.length} status requests (${many.length} grouped) for ${BATCH} jobs of ${JOB_MS} ms (Poll Interval ${POLL_INTERVAL_MS} ms: ${perJobReads} reading each job)\n`);
			expect(reads.length).toBeLessThan(perJobReads / 2);
		},
	);

	it.each(CASES)(
		'%s: Wait for 30 existing jobs (Create, then Wait): every job succeeded, read by requests naming many of them',
		async (vendor, adapter) => {
			const { apiKey, credentialFields } = batchSizedAccount(vendor, adapter);
			const created = await runVendor(sb, vendor, { operation: 'create', inputItems: audioItems(BATCH), apiKey, credentialFields });
			expect(created.error).toBeUndefined();
			sb.log.clear();
			const waited = await runVendor(sb, vendor, { operation: 'wait', inputItems: jsonOf(created).map((json) => ({ json })), apiKey, credentialFields, options: { pollIntervalSeconds: POLL_INTERVAL_MS / 1000 } });
			expect(waited.error).toBeUndefined();
			expect(jsonOf(waited).map((row) => [row.jobId, row.status])).toEqual(jsonOf(created).map((row) => [row.jobId, 'succeeded']));
			const reads = sb.log.entries({ vendor, endpoint: 'status' });
			expect(reads.filter((read) => Array.isArray(read.responseBody)).length).toBeGreaterThan(0);
			expect(reads.length).toBeLessThan(BATCH * (JOB_MS / POLL_INTERVAL_MS) / 2);
		},
	);
	const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
	describe.each(['leftOut', 'refused'] as const)('List Generations answering an unknown id %s', (unknownIds) => {
		it.each(CASES)(
			'%s: Wait for 12 jobs, one id unknown to the vendor: the 11 others succeed, the unknown one comes out with its id, still processing as far as the node knows, and the vendor\'s not-found error from its own reads, never failed',
			async (vendor, adapter) => {
				const { apiKey, credentialFields } = batchSizedAccount(vendor, adapter);
				const created = await runVendor(sb, vendor, { operation: 'create', inputItems: audioItems(11), apiKey, credentialFields });
				expect(created.error).toBeUndefined();
				sb.setOptions({ syncsoListUnknownIds: unknownIds });
				sb.log.clear();
				const handedIn = [...jsonOf(created).map((json) => ({ json })).slice(0, 5), { json: { jobId: UNKNOWN_ID } }, ...jsonOf(created).map((json) => ({ json })).slice(5)];
				const waited = await runVendor(sb, vendor, { operation: 'wait', inputItems: handedIn, apiKey, credentialFields, options: { pollIntervalSeconds: POLL_INTERVAL_MS / 1000 }, continueOnFail: true });
				expect(waited.error).toBeUndefined();
				const rows = jsonOf(waited);
				expect([rows[5].jobId, rows[5].status, rows[5].statusCheckError]).toEqual([UNKNOWN_ID, 'processing', 'Job not found']);
				expect(String(rows[5].message)).toContain(`Lost track of job ${UNKNOWN_ID}`);
				expect(rows.filter((_, i) => i !== 5).map((row) => [row.jobId, row.status])).toEqual(jsonOf(created).map((row) => [row.jobId, 'succeeded']));
				const reads = sb.log.entries({ vendor, endpoint: 'status' });
				const grouped = reads.filter((read) => new URL(read.path, sb.url).searchParams.has('ids'));
				expect(grouped.length).toBeGreaterThan(0);
				const ownReads = reads.filter((read) => read.path.split('?')[0].endsWith(UNKNOWN_ID));
				expect(ownReads.length).toBeGreaterThan(0);
				expect(ownReads.every((read) => read.statusCode === 404)).toBe(true);
				if (unknownIds === 'refused') expect(grouped.map((read) => read.statusCode)).toEqual([404]);
				else expect(grouped.every((read) => read.statusCode === 200)).toBe(true);
			},
		);
	});
});
