/**
 * Create faults, expired result links and the wait limit: each ends with the right outcome and
 * the right job id (faults of status calls: statusFaults.test.ts).
 */
import { VENDOR_MODULES } from '../../nodes/registry';
import { useQuickRetries } from '../harness';
import { audioItems, jsonOf, runVendor, useNodeSandbox, VENDOR_LIST } from './nodeKit';

useQuickRetries();
const sb = useNodeSandbox();

/** Vendors that deduplicate creates by an idempotency key: their uncertain creates are resent under it. */
const keyed = (vendor: string) => VENDOR_MODULES.some((module) => module.adapter.provider === vendor && module.adapter.idempotentCreates);

describe('create faults are never retried without an idempotency key', () => {
	it.each(VENDOR_LIST.filter((vendor) => !keyed(vendor)))('%s: a 5xx on create makes that item a "maybe created" row (status unknown, not failed), with one request, and the others succeed', async (vendor) => {
		sb.setFault(vendor, { kind: 'serverError', endpoint: 'create', times: 1 });
		const result = await runVendor(sb, vendor, { operation: 'createAndWait', inputItems: audioItems(3) });
		expect(result.error).toBeUndefined();
		const out = jsonOf(result);
		expect(sb.log.count({ vendor, endpoint: 'create' })).toBe(3);
		expect(out.filter((j) => j.status === 'failed')).toHaveLength(0);
		const uncertain = out.filter((j) => j.status === 'unknown');
		expect(uncertain).toHaveLength(1);
		expect(uncertain[0]).toMatchObject({ maybeCreated: true, errorCode: expect.anything() });
		expect(String(uncertain[0].error)).toContain('may have been created');
		expect(out.filter((j) => j.status === 'succeeded')).toHaveLength(2);
	});
});

describe('create faults under an idempotency key', () => {
	it.each(VENDOR_LIST.filter(keyed))('%s: a 5xx on create is sent again with the same key: four requests, one job per item, all succeeded', async (vendor) => {
		sb.setFault(vendor, { kind: 'serverError', endpoint: 'create', times: 1 });
		const result = await runVendor(sb, vendor, { operation: 'createAndWait', inputItems: audioItems(3) });
		expect(result.error).toBeUndefined();
		const creates = sb.log.entries({ vendor, endpoint: 'create' });
		expect(creates).toHaveLength(4);
		const header = VENDOR_MODULES.find((module) => module.adapter.provider === vendor)!.adapter.idempotentCreates!.header.toLowerCase();
		const keys = creates.map((entry) => entry.headers[header]);
		expect(new Set(keys).size).toBe(3);
		const faulted = creates.find((entry) => entry.statusCode >= 500)!.headers[header];
		expect(keys.filter((key) => key === faulted)).toHaveLength(2);
		expect(sb.jobs.list(vendor)).toHaveLength(3);
		expect(jsonOf(result).map((row) => row.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
	});
});

describe('expired result links', () => {
	it.each(VENDOR_LIST)('%s: a 403 download gets a fresh URL from the status endpoint once', async (vendor) => {
		sb.setFault('all', { kind: 'expiringUrls', staleUrls: 1 });
		const result = await runVendor(sb, vendor, {
			operation: 'createAndWait',
			inputItems: audioItems(1),
			options: { downloadVideo: true },
		});
		expect(result.error).toBeUndefined();
		expect(result.output![0][0].binary?.data).toBeDefined();
		const downloads = sb.log.entries({ vendor, endpoint: 'download' });
		expect(downloads.map((d) => d.statusCode)).toEqual([403, 200]);
	});
});

describe('wait limit', () => {
	it('outputs still-running jobs with their ids when the wait limit passes', async () => {
		// When the limit ends the wait is proven on the virtual clock (test/engine/waitForJobs.test.ts).
		sb.setFault('vozo', { kind: 'neverFinish' });
		const result = await runVendor(sb, 'vozo', {
			operation: 'createAndWait',
			inputItems: audioItems(2),
			options: { waitLimitMinutes: 0.02 },
		});
		expect(result.error).toBeUndefined();
		const out = jsonOf(result);
		const ids = sb.jobs.list('vozo').map((j) => j.id);
		expect(out.map((j) => j.jobId).sort()).toEqual([...ids].sort());
		expect(out.every((j) => j.status === 'processing' || j.status === 'queued')).toBe(true);
		expect(String(out[0].message)).toContain(`check job ${out[0].jobId} later`);
	});

	it('fails with the job id when "On Timeout" is "Fail the Item"', async () => {
		sb.setFault('joggai', { kind: 'neverFinish' });
		const result = await runVendor(sb, 'joggai', {
			operation: 'createAndWait',
			inputItems: audioItems(1),
			options: { waitLimitMinutes: 0.01, onTimeout: 'error' },
		});
		const [job] = sb.jobs.list('joggai');
		expect(result.error?.message).toContain('still running at the wait limit');
		expect(result.error?.message).toContain(job.id);
	});
});
