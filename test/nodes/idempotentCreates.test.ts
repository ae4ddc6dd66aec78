/**
 * Idempotent creates through the real node in n8n-core's WorkflowExecute, against the sandbox's
 * sync.so (its Idempotency-Key: test/sandbox/vendors/syncsoIdempotency.ts): a create whose answer
 * is lost is sent again with the same key and billed once, and n8n's Retry On Fail resends the
 * same request under the same key. Every vendor that declares the capability is covered.
 */
import { VENDOR_MODULES } from '../../nodes/registry';
import { defaultEngineDeps } from '../../nodes/shared/transport';
import { useQuickRetries } from '../harness';
import type { Vendor } from '../sandbox';
import { audioItems, jsonOf, runVendor, useNodeSandbox, VENDOR_SETUP } from './nodeKit';

useQuickRetries();
const sb = useNodeSandbox();

const KEYED: Vendor[] = VENDOR_MODULES.filter((module) => module.adapter.idempotentCreates).map((module) => module.adapter.provider as Vendor);
const headerOf = (vendor: Vendor) => VENDOR_MODULES.find((module) => module.adapter.provider === vendor)!.adapter.idempotentCreates!.header.toLowerCase();

/** The keys the vendor's creates carried, in order, and the generations each key made. */
function keysAndJobs(vendor: Vendor) {
	const keys = sb.log.entries({ vendor, endpoint: 'create' }).map((entry) => entry.headers[headerOf(vendor)]);
	const jobsFor = (key: string) => sb.jobs.list(vendor).filter((job) => job.meta.idempotencyKey === key);
	return { keys, jobsFor };
}

/** The audio URL carries the time of evaluation: different on every try of the node. */
const AUDIO_WITH_NOW = '={{ $json.audio }}?t={{ $now.toMillis() }}';

describe.each(KEYED)('%s: idempotent creates', (vendor) => {
	it('a lost create answer (reset after the generation was made) is resent with the same key and billed once; the row has that job', async () => {
		sb.setFault(vendor, { kind: 'reset', endpoint: 'create', createdFirst: true, times: 1, matchBody: 'voice-1' });
		const result = await runVendor(sb, vendor, { operation: 'createAndWait', inputItems: audioItems(3) });
		expect(result.error).toBeUndefined();
		const { keys, jobsFor } = keysAndJobs(vendor);
		expect(keys).toHaveLength(4);
		expect(new Set(keys).size).toBe(3);
		const lostKey = sb.log.entries({ vendor, endpoint: 'create' }).find((entry) => entry.statusCode === 0)!.headers[headerOf(vendor)];
		expect(keys.filter((key) => key === lostKey)).toHaveLength(2);
		const [job] = jobsFor(lostKey);
		expect(jobsFor(lostKey)).toHaveLength(1);
		expect(sb.jobs.list(vendor)).toHaveLength(3);
		const rows = jsonOf(result);
		expect(rows[1]).toMatchObject({ jobId: job.id, status: 'succeeded' });
		expect(rows.every((row) => row.maybeCreated === undefined)).toBe(true);
	});

	it('a 503 IDEMPOTENCY_OUTCOME_UNKNOWN naming the generation is followed by polling it: one create, one generation, succeeded', async () => {
		sb.setFault(vendor, { kind: 'idempotencyOutcomeUnknown', endpoint: 'create', createdFirst: true, times: 1 });
		const result = await runVendor(sb, vendor, { operation: 'createAndWait', inputItems: audioItems(1) });
		expect(result.error).toBeUndefined();
		expect(sb.log.count({ vendor, endpoint: 'create' })).toBe(1);
		const [job] = sb.jobs.list(vendor);
		expect(sb.jobs.list(vendor)).toHaveLength(1);
		expect(jsonOf(result)[0]).toMatchObject({ jobId: job.id, status: 'succeeded' });
	});

	it('Retry On Fail reuses the key: a create still unanswered after the node\'s tries is resent by n8n\'s retry with the same key and request, billed once', async () => {
		const { attempts } = defaultEngineDeps.retry;
		// Every try of the node's first run loses its answer; n8n's retry of the node then gets through.
		sb.setFault(vendor, { kind: 'reset', endpoint: 'create', createdFirst: true, times: attempts });
		const result = await runVendor(sb, vendor, {
			operation: 'createAndWait',
			inputItems: audioItems(1),
			parameters: { ...VENDOR_SETUP[vendor].createParameters, audioUrl: AUDIO_WITH_NOW },
			options: { onJobFailure: 'error' },
			retryOnFail: true,
			maxTries: 2,
			waitBetweenTries: 10,
		});
		expect(result.error).toBeUndefined();
		const creates = sb.log.entries({ vendor, endpoint: 'create' });
		expect(creates).toHaveLength(attempts + 1);
		const { keys, jobsFor } = keysAndJobs(vendor);
		expect(new Set(keys).size).toBe(1);
		// The same request each time, though `{{ $now }}` reads differently on the retry.
		expect(new Set(creates.map((entry) => JSON.stringify(entry.requestBody))).size).toBe(1);
		expect(jobsFor(keys[0])).toHaveLength(1);
		expect(jsonOf(result)[0]).toMatchObject({ jobId: jobsFor(keys[0])[0].id, status: 'succeeded' });
	});
});
