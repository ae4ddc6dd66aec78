/**
 * The fault matrix: every fault the sandbox can inject on creates and on status calls, for every
 * vendor, through the real node in n8n-core's WorkflowExecute. Whatever goes wrong, checked
 * against what the sandbox really did:
 * - no row says `failed` unless the vendor said so (its job failed, or it refused the create and
 *   made nothing);
 * - every job the vendor made is in its item's row: the row carries its `jobId`, or says
 *   `maybeCreated: true` (and then never `failed`);
 * - no item is billed twice.
 * (Download faults act after the job exists and keep its row: faults.test.ts, binary tests.)
 */
import type { IDataObject } from 'n8n-workflow';

import { useQuickRetries } from '../harness';
import { startSandbox, type Fault, type Sandbox, type Vendor } from '../sandbox';
import { audioItems, JOB_MS, jsonOf, runVendor, VENDOR_LIST } from './nodeKit';

useQuickRetries();

/** One account per case and vendor: the engine keeps an account's rate windows across runs. */
const KEYS_PER_VENDOR = 40;
const keyFor = (vendor: Vendor, n: number) => `matrix-${vendor}-account-${n}`;
let sb: Sandbox;
beforeAll(async () => {
	const extraKeys = Object.fromEntries(VENDOR_LIST.map((v) => [v, Array.from({ length: KEYS_PER_VENDOR }, (_, n) => keyFor(v, n))]));
	sb = await startSandbox({ jobDurationMs: JOB_MS, jitterMs: 0, extraKeys });
});
afterEach(() => sb.reset());
afterAll(async () => await sb.close());

/** Item 0 meets the fault (on creates: only its own), item 1 is a good one, item 2's job fails at the vendor. */
const ITEM_MARKS = ['voice-0.', 'voice-1.', 'voice-fail.'];
const FAULTED_ITEM = 'voice-0.';

const CREATE_FAULTS: Array<[string, Fault]> = [
	['429 rate limit', { kind: 'rateLimit', retryAfterSeconds: 1 }],
	['HTTP 500', { kind: 'serverError', httpStatus: 500 }],
	['HTTP 502 gateway page', { kind: 'serverError', httpStatus: 502 }],
	['HTTP 503', { kind: 'serverError', httpStatus: 503 }],
	['HTTP 504 gateway page', { kind: 'serverError', httpStatus: 504 }],
	['a reset connection', { kind: 'reset' }],
	['a slow answer', { kind: 'slow', delayMs: 300 }],
	['malformed JSON', { kind: 'malformedJson' }],
	['an error envelope', { kind: 'errorEnvelope' }],
	['invalid parameters', { kind: 'invalidInput' }],
	// The vendor made the job, then the answer went wrong (what a refusal cannot be).
	['HTTP 500 after the job was made', { kind: 'serverError', httpStatus: 500, createdFirst: true }],
	['HTTP 502 after the job was made', { kind: 'serverError', httpStatus: 502, createdFirst: true }],
	['a reset after the job was made', { kind: 'reset', createdFirst: true }],
	['a slow answer after the job was made', { kind: 'slow', delayMs: 300, createdFirst: true }],
	['malformed JSON after the job was made', { kind: 'malformedJson', createdFirst: true }],
	['an error envelope after the job was made', { kind: 'errorEnvelope', createdFirst: true }],
];

const STATUS_FAULTS: Array<[string, Fault]> = [
	['429 rate limit', { kind: 'rateLimit', retryAfterSeconds: 1 }],
	['HTTP 500', { kind: 'serverError', httpStatus: 500 }],
	['HTTP 502 gateway page', { kind: 'serverError', httpStatus: 502 }],
	['HTTP 503', { kind: 'serverError', httpStatus: 503 }],
	['HTTP 504 gateway page', { kind: 'serverError', httpStatus: 504 }],
	['a reset connection', { kind: 'reset' }],
	['a slow answer', { kind: 'slow', delayMs: 300 }],
	['malformed JSON', { kind: 'malformedJson' }],
	['an error envelope', { kind: 'errorEnvelope' }],
	['invalid parameters', { kind: 'invalidInput' }],
	['an unknown status word', { kind: 'unknownStatus', status: 'warming_up' }],
	['success without a video URL', { kind: 'urlLate' }],
];

const JOB_FAULTS: Array<[string, Fault]> = [['jobs that never finish', { kind: 'neverFinish' }]];

let caseNumber = 0;

/** Runs Create and Wait for every vendor at once (each on its own account) with the fault on. */
async function runCase(fault: Fault): Promise<Array<{ vendor: Vendor; key: string; rows: IDataObject[] }>> {
	const key = caseNumber++;
	return await Promise.all(
		VENDOR_LIST.map(async (vendor) => {
			sb.setFault(vendor, fault);
			const apiKey = keyFor(vendor, key);
			const result = await runVendor(sb, vendor, {
				operation: 'createAndWait',
				inputItems: audioItems(3, (i) => i === 2),
				apiKey,
				// A short wait limit: faults that never clear end at it.
				options: { waitLimitMinutes: 0.01 },
			});
			expect(result.error).toBeUndefined();
			return { vendor, key: apiKey, rows: jsonOf(result) };
		}),
	);
}

/** The three rules, checked against the jobs the sandbox really made for this account. */
function expectRowsTellTheTruth(vendor: Vendor, key: string, rows: IDataObject[]): void {
	const jobs = sb.jobs.list(vendor).filter((job) => job.key === key);
	expect(rows).toHaveLength(ITEM_MARKS.length);
	rows.forEach((row, item) => {
		const made = jobs.filter((job) => JSON.stringify(job.input).includes(ITEM_MARKS[item]));
		const where = `${vendor} item ${item}: ${JSON.stringify(row).slice(0, 400)}`;
		expect({ where, billed: made.length <= 1 ? 'at most once' : made.length }).toEqual({ where, billed: 'at most once' });
		const [job] = made;
		if (job) expect({ where, findable: row.jobId === job.id || row.maybeCreated === true }).toEqual({ where, findable: true });
		if (row.maybeCreated === true) expect({ where, status: row.status }).toEqual({ where, status: 'unknown' });
		if (row.status === 'failed') {
			// The vendor's word: its job failed (the row names it), or it refused the create (nothing made).
			const saidFailed = job !== undefined && job.phase === 'failed' && row.jobId === job.id;
			expect({ where, vendorSaidSo: saidFailed || job === undefined }).toEqual({ where, vendorSaidSo: true });
			expect(row.error).toBeDefined();
		}
	});
}

describe.each([
	['create', CREATE_FAULTS.map(([name, fault]): [string, Fault] => [name, { ...fault, endpoint: 'create', matchBody: FAULTED_ITEM }])],
	['status', STATUS_FAULTS.map(([name, fault]): [string, Fault] => [name, { ...fault, endpoint: 'status' }])],
	['job', JOB_FAULTS],
] as const)('every vendor, faults on %s', (_target, faults) => {
	it.each(faults as Array<[string, Fault]>)(
		'%s: no row says failed unless the vendor said so, and every job the vendor made is in its row (jobId or maybeCreated)',
		async (_name, fault) => {
			for (const { vendor, key, rows } of await runCase(fault)) expectRowsTellTheTruth(vendor, key, rows);
		},
	);
});
