/** Vendor limits observed by the sandbox: Vozo's 10 running jobs, JoggAI's 20 POSTs a minute. */
import { startSandbox, type Sandbox } from '../sandbox';
import { call } from '../sandbox/testHelpers';
import { audioItems, FACE, jsonOf, runVendor } from './nodeKit';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 300, jitterMs: 0 });
});
afterEach(() => sb.reset());
afterAll(async () => await sb.close());

describe('Vozo: at most 10 running jobs per account', () => {
	it('runs 25 items without ever exceeding 10 running jobs, each created exactly once', async () => {
		const result = await runVendor(sb, 'vozo', { operation: 'createAndWait', inputItems: audioItems(25) });
		expect(result.error).toBeUndefined();
		const out = jsonOf(result);
		expect(out).toHaveLength(25);
		expect(out.every((j) => j.status === 'succeeded')).toBe(true);
		const stats = sb.jobs.stats('vozo');
		expect(stats.created).toBe(25);
		expect(stats.maxActive).toBeLessThanOrEqual(10);
		expect(stats.maxActive).toBeGreaterThanOrEqual(9);
		expect(sb.log.entries({ vendor: 'vozo', endpoint: 'create' }).filter((e) => e.statusCode !== 200)).toHaveLength(0);
	});

	it('Create (no wait) also queues items past the limit inside the node', async () => {
		const result = await runVendor(sb, 'vozo', { operation: 'create', inputItems: audioItems(12) });
		expect(result.error).toBeUndefined();
		expect(jsonOf(result).every((j) => typeof j.jobId === 'string')).toBe(true);
		expect(sb.jobs.stats('vozo')).toMatchObject({ created: 12 });
		expect(sb.jobs.stats('vozo').maxActive).toBeLessThanOrEqual(10);
	});

	it("keeps items pending when someone else's jobs fill the account (1304) and submits them later", async () => {
		sb.setOptions({ jobDurationMs: 1500 });
		for (let i = 0; i < 4; i++) {
			const created = await call(sb, 'vozo', '/v1/video_generation', {
				body: { reference_file_url: FACE, audio_url: `https://cdn.example.test/other-${i}.mp3`, model: 'standard_v1', reference_file_type: 'video' },
			});
			expect(created.status).toBe(200);
		}
		sb.setOptions({ jobDurationMs: 300 });
		const result = await runVendor(sb, 'vozo', { operation: 'createAndWait', inputItems: audioItems(10), options: { pollIntervalSeconds: 0.2 } });
		expect(result.error).toBeUndefined();
		expect(jsonOf(result).every((j) => j.status === 'succeeded')).toBe(true);
		const refused = sb.log.entries({ vendor: 'vozo', endpoint: 'create' }).filter((e) => e.statusCode === 400);
		expect(refused.length).toBeGreaterThan(0);
		expect(sb.jobs.stats('vozo').created).toBe(14);
		expect(sb.jobs.stats('vozo').maxActive).toBeLessThanOrEqual(10);
	});
});

describe('JoggAI: at most 20 POSTs per minute', () => {
	it('paces 21 submissions so that no 60-second window holds more than 20 and none is refused', async () => {
		const result = await runVendor(sb, 'joggai', { operation: 'create', inputItems: audioItems(21) });
		expect(result.error).toBeUndefined();
		expect(jsonOf(result).every((j) => typeof j.jobId === 'string')).toBe(true);
		const posts = sb.jobs.postTimes('joggai', sb.keys.joggai);
		expect(posts).toHaveLength(21);
		for (const t of posts) expect(posts.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(20);
		expect(posts[20] - posts[0]).toBeGreaterThanOrEqual(60_000);
		expect(sb.log.entries({ vendor: 'joggai', endpoint: 'create' }).every((e) => (e.responseBody as { code?: number })?.code === 0)).toBe(true);
	}, 90_000);
});
