/**
 * Status calls that meet the sandbox's faults: waiting, and Get, end with the right outcome and the
 * right job id. (How long the engine waits between retries, and that it honours Retry-After, is
 * proven on the virtual clock: test/engine/transport.test.ts.)
 */
import { useQuickRetries } from '../harness';
import { type Fault } from '../sandbox';
import { audioItems, jsonOf, runVendor, useNodeSandbox, VENDOR_LIST } from './nodeKit';

useQuickRetries();
const sb = useNodeSandbox();

const STATUS_FAULTS: Array<[string, Fault]> = [
	['429 with Retry-After', { kind: 'rateLimit', endpoint: 'status', times: 1, retryAfterSeconds: 0 }],
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

describe('a status error never makes a running job "failed"', () => {
	it.each(VENDOR_LIST)('%s: a status check refused once with "invalid parameters" is checked again, and the job ends succeeded', async (vendor) => {
		sb.setFault(vendor, { kind: 'invalidInput', endpoint: 'status', times: 1 });
		const result = await runVendor(sb, vendor, { operation: 'createAndWait', inputItems: audioItems(1) });
		expect(result.error).toBeUndefined();
		const [created] = sb.jobs.list(vendor);
		expect(jsonOf(result)).toEqual([expect.objectContaining({ jobId: created.id, status: 'succeeded' })]);
		expect(sb.log.entries({ vendor, endpoint: 'status' })[0].fault).toBe('invalidInput');
	});

	// One vendor: giving up takes five checks, each twice as late; the fault matrix
	// (faultMatrix.test.ts) holds every vendor to the same rule within a short wait limit.
	it.each(['vozo'] as const)('%s: a job whose status checks keep failing comes out with its id, its last status and the error — not failed', async (vendor) => {
		sb.setFault(vendor, { kind: 'invalidInput', endpoint: 'status' });
		const result = await runVendor(sb, vendor, { operation: 'createAndWait', inputItems: audioItems(1) });
		expect(result.error).toBeUndefined();
		const [created] = sb.jobs.list(vendor);
		const [row] = jsonOf(result);
		expect(row).toMatchObject({ jobId: created.id, status: expect.stringMatching(/^(queued|processing)$/), statusCheckError: expect.any(String) });
		expect(row.error).toBeUndefined();
		expect(String(row.message)).toContain(`Lost track of job ${created.id}`);
	});

	it('a revoked key on the status checks: the row keeps the job id and says to fix the credential, not that the job failed', async () => {
		const created = await runVendor(sb, 'vozo', { operation: 'create', inputItems: audioItems(1) });
		const [job] = jsonOf(created);
		const result = await runVendor(sb, 'vozo', { operation: 'wait', inputItems: [{ json: job }], apiKey: 'sk-revoked-key-0000' });
		expect(result.error).toBeUndefined();
		const [row] = jsonOf(result);
		expect(row).toMatchObject({ jobId: job.jobId, status: expect.stringMatching(/^(queued|processing)$/), statusCheckErrorCode: '1302' });
		expect(String(row.message)).toMatch(/fix the credential/);
		expect(sb.log.count({ vendor: 'vozo', endpoint: 'status' })).toBeGreaterThan(1);
	});
});

describe('Get whose status call keeps failing', () => {
	it.each(VENDOR_LIST)('%s: the row keeps the job id with status unknown and the error, never failed', async (vendor) => {
		const created = await runVendor(sb, vendor, { operation: 'create', inputItems: audioItems(1) });
		const [job] = jsonOf(created);
		sb.setFault(vendor, { kind: 'invalidInput', endpoint: 'status' });
		const got = await runVendor(sb, vendor, { operation: 'get', inputItems: [{ json: job }] });
		expect(got.error).toBeUndefined();
		const [row] = jsonOf(got);
		expect(row).toMatchObject({ jobId: job.jobId, provider: vendor, status: 'unknown', error: expect.any(String) });
	});
});
