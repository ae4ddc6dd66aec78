/** Waiting through the sandbox's faults ends with the right outcome and the right job id. */
import { useQuickRetries } from '../harness';
import { startSandbox, type Fault, type Sandbox } from '../sandbox';
import { audioItems, JOB_MS, jsonOf, runVendor, VENDOR_LIST } from './nodeKit';

useQuickRetries();
let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: JOB_MS, jitterMs: 0 });
});
afterEach(() => sb.reset());
afterAll(async () => await sb.close());

const STATUS_FAULTS: Array<[string, Fault]> = [
	['429 with Retry-After', { kind: 'rateLimit', endpoint: 'status', times: 1, retryAfterSeconds: 1 }],
	['5xx', { kind: 'serverError', endpoint: 'status', times: 1, httpStatus: 503 }],
	['a reset connection', { kind: 'reset', endpoint: 'status', times: 1 }],
	['malformed JSON', { kind: 'malformedJson', endpoint: 'status', times: 1 }],
	['an unknown status word', { kind: 'unknownStatus', endpoint: 'status', times: 2, status: 'warming_up' }],
];

describe.each(VENDOR_LIST)('%s: status faults', (vendor) => {
	it.each(STATUS_FAULTS)('waits through %s and ends succeeded with the created job id', async (_name, fault) => {
		sb.setFault(vendor, fault);
		const result = await runVendor(sb, vendor, { operation: 'createAndWait', inputItems: audioItems(1) });
		expect(result.error).toBeUndefined();
		const [job] = jsonOf(result);
		const [created] = sb.jobs.list(vendor);
		expect(job).toMatchObject({ jobId: created.id, status: 'succeeded' });
		expect(sb.log.count({ vendor, endpoint: 'create' })).toBe(1);
		const statusEntries = sb.log.entries({ vendor, endpoint: 'status' });
		expect(statusEntries.some((e) => e.fault)).toBe(true);
	});
});

describe('Get has one status call per job: the transport retries it', () => {
	it.each(VENDOR_LIST)('%s: Get reads the status through a 5xx and a reset connection', async (vendor) => {
		const created = await runVendor(sb, vendor, { operation: 'create', inputItems: audioItems(1) });
		const [job] = jsonOf(created);
		sb.setFault(vendor, [
			{ kind: 'serverError', endpoint: 'status', times: 1, httpStatus: 503 },
			{ kind: 'reset', endpoint: 'status', times: 1 },
		]);
		const got = await runVendor(sb, vendor, { operation: 'get', inputItems: [{ json: job }] });
		expect(got.error).toBeUndefined();
		expect(jsonOf(got)).toEqual([expect.objectContaining({ jobId: job.jobId, provider: vendor, status: expect.stringMatching(/queued|processing|succeeded/) })]);
		expect(jsonOf(got)[0].error).toBeUndefined();
		expect(sb.log.entries({ vendor, endpoint: 'status' }).map((e) => e.fault ?? 'answered')).toEqual(['serverError', 'reset', 'answered']);
	});
});

describe('create faults are never retried', () => {
	it.each(VENDOR_LIST)('%s: a 5xx on create makes that item a "maybe created" row, with one request, and the others succeed', async (vendor) => {
		sb.setFault(vendor, { kind: 'serverError', endpoint: 'create', times: 1 });
		const result = await runVendor(sb, vendor, { operation: 'createAndWait', inputItems: audioItems(3) });
		expect(result.error).toBeUndefined();
		const out = jsonOf(result);
		expect(sb.log.count({ vendor, endpoint: 'create' })).toBe(3);
		const failed = out.filter((j) => j.status === 'failed');
		expect(failed).toHaveLength(1);
		expect(failed[0]).toMatchObject({ maybeCreated: true, error: { code: expect.anything() } });
		expect(String((failed[0].error as { message: string }).message)).toContain('may have been created');
		expect(out.filter((j) => j.status === 'succeeded')).toHaveLength(2);
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
