/** Validation, errors, Retry On Fail, cancellation and AI-tool mode, through the real WorkflowExecute. */
import { MAX_CONCURRENT_SUBMITS } from '../../nodes/shared/operations/submitAndWait';
import { waitFor } from '../sandbox/testHelpers';
import { audioItems, jsonOf, runVendor, useNodeSandbox, VENDOR_LIST } from './nodeKit';

const sb = useNodeSandbox();

const withBadAudio = () => {
	const items = audioItems(3);
	items[1] = { json: { audio: 'not a url' } };
	return items;
};

describe('validation happens before any request', () => {
	it.each(VENDOR_LIST)('%s: one invalid item stops the run with zero requests to the vendor', async (vendor) => {
		const result = await runVendor(sb, vendor, { operation: 'createAndWait', inputItems: withBadAudio() });
		expect(result.error).toBeDefined();
		expect(result.error?.context).toMatchObject({ itemIndex: 1 });
		expect(sb.log.entries()).toHaveLength(0);
	});

	it('with continue on fail, the invalid item becomes an error row and the others run', async () => {
		const result = await runVendor(sb, 'modellix', { operation: 'createAndWait', inputItems: withBadAudio(), continueOnFail: true });
		const out = jsonOf(result);
		expect(out).toHaveLength(3);
		expect(String(out[1].error)).toContain('"Audio URL"');
		expect(out[0].status).toBe('succeeded');
		expect(out[2].status).toBe('succeeded');
		expect(result.output![0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(sb.log.count({ vendor: 'modellix', endpoint: 'create' })).toBe(2);
	});

	it('an empty job id for Wait fails before any request', async () => {
		const result = await runVendor(sb, 'vozo', { operation: 'wait', inputItems: [{ json: { jobId: 'x' } }, { json: {} }] });
		expect(result.error?.message).toContain('Job ID is empty');
		expect(sb.log.entries()).toHaveLength(0);
	});
});

describe('errors say what to do and never show the key', () => {
	it.each(VENDOR_LIST)('%s: a wrong key is reported as an auth problem, key scrubbed', async (vendor) => {
		const badKey = 'sk-wrong-key-0123456789';
		const items = MAX_CONCURRENT_SUBMITS + 5;
		const result = await runVendor(sb, vendor, { operation: 'createAndWait', inputItems: audioItems(items), apiKey: badKey });
		const rows = jsonOf(result);
		expect(rows).toHaveLength(items);
		// A refusal of the account stops further submissions: only the first wave was sent.
		expect(sb.log.count({ vendor, endpoint: 'create' })).toBeLessThanOrEqual(MAX_CONCURRENT_SUBMITS);
		for (const row of rows) {
			expect(row.status).toBe('failed');
			const message = String(row.error);
			expect(message).toMatch(/API key is invalid|not authorized for the \w+ API|invalid or revoked API key/);
			expect(message).toMatch(/credential|API access/);
		}
		expect(JSON.stringify(result.run?.data ?? {})).not.toContain(badKey);
		expect(JSON.stringify(result.error ?? {})).not.toContain(badKey);
	});

	it('JoggAI out of credit says where to top up, with code and request id', async () => {
		sb.setOptions({ joggaiQuota: 0 });
		const result = await runVendor(sb, 'joggai', { operation: 'createAndWait', inputItems: audioItems(1) });
		const [row] = jsonOf(result);
		const message = String(row.error);
		expect(message).toMatch(/top up at https:\/\/app\.jogg\.ai/i);
		expect(message).toContain('code 18020');
		expect(message).toMatch(/request \S+/);
		expect(row.errorCode).toBe(18020);
	});

	it('an unknown job id fails Get with "not found" and the id', async () => {
		const result = await runVendor(sb, 'modellix', { operation: 'get', inputItems: [{ json: { jobId: 'no-such-job' } }], options: { onJobFailure: 'error' } });
		expect(result.error?.message).toContain('job not found');
		expect(result.error?.message).toContain('no-such-job');
	});
});

describe('Retry On Fail', () => {
	it('re-runs the node without submitting (and billing) the same items again', async () => {
		const result = await runVendor(sb, 'personate', {
			operation: 'createAndWait',
			inputItems: audioItems(3, (i) => i === 2),
			options: { onJobFailure: 'error' },
			retryOnFail: true,
			maxTries: 3,
			waitBetweenTries: 10,
		});
		expect(result.error?.message).toContain('the job failed');
		expect(result.runData[result.nodeName]).toHaveLength(1);
		// n8n ran execute 3 times (same run entry); the vendor saw 3 creates, not 9.
		expect(sb.log.count({ vendor: 'personate', endpoint: 'create' })).toBe(3);
		expect(sb.log.count({ vendor: 'personate', endpoint: 'status' })).toBeGreaterThan(3);
	});
});

describe('cancellation', () => {
	// How promptly a stop ends the wait is proven on the virtual clock (test/engine/waitForJobs.test.ts,
	// "stops within a second of the execution being cancelled") and in a real n8n on the real clock
	// (test/e2e/vendorNodes.e2e.test.ts, "stops a running wait promptly …").
	it('a stop ends a wait that nothing else would end, and still reports every submitted (paid) job with its id', async () => {
		sb.setFault('joggai', { kind: 'neverFinish' });
		const abort = new AbortController();
		const running = runVendor(sb, 'joggai', { operation: 'createAndWait', inputItems: audioItems(3), abortSignal: abort.signal });
		// All three jobs exist and are being waited for (the wait limit is JoggAI's default, an hour away).
		await waitFor(() => sb.log.count({ vendor: 'joggai', endpoint: 'status' }) >= 3 || undefined, 10_000);
		abort.abort();
		const result = await running;
		expect(result.executionStatus).toBe('canceled');
		expect(sb.log.count({ vendor: 'joggai', endpoint: 'create' })).toBe(3);
		const ids = sb.jobs.list('joggai').map((j) => j.id).sort();
		expect(jsonOf(result).map((j) => j.jobId).sort()).toEqual(ids);
		expect(jsonOf(result).every((j) => String(j.message).includes('execution was stopped'))).toBe(true);
	});
});

describe('as an AI tool', () => {
	it('returns "still running — check job X later", URLs and no binary instead of an error', async () => {
		sb.setFault('vozo', { kind: 'neverFinish', times: 1 });
		const result = await runVendor(sb, 'vozo', {
			typeName: 'n8n-nodes-lipsync.vozoTool',
			operation: 'createAndWait',
			inputItems: [{ json: { audio: 'https://cdn.example.test/a.mp3', toolCallId: 'call-1' } }, { json: { audio: 'https://cdn.example.test/b.mp3', toolCallId: 'call-1' } }],
			options: { waitLimitMinutes: 0.02, onTimeout: 'error', downloadVideo: true },
		});
		expect(result.error).toBeUndefined();
		const out = jsonOf(result);
		const stuck = out.find((j) => j.status !== 'succeeded')!;
		expect(stuck.message).toBe(`Still running — check job ${stuck.jobId} later with the Get operation.`);
		const done = out.find((j) => j.status === 'succeeded')!;
		expect(done.videoUrl).toEqual(expect.stringContaining('http'));
		expect(done.raw).toBeUndefined();
		expect(result.output![0].every((item) => item.binary === undefined)).toBe(true);
	});
});
