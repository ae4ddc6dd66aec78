import { packPackage, sleep, startN8n, waitFor, type N8nInstance } from './harness';
import { startSandbox, type Sandbox, type Vendor } from '../sandbox';
import {
	connect,
	createFields,
	CREDENTIAL_TYPES,
	latestExecutionId,
	manualTrigger,
	nodeItems,
	RUNNING_WORDS,
	sandboxCredentials,
	setNode,
	SUCCESS_WORD,
	VENDOR_LIST,
	vendorNode,
	webhookTrigger,
	workflow,
	type CredentialRefs,
	type RunItem,
} from './support/lipsync';

/**
 * The four vendor nodes in a real n8n 2.41 with the packed package, against the provider
 * sandbox: every operation through `n8n execute`, createAndWait through a published webhook
 * (execution data read back through the public API), every credential test through the
 * editor's endpoint, and a running wait stopped through n8n.
 */

// Padded result videos: a size no other file here has, so the binary metadata proves the download.
const RESULT_BYTES = 262_144;
const JOB_MS = 1_500;
const FAST_WAIT = { pollIntervalSeconds: 1, waitLimitMinutes: 2 };

describe('vendor nodes in a real n8n', () => {
	let sb: Sandbox;
	let n8n: N8nInstance;
	let credentials: CredentialRefs;

	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: JOB_MS, jitterMs: 0, resultVideoBytes: RESULT_BYTES });
		n8n = await startN8n({ packageTarball: await packPackage() });
		credentials = await sandboxCredentials(n8n, sb);
	});

	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
	});

	function expectVideoBinary(item: RunItem, property: string, vendor: Vendor, jobId: string) {
		const binary = item.binary?.[property];
		expect(binary).toBeDefined();
		expect(binary).toMatchObject({ mimeType: 'video/mp4', bytes: RESULT_BYTES, fileName: `${vendor}-${jobId}.mp4` });
		expect(binary!.fileSize).toBe('262 kB');
	}

	describe.each(VENDOR_LIST)('%s: create, get, wait and createAndWait through n8n execute', (vendor) => {
		it('outputs the normalized job at each step and the video as binary data', async () => {
			const wf = await n8n.importWorkflow(
				workflow(
					`e2e ${vendor}: all operations`,
					[
						manualTrigger(),
						setNode('Input', { videoUrl: 'https://example.com/face.mp4', audioUrl: 'https://example.com/voice.mp3' }),
						vendorNode(vendor, 'Create', { operation: 'create', ...createFields(vendor, '={{ $json.videoUrl }}', '={{ $json.audioUrl }}'), options: {} }, credentials),
						vendorNode(vendor, 'Get', { operation: 'get', jobId: '={{ $json.jobId }}', options: {} }, credentials),
						vendorNode(vendor, 'Wait', { operation: 'wait', jobId: '={{ $json.jobId }}', options: { ...FAST_WAIT, downloadVideo: true } }, credentials),
						vendorNode(
							vendor,
							'Create and Wait',
							{
								operation: 'createAndWait',
								...createFields(vendor, '={{ $json.videoUrl }}', '={{ $json.audioUrl }}'),
								options: { ...FAST_WAIT, downloadVideo: true, binaryPropertyName: 'video' },
							},
							credentials,
						),
					],
					connect(['Start', 'Input'], ['Input', 'Create'], ['Create', 'Get'], ['Get', 'Wait'], ['Input', 'Create and Wait']),
				),
			);
			sb.log.clear();

			const run = await n8n.execute(wf.id);

			expect(run.error).toBeUndefined();
			expect(run.exitCode).toBe(0);
			const data = run.run.data;

			const [created] = nodeItems(data, 'Create');
			expect(created.json).toMatchObject({ provider: vendor, status: expect.stringMatching(/^(queued|processing)$/) });
			const jobId = created.json.jobId as string;
			expect(sb.jobs.get(vendor, jobId)).toBeDefined();

			const [got] = nodeItems(data, 'Get');
			expect(got.json).toMatchObject({ provider: vendor, jobId, status: expect.stringMatching(/^(queued|processing)$/) });
			expect(RUNNING_WORDS[vendor]).toContain(got.json.providerStatus);
			expect(got.binary).toBeUndefined();

			const waited = nodeItems(data, 'Wait');
			expect(waited).toHaveLength(1);
			expect(waited[0].json).toMatchObject({
				provider: vendor,
				jobId,
				status: 'succeeded',
				providerStatus: SUCCESS_WORD[vendor],
				videoUrl: expect.stringContaining(`/${vendor}/results/${jobId}.mp4?token=`),
			});
			expect(waited[0].json.raw).toEqual(expect.any(Object));
			expect(waited[0].pairedItem).toEqual({ item: 0 });
			expectVideoBinary(waited[0], 'data', vendor, jobId);

			const [both] = nodeItems(data, 'Create and Wait');
			const otherJobId = both.json.jobId as string;
			expect(otherJobId).not.toBe(jobId);
			expect(both.json).toMatchObject({ provider: vendor, status: 'succeeded', providerStatus: SUCCESS_WORD[vendor] });
			expectVideoBinary(both, 'video', vendor, otherJobId);

			// Two paid creates (Create, Create and Wait), never more; both videos were fetched.
			expect(sb.log.count({ vendor, endpoint: 'create' })).toBe(2);
			expect(sb.log.entries({ vendor, endpoint: 'download' }).filter((e) => e.statusCode === 200)).toHaveLength(2);
		});
	});

	it('runs createAndWait of every vendor from a published webhook; the public API shows jobs and binaries', async () => {
		const vendorNodes = VENDOR_LIST.map((vendor) =>
			vendorNode(
				vendor,
				`${vendor} video`,
				{ operation: 'createAndWait', ...createFields(vendor, '={{ $json.body.video }}', '={{ $json.body.audio }}'), options: { ...FAST_WAIT, downloadVideo: true } },
				credentials,
			),
		);
		const wf = await n8n.importWorkflow(
			workflow(
				'e2e: webhook → every vendor',
				[webhookTrigger('Webhook', 'e2e-vendors-webhook-0001', 'lipsync-all-vendors'), ...vendorNodes],
				connect(...VENDOR_LIST.map((vendor): [string, string] => ['Webhook', `${vendor} video`])),
			),
		);
		await n8n.publish(wf.id);
		const before = await latestExecutionId(n8n, wf.id);

		const res = await n8n.webhook('webhook/lipsync-all-vendors', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ video: 'https://example.com/webhook-face.mp4', audio: 'https://example.com/webhook-voice.wav' }),
		});
		expect(res.status).toBe(200);
		await res.arrayBuffer();

		const execution = await n8n.waitForExecution({ workflowId: wf.id, newerThan: before, timeoutMs: 90_000 });
		expect(execution).toMatchObject({ mode: 'webhook', status: 'success' });
		for (const vendor of VENDOR_LIST) {
			const [item] = nodeItems(execution.data, `${vendor} video`);
			expect(item.json).toMatchObject({ provider: vendor, status: 'succeeded', providerStatus: SUCCESS_WORD[vendor] });
			const job = sb.jobs.get(vendor, item.json.jobId);
			// The webhook's body reached the vendor as the job's input.
			expect(JSON.stringify(job?.input)).toContain('https://example.com/webhook-face.mp4');
			expectVideoBinary(item, 'data', vendor, item.json.jobId);
		}
		await n8n.api('POST', `/workflows/${wf.id}/deactivate`, {});
	});

	describe.each(VENDOR_LIST)('%s credential test through POST /rest/credentials/test', (vendor) => {
		const test = (apiKey: string) =>
			n8n.rest<{ status: string; message: string }>('POST', '/credentials/test', {
				credentials: {
					id: '',
					name: `${vendor} credential test`,
					type: CREDENTIAL_TYPES[vendor],
					data: { apiKey, baseUrl: sb.baseUrl(vendor) },
				},
			});

		it('accepts the good key and rejects a bad one, asking the vendor each time', async () => {
			sb.log.clear();
			const good = await test(sb.keys[vendor]);
			expect(good).toMatchObject({ status: 'OK' });
			const askedWithGood = sb.log.entries({ vendor }).length;
			expect(askedWithGood).toBeGreaterThan(0);

			const bad = await test(`wrong-${vendor}-key`);
			expect(bad.status).toBe('Error');
			expect(bad.message).toEqual(expect.any(String));
			expect(bad.message).not.toContain(`wrong-${vendor}-key`);
			expect(sb.log.entries({ vendor }).length).toBeGreaterThan(askedWithGood);
		});
	});

	it('stops a running wait promptly when the execution is stopped through n8n', async () => {
		sb.setFault('vozo', { kind: 'neverFinish' });
		try {
			const wf = await n8n.importWorkflow(
				workflow(
					'e2e: stop a long wait',
					[
						webhookTrigger('Webhook', 'e2e-stop-webhook-0001', 'lipsync-long-wait'),
						vendorNode(
							'vozo',
							'Long Wait',
							{
								operation: 'createAndWait',
								...createFields('vozo', 'https://example.com/long-face.mp4', 'https://example.com/long-voice.mp3'),
								options: { pollIntervalSeconds: 1, waitLimitMinutes: 30 },
							},
							credentials,
						),
					],
					connect(['Webhook', 'Long Wait']),
				),
			);
			await n8n.publish(wf.id);
			sb.log.clear();
			const res = await n8n.webhook('webhook/lipsync-long-wait', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
			expect(res.status).toBe(200);
			await res.arrayBuffer();

			// Running and polling: a few status calls went out.
			await waitFor('the wait to poll the sandbox', async () => (sb.log.count({ vendor: 'vozo', endpoint: 'status' }) >= 2 ? true : undefined), {
				timeoutMs: 60_000,
			});
			const running = await waitFor(
				'the running execution',
				async () => (await n8n.executions({ workflowId: wf.id, status: 'running' }))[0],
				{ timeoutMs: 30_000 },
			);

			const pollsBeforeStop = sb.log.count({ vendor: 'vozo', endpoint: 'status' });
			const stoppedAt = Date.now();
			await n8n.rest('POST', `/executions/${running.id}/stop`);
			const ended = await n8n.waitForExecution({ workflowId: wf.id, status: ['canceled', 'success', 'error', 'crashed'], timeoutMs: 15_000 });
			const tookMs = Date.now() - stoppedAt;

			expect(ended.id).toBe(running.id);
			expect(ended.status).toBe('canceled');
			expect(tookMs).toBeLessThan(5_000);
			// At most the poll already due when the stop arrived; then silence.
			const pollsAtEnd = sb.log.count({ vendor: 'vozo', endpoint: 'status' });
			expect(pollsAtEnd - pollsBeforeStop).toBeLessThanOrEqual(1);
			await sleep(3_000);
			expect(sb.log.count({ vendor: 'vozo', endpoint: 'status' })).toBe(pollsAtEnd);
			// The sandbox never finished the job: the stop, not the job, ended the wait.
			const longJobs = sb.jobs.list('vozo').filter((job) => JSON.stringify(job.input).includes('long-face'));
			expect(longJobs.map((job) => job.phase)).toEqual(['processing']);
			await n8n.api('POST', `/workflows/${wf.id}/deactivate`, {});
		} finally {
			sb.setFault('vozo', null);
		}
	});
});
