/**
 * The Vozo node under the vendor's limit of 10 running jobs, observed by the sandbox. Sandbox jobs
 * here end only when the account is full (one at a time) or when every item exists, so the node
 * must hold items back however fast or slow the machine is. Rate limits per minute (JoggAI's 20
 * POSTs, Modellix's 100 requests) are proven on a virtual clock in test/adapters/limits.test.ts,
 * and in a real n8n on the real clock in test/e2e.
 */
import type { RunNodeResult } from '../harness';
import { startSandbox, type Sandbox } from '../sandbox';
import { call, sleep } from '../sandbox/testHelpers';
import { audioItems, FACE, jsonOf, runVendor } from './nodeKit';

const CAP = 10;
let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 60 * 60_000, jitterMs: 0 });
});
afterEach(() => sb.reset());
afterAll(async () => await sb.close());

/**
 * Ends one Vozo job whenever the account holds CAP of them (and `mayEnd()` says so), and every
 * job once `total` exist.
 */
async function endJobsWhenFull(run: Promise<RunNodeResult>, total: number, mayEnd = () => true): Promise<RunNodeResult> {
	let settled = false;
	void run.finally(() => {
		settled = true;
	});
	while (!settled) {
		const active = sb.jobs.list('vozo').filter((job) => job.phase === 'queued' || job.phase === 'processing');
		const full = active.length >= CAP && mayEnd();
		if (full || (sb.jobs.stats('vozo').created >= total && active.length > 0)) {
			sb.jobs.finish('vozo', active[0].id, 'succeeded');
		}
		await sleep(5);
	}
	return await run;
}

describe('Vozo: at most 10 running jobs per account', () => {
	it('runs 25 items without ever exceeding 10 running jobs, each created exactly once', async () => {
		const result = await endJobsWhenFull(runVendor(sb, 'vozo', { operation: 'createAndWait', inputItems: audioItems(25) }), 25);
		expect(result.error).toBeUndefined();
		const out = jsonOf(result);
		expect(out).toHaveLength(25);
		expect(out.every((j) => j.status === 'succeeded')).toBe(true);
		// The account was full (jobs end only then) and never over full, and the vendor refused nothing.
		expect(sb.jobs.stats('vozo')).toMatchObject({ created: 25, maxActive: CAP });
		expect(sb.log.entries({ vendor: 'vozo', endpoint: 'create' }).filter((e) => e.statusCode !== 200)).toHaveLength(0);
	});

	it('Create (no wait) also queues items past the limit inside the node', async () => {
		const result = await endJobsWhenFull(runVendor(sb, 'vozo', { operation: 'create', inputItems: audioItems(12) }), 12);
		expect(result.error).toBeUndefined();
		expect(jsonOf(result).every((j) => typeof j.jobId === 'string')).toBe(true);
		expect(sb.jobs.stats('vozo')).toMatchObject({ created: 12, maxActive: CAP });
		expect(sb.log.entries({ vendor: 'vozo', endpoint: 'create' }).filter((e) => e.statusCode !== 200)).toHaveLength(0);
	});

	it("keeps items pending when someone else's jobs fill the account (1304) and submits them later", async () => {
		for (let i = 0; i < 4; i++) {
			const created = await call(sb, 'vozo', '/v1/video_generation', {
				body: { reference_file_url: FACE, audio_url: `https://cdn.example.test/other-${i}.mp3`, model: 'standard_v1', reference_file_type: 'video' },
			});
			expect(created.status).toBe(200);
		}
		// The node knows nothing of the 4 other jobs: 6 of its creates fit, the 7th gets 1304 (no
		// job ends before that refusal).
		const refusedOnce = () => sb.log.entries({ vendor: 'vozo', endpoint: 'create' }).some((e) => e.statusCode === 400);
		const result = await endJobsWhenFull(runVendor(sb, 'vozo', { operation: 'createAndWait', inputItems: audioItems(10) }), 14, refusedOnce);
		expect(result.error).toBeUndefined();
		expect(jsonOf(result).every((j) => j.status === 'succeeded')).toBe(true);
		const refused = sb.log.entries({ vendor: 'vozo', endpoint: 'create' }).filter((e) => e.statusCode === 400);
		expect(refused.length).toBeGreaterThan(0);
		expect(refused.every((e) => (e.responseBody as { code?: string }).code === '1304')).toBe(true);
		expect(sb.jobs.stats('vozo')).toMatchObject({ created: 14, maxActive: CAP });
	});
});
