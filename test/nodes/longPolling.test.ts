/**
 * Long-polling in a real WorkflowExecute against the sandbox, for every registered vendor whose
 * adapter declares it (adapter.longPoll): a batch completes with far fewer status requests than
 * polling at Poll Interval would need, every request is the held one the adapter builds, and each
 * completion is seen by the read that was held open for it.
 */
import { VENDOR_MODULES } from '../../nodes/registry';
import type { Vendor } from '../sandbox';
import { useSandbox } from '../sandbox/useSandbox';
import { audioItems, jsonOf, runVendor } from './nodeKit';

const JOB_MS = 2_000;
const POLL_INTERVAL_MS = 500;
const BATCH = 10;

const LONG_POLL_VENDORS = VENDOR_MODULES.filter(({ adapter }) => adapter.longPoll).map(({ adapter }) => adapter);

const sb = useSandbox({ jobDurationMs: JOB_MS, jitterMs: 0 });

describe('long-polling status reads', () => {
	it.each(LONG_POLL_VENDORS.map((adapter) => [adapter.provider as Vendor, adapter] as const))(
		'%s: a batch of 10 completes with fewer status requests than jobs × (job time / Poll Interval), each one held, each completion seen by a held read',
		async (vendor, adapter) => {
			const result = await runVendor(sb, vendor, { operation: 'createAndWait', inputItems: audioItems(BATCH), options: { pollIntervalSeconds: POLL_INTERVAL_MS / 1000 } });
			expect(result.error).toBeUndefined();
			expect(jsonOf(result).map((row) => row.status)).toEqual(Array(BATCH).fill('succeeded'));

			const reads = sb.log.entries({ vendor, endpoint: 'status' });
			const gridReads = BATCH * (JOB_MS / POLL_INTERVAL_MS);
			process.stdout.write(`measured: ${vendor} ${reads.length} status reads for ${BATCH} jobs of ${JOB_MS} ms (Poll Interval ${POLL_INTERVAL_MS} ms: ${gridReads} on the grid)\n`);
			expect(reads.length).toBeLessThan(gridReads / 2);
			// Every read is the adapter's held one, asking for the vendor's longest hold (10 jobs fit the engine's open reads).
			const jobIds = sb.jobs.list(vendor).map((job) => job.id);
			for (const read of reads) {
				const jobId = jobIds.find((id) => read.path.includes(encodeURIComponent(id)))!;
				const held = adapter.longPoll!.statusRequest(jobId, adapter.longPoll!.maxHoldSeconds);
				expect(new URL(read.path, sb.url).searchParams.toString()).toBe(new URLSearchParams(held.qs as Record<string, string>).toString());
			}
			// The read that saw each job end was open before the job ended (held), not sent after it.
			for (const job of sb.jobs.list(vendor)) {
				const seen = reads.find((read) => read.path.includes(encodeURIComponent(job.id)) && read.time + read.durationMs >= job.completedAt!)!;
				expect(seen.time).toBeLessThan(job.completedAt!);
			}
		},
	);
});
