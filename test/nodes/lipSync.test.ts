/**
 * The Lip Sync node in n8n-core's real WorkflowExecute against the sandbox: rows of several
 * vendors in one run, fallback only when a vendor definitely made nothing, refusals before
 * anything is sent, and one Wait over a mixed batch.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { LipSync } from '../../nodes/LipSync/LipSync.node';
import { makeBinaryInputItem, runNode, useQuickRetries, type RunNodeOptions } from '../harness';
import { startSandbox, type Sandbox, type Vendor } from '../sandbox';
import { audioFor, FACE, FAILING_AUDIO, FAST, JOB_MS, jsonOf, VENDOR_LIST, VENDOR_SETUP } from './nodeKit';

useQuickRetries();
let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: JOB_MS, jitterMs: 0 });
});
afterEach(() => sb.reset());
afterAll(async () => await sb.close());

const SAMPLE_VIDEO = path.join(__dirname, '..', 'sandbox', 'fixtures', 'sample.mp4');

const rowsFor = (vendors: Vendor[]): INodeExecutionData[] => vendors.map((vendor, i) => ({ json: { vendor, audio: audioFor(i) } }));

interface LipSyncRun extends Partial<RunNodeOptions> {
	operation: 'create' | 'createAndWait' | 'get' | 'wait';
	/** Vendors whose credential is set (default: all). */
	withCredentials?: Vendor[];
	fallbacks?: Vendor[];
	extra?: INodeParameters;
}

async function runLipSync(run: LipSyncRun) {
	const { operation, withCredentials = VENDOR_LIST, fallbacks = [], extra, ...rest } = run;
	return await runNode({
		nodeType: new LipSync(),
		credentials: Object.fromEntries(
			withCredentials.map((v) => [VENDOR_SETUP[v].credentialName, { apiKey: sb.keys[v], baseUrl: sb.baseUrl(v) }]),
		),
		credentialTypes: VENDOR_LIST.map((v) => VENDOR_SETUP[v].credentialType()),
		parameters: {
			operation,
			vendor: '={{ $json.vendor }}',
			faceSource: 'videoUrl',
			faceUrl: FACE,
			audioUrl: '={{ $json.audio }}',
			fallbackVendors: { fallback: fallbacks.map((vendor) => ({ vendor })) },
			options: { ...FAST },
			...extra,
		},
		...rest,
	});
}

const creates = (vendor: Vendor) => sb.log.count({ vendor, endpoint: 'create' });

describe('Lip Sync node: one run, several vendors', () => {
	it('a mixed batch over every registered vendor: every row made by its own vendor, one create per row', async () => {
		const vendors = VENDOR_LIST.flatMap((v) => [v, v, v]);
		const result = await runLipSync({ operation: 'createAndWait', inputItems: rowsFor(vendors) });
		expect(result.error).toBeUndefined();
		const out = jsonOf(result);
		expect(out.map((row) => [row.provider, row.status])).toEqual(vendors.map((v) => [v, 'succeeded']));
		expect(result.output![0].map((item) => item.pairedItem)).toEqual(vendors.map((_, item) => ({ item })));
		for (const vendor of VENDOR_LIST) expect(creates(vendor)).toBe(3);
	});

	it('the primary out of credit: every row made by the fallback, one create at the primary per row, attempts say why', async () => {
		sb.setOptions({ joggaiQuota: 0 });
		const result = await runLipSync({ operation: 'createAndWait', inputItems: rowsFor(['joggai', 'joggai', 'joggai', 'joggai']), fallbacks: ['vozo'] });
		expect(result.error).toBeUndefined();
		const out = jsonOf(result);
		expect(out.map((row) => [row.provider, row.status])).toEqual(Array(4).fill(['vozo', 'succeeded']));
		expect(creates('joggai')).toBe(4);
		expect(creates('vozo')).toBe(4);
		for (const row of out) expect(String(row.attempts)).toMatch(/^joggai: refused \(18020\) — /);
	});

	it('a 5xx on the primary\'s create: that row stays maybeCreated with the primary, nothing is sent to the fallback for it', async () => {
		sb.setFault('joggai', { kind: 'serverError', endpoint: 'create', times: 1 });
		const result = await runLipSync({ operation: 'createAndWait', inputItems: rowsFor(['joggai', 'joggai']), fallbacks: ['vozo'] });
		expect(result.error).toBeUndefined();
		const out = jsonOf(result);
		const uncertain = out.filter((row) => row.maybeCreated === true);
		expect(uncertain).toHaveLength(1);
		expect(uncertain[0]).toMatchObject({ provider: 'joggai', status: 'unknown' });
		expect(uncertain[0].attempts).toBeUndefined();
		expect(creates('joggai')).toBe(2);
		expect(creates('vozo')).toBe(0);
	});

	it('a row whose vendor (picked by an expression) has no credential: the run is refused before any request, naming the item and the vendor', async () => {
		const result = await runLipSync({
			operation: 'createAndWait',
			inputItems: rowsFor(['joggai', 'vozo']),
			withCredentials: ['joggai', 'personate', 'modellix'],
		});
		expect(result.error?.message).toMatch(/^Item 1: the row's vendor is Vozo, but no Vozo credential is set in this node/);
		expect(sb.log.count()).toBe(0);
	});

	it('one Wait over a mixed batch of job ids waits for every vendor\'s jobs', async () => {
		const created = await runLipSync({ operation: 'create', inputItems: rowsFor(VENDOR_LIST) });
		expect(created.error).toBeUndefined();
		const jobs = jsonOf(created).map((row): IDataObject => ({ provider: row.provider, jobId: row.jobId }));
		expect(jobs.map((job) => job.provider)).toEqual(VENDOR_LIST);
		const waited = await runLipSync({ operation: 'wait', inputItems: jobs.map((json) => ({ json })) });
		expect(waited.error).toBeUndefined();
		expect(jsonOf(waited).map((row) => [row.provider, row.jobId, row.status])).toEqual(jobs.map((job) => [job.provider, job.jobId, 'succeeded']));
	});

	it('a photo for a vendor that takes only video: the row goes to the fallback before anything is sent to the first vendor', async () => {
		const result = await runLipSync({
			operation: 'createAndWait',
			inputItems: rowsFor(['personate', 'personate']),
			fallbacks: ['vozo'],
			extra: { faceSource: 'imageUrl', faceUrl: 'https://cdn.example.test/face.jpg' },
		});
		expect(result.error).toBeUndefined();
		const out = jsonOf(result);
		expect(out.map((row) => [row.provider, row.status])).toEqual([['vozo', 'succeeded'], ['vozo', 'succeeded']]);
		expect(out[0].attempts).toBe('personate: refused (input) — Personate takes a video of the face, not a photo');
		expect(sb.log.count({ vendor: 'personate' })).toBe(0);
		expect(sb.jobs.list('vozo').map((job) => job.inputUrls.includes('https://cdn.example.test/face.jpg'))).toEqual([true, true]);
	});

	it('a fallback vendor without a credential refuses the run before any request, naming it', async () => {
		const result = await runLipSync({ operation: 'createAndWait', inputItems: rowsFor(['joggai']), fallbacks: ['vozo'], withCredentials: ['joggai'] });
		expect(result.error?.message).toBe('Fallback Vendors: no Vozo credential is set in this node — choose one under "Vozo Credential" — nothing was sent');
		expect(sb.log.count()).toBe(0);
	});

	it('with Simplify off, attempts is a list of (vendor, outcome, code, message) and error stays an object', async () => {
		sb.setOptions({ joggaiQuota: 0 });
		const result = await runLipSync({ operation: 'createAndWait', inputItems: rowsFor(['joggai', 'joggai']), fallbacks: ['vozo'], extra: { simplify: false } });
		const out = jsonOf(result);
		expect(out[0]).toMatchObject({ provider: 'vozo', status: 'succeeded', attempts: [{ vendor: 'joggai', outcome: 'refused', code: 18020, message: expect.any(String) }] });
		const alone = await runLipSync({ operation: 'createAndWait', inputItems: rowsFor(['joggai']), extra: { simplify: false } });
		expect(jsonOf(alone)[0]).toMatchObject({ provider: 'joggai', status: 'failed', error: { code: 18020, message: expect.any(String) } });
	});

	it("a binary face reaches the row's vendor through the core fields: JoggAI uploads the item's file and lip-syncs it", async () => {
		const item = await makeBinaryInputItem({ vendor: 'joggai', audio: audioFor(0) }, { buffer: readFileSync(SAMPLE_VIDEO), mimeType: 'video/mp4', fileName: 'face.mp4' });
		const result = await runLipSync({ operation: 'createAndWait', inputItems: [item], extra: { faceSource: 'binary', faceBinaryProperty: 'data' } });
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)[0]).toMatchObject({ provider: 'joggai', status: 'succeeded' });
		expect(sb.log.count({ vendor: 'joggai', endpoint: 'upload-put' })).toBe(1);
		const create = sb.log.entries({ vendor: 'joggai', endpoint: 'create' })[0];
		expect(String((create.requestBody as { video_url: string }).video_url)).toContain('/joggai/');
	});

	it('a job that failed at the vendor stays failed; with "Fall Back When a Job Fails" the next vendor makes the row again', async () => {
		const failing: INodeExecutionData[] = [{ json: { vendor: 'joggai', audio: FAILING_AUDIO } }];
		const kept = await runLipSync({ operation: 'createAndWait', inputItems: failing, fallbacks: ['vozo'] });
		expect(jsonOf(kept)[0]).toMatchObject({ provider: 'joggai', status: 'failed' });
		expect(creates('vozo')).toBe(0);
		sb.reset();
		const moved = await runLipSync({ operation: 'createAndWait', inputItems: failing, fallbacks: ['vozo'], extra: { options: { ...FAST, fallBackOnJobFailure: true } } });
		const [row] = jsonOf(moved);
		expect(row.provider).toBe('vozo');
		expect(String(row.attempts)).toMatch(/^joggai: jobFailed/);
		expect([creates('joggai'), creates('vozo')]).toEqual([1, 1]);
	});

	it("one wait limit for the node run: a row refused by its primary until the limit passed is not created at the fallback with a new limit", async () => {
		sb.setFault('joggai', { kind: 'rateLimit', endpoint: 'create', retryAfterSeconds: 1 });
		const result = await runLipSync({
			operation: 'createAndWait',
			inputItems: rowsFor(['joggai']),
			fallbacks: ['vozo'],
			extra: { options: { ...FAST, waitLimitMinutes: 0.04 } },
		});
		const [row] = jsonOf(result);
		expect(creates('joggai')).toBeGreaterThan(1);
		expect(creates('vozo')).toBe(0);
		expect(row.jobId ?? null).toBeNull();
		expect(row).toMatchObject({ provider: 'vozo', status: 'failed', attempts: 'joggai: notSent (429) — rate limit exceeded' });
		expect(String(row.error)).toMatch(/until the wait limit, so nothing was created/);
	});

	it("a vendor's own setting reaches its create request, and an unset one keeps the vendor's default", async () => {
		const result = await runLipSync({ operation: 'create', inputItems: rowsFor(['joggai', 'vozo']), extra: { joggaiSettings: { playbackType: 'normal_reverse' } } });
		expect(result.error).toBeUndefined();
		const [joggai] = sb.log.entries({ vendor: 'joggai', endpoint: 'create' });
		expect(joggai.requestBody).toMatchObject({ playback_type: 'normal_reverse' });
		const [vozo] = sb.log.entries({ vendor: 'vozo', endpoint: 'create' });
		expect(JSON.stringify(vozo.requestBody)).toContain('standard_v1');
	});
});
