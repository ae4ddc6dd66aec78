/**
 * Vozo Create and Wait with Wait By "Vendor Callback", through n8n-core: the execution side in
 * the real WorkflowExecute (harness), the resume side in n8n-core's real WebhookContext over the
 * persisted waiting run (resumeWebhookKit). Resuming the execution itself, and the wait limit
 * passing, are n8n server behaviour: test/e2e/callbackWait.e2e.test.ts.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { Vozo } from '../../nodes/Vozo/Vozo.node';
import { readBinary, type RunNodeResult } from '../harness';
import { FIXTURE } from '../sandbox';
import { startReceiver, waitFor } from '../sandbox/testHelpers';
import { audioItems, FAILING_AUDIO, jsonOf, runVendor, useNodeSandbox, VENDOR_SETUP } from './nodeKit';
import { deliverCallback } from './resumeWebhookKit';

const sb = useNodeSandbox();

const CALLBACK = { waitBy: 'callback' };
const MINUTE = 60_000;
/** The node refuses resume URLs Vozo cannot reach (test/nodes/reachableUrls.test.ts): n8n looks public here. */
const PUBLIC_N8N = 'https://n8n.example.test';

async function park(options: IDataObject = { waitLimitMinutes: 5 }, extra: Partial<Parameters<typeof runVendor>[2]> = {}) {
	return await runVendor(sb, 'vozo', {
		operation: 'createAndWait',
		parameters: CALLBACK,
		options,
		inputItems: audioItems(1),
		instanceBaseUrl: PUBLIC_N8N,
		...extra,
	});
}

const parkedJobId = (result: RunNodeResult) => String(result.output![0][0].json.jobId);

function deliver(parked: RunNodeResult, body: unknown, options: IDataObject = {}, apiKey = sb.keys.vozo, method = 'POST') {
	return deliverCallback({
		parked,
		parameters: { operation: 'createAndWait', ...VENDOR_SETUP.vozo.createParameters, ...CALLBACK, options },
		credentials: { vozoApi: { apiKey, baseUrl: sb.baseUrl('vozo') } },
		body,
		method,
	});
}

describe('the node description', () => {
	const { description } = new Vozo();
	const waitBy = description.properties.find((p) => p.name === 'waitBy')!;
	const options = description.properties.find((p) => p.name === 'options')!.options as INodeProperties[];

	it('offers Wait By (polling by default, or the vendor callback) for Create and Wait only', () => {
		expect(waitBy).toMatchObject({ type: 'options', default: 'polling', displayOptions: { show: { operation: ['createAndWait'] } } });
		expect(waitBy.options!.map((o) => ('value' in o ? o.value : undefined))).toEqual(['polling', 'callback']);
		expect(JSON.stringify(waitBy.options)).toContain('frees the execution while Vozo renders');
	});

	it('hides the options that only mean something while polling', () => {
		for (const name of ['pollIntervalSeconds', 'onTimeout', 'onJobFailure']) {
			expect(options.find((o) => o.name === name)?.displayOptions?.hide).toEqual({ '/waitBy': ['callback'] });
		}
		for (const name of ['waitLimitMinutes', 'downloadVideo', 'binaryPropertyName']) {
			expect(options.find((o) => o.name === name)?.displayOptions?.hide).toBeUndefined();
		}
	});

	it("has the one webhook n8n's waiting-webhook lookup resumes a parked execution with, and nothing to register on activation", () => {
		// n8n 2.41's WaitingWebhooks picks, for a request to `/webhook-waiting/<id>` (no suffix), the
		// node's webhook with the request's method, path '', restartWebhook true and not a form.
		// Activation registers only webhooks that are not restart webhooks.
		const resumes = (method: string) =>
			(description.webhooks ?? []).filter(
				(w) => w.httpMethod === method && w.path === '' && w.restartWebhook === true && w.nodeType !== 'form',
			);
		expect(resumes('POST')).toHaveLength(1);
		expect(resumes('POST')[0]).toMatchObject({ name: 'default', responseMode: 'onReceived' });
		expect((description.webhooks ?? []).filter((w) => w.restartWebhook !== true)).toEqual([]);
	});
});

describe('parking the execution', () => {
	it('creates one job whose callback is the resume URL, verbatim, and waits until the wait limit', async () => {
		const before = Date.now();
		const result = await park({ waitLimitMinutes: 5 });
		expect(result.error).toBeUndefined();
		expect(result.executionStatus).toBe('waiting');
		expect(result.waitTill!.getTime()).toBeGreaterThanOrEqual(before + 5 * MINUTE);
		expect(result.waitTill!.getTime()).toBeLessThanOrEqual(Date.now() + 5 * MINUTE);

		const creates = sb.log.entries({ vendor: 'vozo', endpoint: 'create' });
		expect(creates).toHaveLength(1);
		expect(result.resumeUrl).toMatch(/\/webhook-waiting\/\d+\?signature=\S+$/);
		expect((creates[0].requestBody as IDataObject).callback_url).toBe(result.resumeUrl);
		expect(sb.log.count({ vendor: 'vozo', endpoint: 'status' })).toBe(0);

		const [job] = sb.jobs.list('vozo');
		expect(result.output![0]).toEqual([
			{ json: expect.objectContaining({ provider: 'vozo', jobId: job.id, status: 'queued' }), pairedItem: { item: 0 } },
		]);
		// Custom execution data: persisted with the waiting execution, filterable in the list.
		expect(result.run!.data.resultData.metadata).toMatchObject({ lipsyncJobId: job.id, lipsyncProvider: 'vozo' });
	});

	it('leaves the still-running job as its input: what n8n passes on when the wait limit passes', async () => {
		const result = await park();
		const [entry] = result.run!.data.executionData!.nodeExecutionStack;
		expect(entry.node.name).toBe(result.nodeName);
		expect(entry.data.main[0]).toEqual([
			{
				json: expect.objectContaining({
					provider: 'vozo',
					jobId: parkedJobId(result),
					status: 'processing',
					message: expect.stringContaining('within the wait limit'),
				}),
				pairedItem: { item: 0 },
			},
		]);
		// The upstream node's output is untouched.
		expect(result.runData['Harness Input'][0].data!.main[0]![0].json).toEqual(audioItems(1)[0].json);
	});

	it("waits Vozo's default wait limit when none is set", async () => {
		const before = Date.now();
		const result = await park({});
		expect(result.waitTill!.getTime()).toBeGreaterThanOrEqual(before + 150 * MINUTE);
		expect(result.waitTill!.getTime()).toBeLessThanOrEqual(Date.now() + 150 * MINUTE);
	});

	it('refuses more than one item before sending anything, saying how to split them', async () => {
		const result = await park(undefined, { inputItems: audioItems(3) });
		expect(result.executionStatus).toBe('error');
		expect(result.error).toMatchObject({ name: 'NodeOperationError', message: expect.stringContaining('received 3 items') });
		expect(result.error!.description).toMatch(/Loop Over Items node \(batch size 1\)/);
		expect(result.error!.description).toMatch(/sub-workflow/);
		expect(sb.log.entries()).toHaveLength(0);
	});

	it('validates the item before sending anything', async () => {
		const result = await park(undefined, { inputItems: [{ json: { audio: 'not a url' } }] });
		expect(result.executionStatus).toBe('error');
		expect(result.error?.message).toMatch(/Audio URL/);
		expect(sb.log.entries()).toHaveLength(0);
	});

	it('drops a Callback URL left in the options (hidden in callback mode): the job has one callback and it is the resume URL', async () => {
		const result = await park({ waitLimitMinutes: 5, callbackUrl: 'https://hooks.example.test/vozo' });
		expect(result.executionStatus).toBe('waiting');
		const [create] = sb.log.entries({ vendor: 'vozo', endpoint: 'create' });
		expect((create.requestBody as IDataObject).callback_url).toBe(result.resumeUrl);
	});

	it('writes the job ledger as polling does: "create sent" logged before the create leaves, then the job id in the log and in custom data', async () => {
		const lines: Array<{ level: string; message: string; createsSeen: number }> = [];
		const logger = Container.get(Logger);
		for (const level of ['info', 'warn'] as const) {
			jest.spyOn(logger, level).mockImplementation((...args) => {
				const message = String(args[0]);
				if (message.startsWith('lipsync job')) lines.push({ level, message, createsSeen: sb.log.count({ vendor: 'vozo', endpoint: 'create' }) });
			});
		}
		try {
			const result = await park();
			const [job] = sb.jobs.list('vozo');
			expect(lines.map((l) => [l.message.replace(/ \(node .*$/, ''), l.createsSeen])).toEqual([
				['lipsync job create sent: vozo item 0', 0],
				[`lipsync job submitted: vozo job ${job.id} item 0`, 1],
			]);
			const metadata = result.run!.data.resultData.metadata ?? {};
			expect(Object.values(metadata).join(' ')).toContain(`0=${job.id}`);
		} finally {
			jest.restoreAllMocks();
		}
	});

	it('a create without an answer is in the job ledger as "may have been created" (custom data and a warning in the log)', async () => {
		const warnings: string[] = [];
		jest.spyOn(Container.get(Logger), 'warn').mockImplementation((...args) => void warnings.push(String(args[0])));
		try {
			sb.setFault('vozo', { kind: 'reset', endpoint: 'create', createdFirst: true });
			const result = await park();
			expect(jsonOf(result)).toEqual([expect.objectContaining({ maybeCreated: true })]);
			expect(String(result.run!.data.resultData.metadata?.lipsyncJobs)).toMatch(/may have been created.*vozo .*item 0/);
			expect(warnings.some((w) => w.startsWith('lipsync job may have been created: vozo item 0'))).toBe(true);
		} finally {
			jest.restoreAllMocks();
		}
	});

	it('never sends a create twice: a create without an answer is a "maybe created" row, not retried by Retry On Fail', async () => {
		sb.setFault('vozo', { kind: 'reset', endpoint: 'create', createdFirst: true });
		const result = await park(undefined, { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 });
		expect(result.executionStatus).toBe('success');
		expect(jsonOf(result)).toEqual([expect.objectContaining({ status: 'unknown', maybeCreated: true })]);
		expect(sb.log.count({ vendor: 'vozo', endpoint: 'create' })).toBe(1);
		expect(sb.jobs.stats('vozo').created).toBe(1);
		expect(result.waitTill).toBeUndefined();
	});

	it('a refused create becomes a failed row with the vendor\'s code, and nothing waits', async () => {
		sb.setFault('vozo', { kind: 'invalidInput', endpoint: 'create' });
		const result = await park(undefined, {});
		expect(result.executionStatus).toBe('success');
		expect(jsonOf(result)).toEqual([expect.objectContaining({ provider: 'vozo', status: 'failed', error: expect.stringContaining('Vozo'), errorCode: '5' })]);
		expect(result.run!.data.resultData.metadata?.lipsyncJobId).toBeUndefined();
		expect(JSON.stringify(result.run!.data.resultData.metadata ?? {})).not.toMatch(/\b0=/);
		expect(result.waitTill).toBeUndefined();
	});

	it('polls instead when an AI agent runs it as a tool (an agent cannot wait for a resume)', async () => {
		const result = await park(undefined, { typeName: 'n8n-nodes-lipsync.vozoTool' });
		expect(result.executionStatus).toBe('success');
		expect(jsonOf(result)[0]).toMatchObject({ status: 'succeeded' });
		const [create] = sb.log.entries({ vendor: 'vozo', endpoint: 'create' });
		expect((create.requestBody as IDataObject).callback_url).toBeUndefined();
	});
});

describe("Vozo's callbacks at the resume URL", () => {
	it('arrive at the resume URL verbatim on every status change; only the final one resumes, confirmed by one status request', async () => {
		const n8n = await startReceiver();
		try {
			sb.setOptions({ webhookHostRewrite: { [PUBLIC_N8N]: n8n.url } });
			const parked = await park();
			await waitFor(() => n8n.requests.length >= 2 || undefined, 5000);
			const resume = new URL(parked.resumeUrl);
			expect(n8n.requests.map((r) => [r.method, r.path])).toEqual([
				['POST', resume.pathname + resume.search],
				['POST', resume.pathname + resume.search],
			]);
			const [processing, done] = n8n.requests.map((r) => JSON.parse(r.rawBody) as IDataObject);
			expect(processing).toEqual({ status: 'processing' });
			expect(done).toMatchObject({ status: 'done', video_url: expect.any(String) });

			const early = await deliver(parked, processing);
			expect(early).toEqual({ statusCode: 200, body: { received: true }, items: undefined });
			expect(sb.log.count({ vendor: 'vozo', endpoint: 'status' })).toBe(0);

			const final = await deliver(parked, done);
			expect(final.statusCode).toBe(200);
			expect(final.body).toEqual({ received: true });
			expect(final.items).toEqual([
				{
					json: expect.objectContaining({
						provider: 'vozo',
						jobId: parkedJobId(parked),
						status: 'succeeded',
						videoUrl: expect.stringContaining(`${sb.baseUrl('vozo')}/results/${parkedJobId(parked)}.mp4`),
					}),
					pairedItem: { item: 0 },
				},
			]);
			expect(sb.log.count({ vendor: 'vozo', endpoint: 'status' })).toBe(1);
		} finally {
			await n8n.close();
		}
	});

	it('never trusts the callback: an unconfirmed "done" keeps waiting, and the video URL comes from Vozo', async () => {
		sb.setFault('vozo', { kind: 'neverFinish' });
		const parked = await park();
		const forged = { status: 'done', video_url: 'https://attacker.example.test/fake.mp4' };

		const early = await deliver(parked, forged);
		expect(early).toEqual({ statusCode: 200, body: { received: true }, items: undefined });
		expect(sb.log.count({ vendor: 'vozo', endpoint: 'status' })).toBe(1);

		sb.jobs.finish('vozo', parkedJobId(parked), 'succeeded');
		const final = await deliver(parked, forged);
		expect(final.items![0].json.status).toBe('succeeded');
		expect(final.items![0].json.videoUrl).toMatch(new RegExp(`^${sb.baseUrl('vozo')}/results/`));
		expect(JSON.stringify(final.items)).not.toContain('attacker');
	});

	it("resumes a failed job with status failed and Vozo's error", async () => {
		const parked = await park(undefined, { inputItems: [{ json: { audio: FAILING_AUDIO } }] });
		sb.jobs.finish('vozo', parkedJobId(parked));
		const final = await deliver(parked, { status: 'failed' });
		expect(final.items![0].json).toMatchObject({ status: 'failed', error: expect.any(String), errorCode: '20601' });
	});

	it('streams the video into binary data when Download Video is on', async () => {
		const parked = await park({ waitLimitMinutes: 5, downloadVideo: true, binaryPropertyName: 'video' });
		sb.jobs.finish('vozo', parkedJobId(parked), 'succeeded');
		const final = await deliver(parked, { status: 'done' }, { downloadVideo: true, binaryPropertyName: 'video' });
		expect(final).toMatchObject({ statusCode: 200, body: { received: true } });
		const item = final.items![0];
		expect(item.json.status).toBe('succeeded');
		expect(item.binary?.video).toMatchObject({ mimeType: 'video/mp4' });
		expect((await readBinary(item.binary!.video)).equals(FIXTURE)).toBe(true);
	});

	it('answers 503 and keeps waiting when the outcome cannot be confirmed', async () => {
		const parked = await park();
		sb.jobs.finish('vozo', parkedJobId(parked), 'succeeded');
		const answer = await deliver(parked, { status: 'done' }, {}, 'sk-revoked-key-0000');
		expect(answer.statusCode).toBe(503);
		expect(answer.items).toBeUndefined();
		expect(answer.body).toMatchObject({ received: false, error: expect.stringContaining(parkedJobId(parked)) });
		expect(JSON.stringify(answer.body)).not.toContain('sk-revoked-key-0000');
	});

	it('answers 400 to a body that is not a status callback, and keeps waiting', async () => {
		const parked = await park();
		const answer = await deliver(parked, { hello: 'world' });
		expect(answer).toMatchObject({ statusCode: 400, items: undefined });
		expect(sb.log.count({ vendor: 'vozo', endpoint: 'status' })).toBe(0);
	});

	it('finds the job without custom data (n8n keeps at most 10 keys) from the parked item', async () => {
		const parked = await park();
		parked.run!.data.resultData.metadata = {};
		sb.jobs.finish('vozo', parkedJobId(parked), 'succeeded');
		const final = await deliver(parked, { status: 'done' });
		expect(final.items![0].json).toMatchObject({ jobId: parkedJobId(parked), status: 'succeeded' });
	});
});

describe('the same callback more than once (Vozo may send "done" twice)', () => {
	const DOWNLOAD = { waitLimitMinutes: 5, downloadVideo: true };

	it('two "done" callbacks at once: one status check and one download; the other is answered 200 without either, and only one resumes', async () => {
		const parked = await park(DOWNLOAD);
		sb.jobs.finish('vozo', parkedJobId(parked), 'succeeded');
		const answers = await Promise.all([deliver(parked, { status: 'done' }, DOWNLOAD), deliver(parked, { status: 'done' }, DOWNLOAD)]);
		expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
		const resumed = answers.filter((answer) => answer.items !== undefined);
		expect(resumed).toHaveLength(1);
		expect(resumed[0].items![0].binary?.data).toMatchObject({ mimeType: 'video/mp4' });
		expect(answers.find((answer) => answer.items === undefined)!.body).toEqual({ received: true, alreadyHandled: true });
		expect(sb.log.count({ vendor: 'vozo', endpoint: 'status' })).toBe(1);
		expect(sb.log.count({ vendor: 'vozo', endpoint: 'download' })).toBe(1);
	});

	it('a "done" arriving after one that resumed (before n8n marks the execution running) does no second status check', async () => {
		const parked = await park();
		sb.jobs.finish('vozo', parkedJobId(parked), 'succeeded');
		const first = await deliver(parked, { status: 'done' });
		expect(first.items).toHaveLength(1);
		const again = await deliver(parked, { status: 'done' });
		expect(again).toMatchObject({ statusCode: 200, items: undefined });
		expect(sb.log.count({ vendor: 'vozo', endpoint: 'status' })).toBe(1);
	});

	it('a callback that could not confirm the job leaves the next one free to do the work', async () => {
		const parked = await park();
		sb.jobs.finish('vozo', parkedJobId(parked), 'succeeded');
		const failed = await deliver(parked, { status: 'done' }, {}, 'sk-revoked-key-0000');
		expect(failed.statusCode).toBe(503);
		const retried = await deliver(parked, { status: 'done' });
		expect(retried.items![0].json).toMatchObject({ jobId: parkedJobId(parked), status: 'succeeded' });
	});
});

describe("a check of the resume URL (Vozo's callback challenge, an assumption)", () => {
	it.each(['GET', 'HEAD'])('%s is answered 200 and resumes nothing, with no status request, even after the job ended', async (method) => {
		const parked = await park({ waitLimitMinutes: 5, downloadVideo: true });
		sb.jobs.finish('vozo', parkedJobId(parked), 'succeeded');
		const answer = await deliver(parked, {}, {}, sb.keys.vozo, method);
		expect(answer).toEqual({ statusCode: 200, body: { ok: true }, items: undefined });
		expect(sb.log.count({ vendor: 'vozo', endpoint: 'status' })).toBe(0);
		// The callback that follows still resumes.
		const final = await deliver(parked, { status: 'done' });
		expect(final.items![0].json).toMatchObject({ status: 'succeeded' });
	});
});
