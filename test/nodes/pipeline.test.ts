/**
 * The edges a scheduled batch pipeline meets: gateway errors on paid creates, Retry On Fail,
 * Stop during a create, one bad row among many, the error output, downloads that go wrong,
 * run-size and output options. Status calls that stall at the wait limit are real-time by nature
 * (an HTTP timeout): on the virtual clock in test/engine/transport.test.ts ("starts no retry after
 * the deadline and bounds each attempt by it"), in a real n8n in test/e2e/pipeline.e2e.test.ts.
 */
import type { IExecuteFunctions, INodeType } from 'n8n-workflow';

import { useQuickRetries } from '../harness';
import { VENDORS, type Fault, type Vendor } from '../sandbox';
import { waitFor } from '../sandbox/testHelpers';
import { audioFor, audioItems, jsonOf, runVendor, useNodeSandbox, VENDOR_SETUP } from './nodeKit';

useQuickRetries();
const sb = useNodeSandbox();

/** The vendor's node, counting how often n8n ran its execute(). */
function countingNode(vendor: Vendor): { node: INodeType; runs: () => number } {
	const node = VENDOR_SETUP[vendor].node();
	const execute = node.execute!;
	let runs = 0;
	node.execute = async function (this: IExecuteFunctions) {
		runs++;
		return await execute.call(this);
	};
	return { node, runs: () => runs };
}

const messageOf = (row: { error?: unknown }) => String(row.error ?? '');

describe('a create without a clear answer is never sent twice', () => {
	const CASES: Array<[string, Vendor, Fault]> = [
		['a 502 gateway page', 'modellix', { kind: 'serverError', httpStatus: 502, endpoint: 'create', createdFirst: true }],
		['a 504 gateway page', 'joggai', { kind: 'serverError', httpStatus: 504, endpoint: 'create', createdFirst: true }],
		['a JSON 500', 'personate', { kind: 'serverError', httpStatus: 500, endpoint: 'create', createdFirst: true }],
		['Vozo code 1000', 'vozo', { kind: 'errorEnvelope', endpoint: 'create', createdFirst: true }],
		['JoggAI code 50000', 'joggai', { kind: 'errorEnvelope', endpoint: 'create', createdFirst: true }],
	];

	it.each(CASES)('%s on a %s create, Retry On Fail with 3 tries: one job per item at the vendor, each item says it may have been created', async (_name, vendor, fault) => {
		sb.setFault(vendor, fault);
		const { node, runs } = countingNode(vendor);
		const result = await runVendor(sb, vendor, {
			nodeType: node,
			operation: 'createAndWait',
			inputItems: audioItems(2),
			retryOnFail: true,
			maxTries: 3,
			waitBetweenTries: 10,
		});
		// n8n saw `error` on the first row and ran the node all 3 times…
		expect(runs()).toBe(3);
		// …and the vendor still holds exactly one job per item.
		expect(sb.jobs.stats(vendor).created).toBe(2);
		expect(sb.log.count({ vendor, endpoint: 'create' })).toBe(2);
		const rows = jsonOf(result);
		expect(rows).toHaveLength(2);
		for (const row of rows) {
			expect(row).toMatchObject({ provider: vendor, status: 'unknown', maybeCreated: true });
			expect(messageOf(row)).toContain('may have been created');
		}
	});

	it('Stop while a slow create is on the wire: one job at the vendor, and the item says it may have been created', async () => {
		sb.setFault('joggai', { kind: 'slow', delayMs: 4_000, endpoint: 'create', createdFirst: true, times: 1 });
		const abort = new AbortController();
		const running = runVendor(sb, 'joggai', { operation: 'createAndWait', inputItems: audioItems(1), abortSignal: abort.signal });
		// The vendor made the job and holds the answer back: the create is on the wire.
		await waitFor(() => sb.jobs.stats('joggai').created === 1 || undefined, 10_000);
		abort.abort();
		const result = await running;
		expect(result.executionStatus).toBe('canceled');
		const [row] = jsonOf(result);
		expect(row).toMatchObject({ status: 'unknown', maybeCreated: true });
		expect(messageOf(row)).toMatch(/may have been created/);
		expect(messageOf(row)).toMatch(/stopped/);
		expect(sb.jobs.stats('joggai').created).toBe(1);
	});
});

describe('one bad row among many', () => {
	const REFUSED = 37;
	const refuseRow37: Fault = { kind: 'invalidInput', endpoint: 'create', matchBody: `voice-${REFUSED}.mp3` };

	it('50 rows, row 37 refused by the vendor: 49 succeed with their videos, row 37 is a failed row with the vendor\'s code', async () => {
		sb.setFault('personate', refuseRow37);
		const result = await runVendor(sb, 'personate', {
			operation: 'createAndWait',
			inputItems: audioItems(50),
			options: { downloadVideo: true },
		});
		expect(result.error).toBeUndefined();
		const items = result.output![0];
		expect(items).toHaveLength(50);
		const refused = items[REFUSED];
		expect(refused.json).toMatchObject({ provider: 'personate', status: 'failed', errorCode: 400 });
		expect(refused.json.jobId).toBeUndefined();
		expect(refused.binary).toBeUndefined();
		const others = items.filter((_, i) => i !== REFUSED);
		expect(others.every((item) => item.json.status === 'succeeded' && item.binary?.data !== undefined)).toBe(true);
		expect(items.map((item) => item.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		expect(sb.jobs.stats('personate').created).toBe(49);
	});

	it('with "Continue (using error output)", row 37 goes to the error output with its input row, the 49 to the main output', async () => {
		sb.setFault('personate', refuseRow37);
		const result = await runVendor(sb, 'personate', {
			operation: 'createAndWait',
			inputItems: audioItems(50),
			onError: 'continueErrorOutput',
		});
		const [main, errors] = result.output!;
		expect(main).toHaveLength(49);
		expect(main.every((item) => item.json.status === 'succeeded')).toBe(true);
		expect(errors).toHaveLength(1);
		expect(errors[0].json).toMatchObject({
			audio: audioFor(REFUSED),
			error: expect.stringContaining('Personate rejected the parameters'),
			message: expect.stringContaining('Personate rejected the parameters'),
			details: { provider: 'personate', status: 'failed', errorCode: 400 },
		});
		expect(errors[0].pairedItem).toEqual({ item: REFUSED });
	});

	it('a failed job is a failed row by default, and an error only when "On Job Failure" says so', async () => {
		const failing = audioItems(3, (i) => i === 1);
		const rows = jsonOf(await runVendor(sb, 'modellix', { operation: 'createAndWait', inputItems: failing }));
		expect(rows.map((r) => r.status)).toEqual(['succeeded', 'failed', 'succeeded']);
		const strict = await runVendor(sb, 'modellix', { operation: 'createAndWait', inputItems: failing, options: { onJobFailure: 'error' } });
		expect(strict.error?.message).toContain('the job failed');
		expect(String(strict.error?.description)).toMatch(/Other jobs of this run: item 0: job \S+ \(succeeded\); item 2: job/);
	});
});

describe('downloads prove they got the whole video', () => {
	const download = async (vendor: Vendor, fault: Fault | null, options = {}) => {
		sb.setFault(vendor, fault);
		const result = await runVendor(sb, vendor, {
			operation: 'createAndWait',
			inputItems: audioItems(1),
			options: { downloadVideo: true, ...options },
		});
		expect(result.error).toBeUndefined();
		const [item] = result.output![0];
		return item;
	};

	it.each<[string, Fault, RegExp]>([
		['a server that closes early (chunked, no length to compare)', { kind: 'shortBody', chunked: true, endpoint: 'download' }, /connection (broke before the video was complete|ended after)/],
		['fewer bytes than Content-Length announced', { kind: 'shortBody', bytes: 3_000, endpoint: 'download' }, /connection (broke before the video was complete|ended after .*bytes)/],
		['an HTML page instead of the video', { kind: 'wrongType', endpoint: 'download' }, /text\/html, not a video/],
	])('%s is an error row with the job and its URL, never a binary', async (_name, fault, reason) => {
		sb.setOptions({ resultVideoBytes: 64 * 1024 });
		const item = await download('modellix', fault);
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({ status: 'succeeded', videoUrl: expect.any(String), error: expect.stringMatching(reason) });
		expect(messageOf(item.json)).toContain('its URL is in the output');
	});

	it('a download that trickles past the download time limit is an error row, never a binary', async () => {
		// 2 MB at 16 KB per 200 ms would take 25 s; the limit is 0.02 minutes (1.2 s).
		sb.setOptions({ resultVideoBytes: 2 * 1024 * 1024 });
		const item = await download('vozo', { kind: 'trickle', chunkBytes: 16 * 1024, delayMs: 200, endpoint: 'download' }, { downloadTimeLimitMinutes: 0.02 });
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({ status: 'succeeded', videoUrl: expect.any(String) });
		expect(messageOf(item.json)).toMatch(/did not finish within 1 s/);
	});

	it('a video larger than Max Download Size is not downloaded', async () => {
		sb.setOptions({ resultVideoBytes: 3 * 1024 * 1024 });
		const item = await download('joggai', null, { maxDownloadSizeMb: 1 });
		expect(item.binary).toBeUndefined();
		expect(messageOf(item.json)).toMatch(/3\.0 MB, more than Max Download Size \(1\.0 MB\)/);
	});
});

describe('a status that says success before the video URL is filled in', () => {
	it.each<Vendor>([...VENDORS])('%s: success without a URL, then the URL on the next poll → succeeded with the video', async (vendor) => {
		sb.setFault(vendor, { kind: 'urlLate', endpoint: 'status', times: 1 });
		const result = await runVendor(sb, vendor, { operation: 'createAndWait', inputItems: audioItems(1), options: { downloadVideo: true } });
		const [item] = result.output![0];
		expect(item.json).toMatchObject({ status: 'succeeded', videoUrl: expect.any(String) });
		expect(item.binary?.data).toBeDefined();
	});

	it('a success that never gets a readable URL is, after a few more polls, a row with its job id and the vendor\'s word — not failed', async () => {
		sb.setFault('vozo', { kind: 'urlLate', endpoint: 'status' });
		const [row] = jsonOf(await runVendor(sb, 'vozo', { operation: 'createAndWait', inputItems: audioItems(1) }));
		const [job] = sb.jobs.list('vozo');
		expect(row).toMatchObject({ jobId: job.id, status: 'processing', providerStatus: 'done', statusCheckError: expect.stringContaining('no video URL') });
		expect(row.error).toBeUndefined();
		expect(String(row.message)).toMatch(/finished \("done"\), but its answer has no video URL/);
	});
});

describe('run-size guard and output options', () => {
	it('an 11-item run with Max Jobs per Execution 10 fails before any request', async () => {
		const result = await runVendor(sb, 'joggai', { operation: 'createAndWait', inputItems: audioItems(11), options: { maxJobsPerExecution: 10 } });
		expect(result.error?.message).toContain('This run has 11 items, more than Max Jobs per Execution (10) allows — nothing was sent');
		expect(sb.log.entries()).toHaveLength(0);
	});

	it('the default guard is 500 items, and 0 means no limit', async () => {
		const many = audioItems(501);
		const guarded = await runVendor(sb, 'personate', { operation: 'create', inputItems: many });
		expect(guarded.error?.message).toContain('more than Max Jobs per Execution (500)');
		expect(sb.log.entries()).toHaveLength(0);
		const unlimited = await runVendor(sb, 'personate', { operation: 'create', inputItems: audioItems(3), options: { maxJobsPerExecution: 0 } });
		expect(jsonOf(unlimited)).toHaveLength(3);
	});

	it('Include Input Fields keeps each row\'s columns (job fields win on a clash), all or selected', async () => {
		const rows = [0, 1].map((i) => ({ json: { audio: audioFor(i), row_number: i + 2, status: 'pending', note: `n${i}` } }));
		const all = jsonOf(await runVendor(sb, 'joggai', { operation: 'createAndWait', inputItems: rows, options: { includeInputFields: 'all' } }));
		expect(all.map((r) => [r.row_number, r.note, r.status])).toEqual([[2, 'n0', 'succeeded'], [3, 'n1', 'succeeded']]);
		const picked = jsonOf(
			await runVendor(sb, 'joggai', {
				operation: 'createAndWait',
				inputItems: rows,
				options: { includeInputFields: 'selected', inputFieldsToInclude: 'row_number, missing' },
			}),
		);
		expect(picked.map((r) => r.row_number)).toEqual([2, 3]);
		expect(picked.every((r) => r.note === undefined && !('missing' in r))).toBe(true);
		const none = jsonOf(await runVendor(sb, 'joggai', { operation: 'createAndWait', inputItems: rows }));
		expect(none.every((r) => r.row_number === undefined)).toBe(true);
	});

	it('Simplify leaves out the vendor\'s raw body', async () => {
		const plain = jsonOf(await runVendor(sb, 'vozo', { operation: 'createAndWait', inputItems: audioItems(1), parameters: { simplify: false } }));
		expect(plain[0].raw).toEqual(expect.objectContaining({ status: 'done' }));
		const simple = jsonOf(await runVendor(sb, 'vozo', { operation: 'createAndWait', inputItems: audioItems(1), parameters: { simplify: true } }));
		expect(simple[0]).not.toHaveProperty('raw');
		expect(simple[0]).toMatchObject({ status: 'succeeded', jobId: expect.any(String) });
	});
});
