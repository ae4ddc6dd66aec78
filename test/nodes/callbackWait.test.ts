/**
 * Create and Wait with Wait By "Vendor Callback", for every registered vendor whose adapter has
 * `callback` (callbackVendors.ts): the node description and parking the execution, in n8n-core's
 * real WorkflowExecute (harness). The resume side: callbackResume.test.ts. Resuming the execution
 * itself, and the wait limit passing, are n8n server behaviour: test/e2e/callbackWait.e2e.test.ts.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { callbackVendors } from './callbackVendors';
import { callbackWaitKit, MINUTE, parkedJobId } from './callbackWaitKit';
import { audioItems, jsonOf, useNodeSandbox } from './nodeKit';

const sb = useNodeSandbox();

describe.each(callbackVendors().map((v) => [v.adapter.displayName, v] as const))('%s', (name, vendorUnderTest) => {
	const { vendor, adapter, setup, callback } = vendorUnderTest;
	const { park } = callbackWaitKit(sb, vendorUnderTest);
	const createBody = (index = 0) => sb.log.entries({ vendor, endpoint: 'create' })[index].requestBody as IDataObject;

	describe('the node description', () => {
		const { description } = vendorUnderTest;
		const waitBy = description.properties.find((p) => p.name === 'waitBy')!;
		const options = description.properties.find((p) => p.name === 'options')!.options as INodeProperties[];

		it('offers Wait By (polling by default, or the vendor callback) for Create and Wait only', () => {
			expect(waitBy).toMatchObject({ type: 'options', default: 'polling', displayOptions: { show: { operation: ['createAndWait'] } } });
			expect(waitBy.options!.map((o) => ('value' in o ? o.value : undefined))).toEqual(['polling', 'callback']);
			expect(JSON.stringify(waitBy.options)).toContain(`frees the execution while ${name} renders`);
		});

		it('hides the options that only mean something while polling, and the vendor\'s own callback URL option', () => {
			for (const option of ['pollIntervalSeconds', 'onTimeout', 'onJobFailure', ...(callback.urlOption ? [callback.urlOption] : [])]) {
				expect(options.find((o) => o.name === option)?.displayOptions?.hide).toEqual({ '/waitBy': ['callback'] });
			}
			for (const option of ['waitLimitMinutes', 'downloadVideo', 'binaryPropertyName']) {
				expect(options.find((o) => o.name === option)?.displayOptions?.hide).toBeUndefined();
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

			expect(sb.log.entries({ vendor, endpoint: 'create' })).toHaveLength(1);
			expect(result.resumeUrl).toMatch(/\/webhook-waiting\/\d+\?signature=\S+$/);
			expect(createBody()[setup.urlField]).toBe(result.resumeUrl);
			expect(sb.log.count({ vendor, endpoint: 'status' })).toBe(0);

			const [job] = sb.jobs.list(vendor);
			expect(result.output![0]).toEqual([
				{ json: expect.objectContaining({ provider: vendor, jobId: job.id, status: 'queued' }), pairedItem: { item: 0 } },
			]);
			// Custom execution data: persisted with the waiting execution, filterable in the list.
			expect(result.run!.data.resultData.metadata).toMatchObject({ lipsyncJobId: job.id, lipsyncProvider: vendor });
		});

		it('leaves the still-running job as its input: what n8n passes on when the wait limit passes', async () => {
			const result = await park();
			const [entry] = result.run!.data.executionData!.nodeExecutionStack;
			expect(entry.node.name).toBe(result.nodeName);
			expect(entry.data.main[0]).toEqual([
				{
					json: expect.objectContaining({
						provider: vendor,
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

		it("waits the vendor's default wait limit when none is set", async () => {
			const before = Date.now();
			const limitMs = adapter.waitDefaults.waitLimitMinutes * MINUTE;
			const result = await park({});
			expect(result.waitTill!.getTime()).toBeGreaterThanOrEqual(before + limitMs);
			expect(result.waitTill!.getTime()).toBeLessThanOrEqual(Date.now() + limitMs);
		});

		const HTTP_N8N = 'http://n8n.example.test';
		if (callback.httpsOnly) {
			it(`refuses a resume URL from an http WEBHOOK_URL before anything is sent: ${name} calls https URLs only`, async () => {
				const result = await park(undefined, { instanceBaseUrl: HTTP_N8N });
				expect(result.executionStatus).toBe('error');
				expect(result.error?.message).toMatch(new RegExp(`^${name} cannot reach this execution's resume URL .*it uses http, and ${name} only delivers to https URLs — nothing was sent$`));
				expect(result.waitTill).toBeUndefined();
				expect(sb.log.entries()).toHaveLength(0);
			});
		} else {
			it('hands a resume URL from a public http WEBHOOK_URL to the vendor, and waits', async () => {
				const result = await park(undefined, { instanceBaseUrl: HTTP_N8N });
				expect(result.executionStatus).toBe('waiting');
				expect(createBody()[setup.urlField]).toBe(result.resumeUrl);
			});
		}

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
			expect(result.error?.message).toMatch(setup.badAudioError);
			expect(sb.log.entries()).toHaveLength(0);
		});

		for (const option of callback.urlOption ? [callback.urlOption] : []) {
			it(`drops a "${option}" left in the options (hidden in callback mode): the job has one callback and it is the resume URL`, async () => {
				const result = await park({ waitLimitMinutes: 5, [option]: 'https://hooks.example.test/own' });
				expect(result.executionStatus).toBe('waiting');
				expect(createBody()[setup.urlField]).toBe(result.resumeUrl);
			});
		}

		it('writes the job ledger as polling does: "create sent" logged before the create leaves, then the job id in the log and in custom data', async () => {
			const lines: Array<{ level: string; message: string; createsSeen: number }> = [];
			const logger = Container.get(Logger);
			for (const level of ['info', 'warn'] as const) {
				jest.spyOn(logger, level).mockImplementation((...args) => {
					const message = String(args[0]);
					if (message.startsWith('lipsync job')) lines.push({ level, message, createsSeen: sb.log.count({ vendor, endpoint: 'create' }) });
				});
			}
			try {
				const result = await park();
				const [job] = sb.jobs.list(vendor);
				// A vendor with idempotent creates names the item's key in the line (idempotentCreates.test.ts).
				const sent = `lipsync job create sent: ${vendor} item 0${adapter.idempotentCreates ? ' idempotency key ' : ''}`;
				expect(lines.map((l) => [l.message.replace(/ \(node .*$/, '').replace(/ idempotency key \S+$/, ' idempotency key '), l.createsSeen])).toEqual([
					[sent, 0],
					[`lipsync job submitted: ${vendor} job ${job.id} item 0`, 1],
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
				sb.setFault(vendor, { kind: 'reset', endpoint: 'create', createdFirst: true });
				const result = await park();
				expect(jsonOf(result)).toEqual([expect.objectContaining({ maybeCreated: true })]);
				expect(String(result.run!.data.resultData.metadata?.lipsyncJobs)).toMatch(new RegExp(`may have been created.*${vendor} .*item 0`));
				expect(warnings.some((w) => w.startsWith(`lipsync job may have been created: ${vendor} item 0`))).toBe(true);
			} finally {
				jest.restoreAllMocks();
			}
		});

		// Without idempotent creates (with them the engine resends under the item's key: idempotentCreates.test.ts).
		if (!adapter.idempotentCreates) {
			it('never sends a create twice: a create without an answer is a "maybe created" row, not retried by Retry On Fail', async () => {
				sb.setFault(vendor, { kind: 'reset', endpoint: 'create', createdFirst: true });
				const result = await park(undefined, { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 });
				expect(result.executionStatus).toBe('success');
				expect(jsonOf(result)).toEqual([expect.objectContaining({ status: 'unknown', maybeCreated: true })]);
				expect(sb.log.count({ vendor, endpoint: 'create' })).toBe(1);
				expect(sb.jobs.stats(vendor).created).toBe(1);
				expect(result.waitTill).toBeUndefined();
			});
		}

		it("a refused create becomes a failed row with the vendor's code, and nothing waits", async () => {
			sb.setFault(vendor, { kind: 'invalidInput', endpoint: 'create' });
			const result = await park(undefined, {});
			expect(result.executionStatus).toBe('success');
			expect(jsonOf(result)).toEqual([
				expect.objectContaining({ provider: vendor, status: 'failed', error: expect.stringContaining(name), errorCode: setup.refusedCreateCode }),
			]);
			expect(result.run!.data.resultData.metadata?.lipsyncJobId).toBeUndefined();
			expect(JSON.stringify(result.run!.data.resultData.metadata ?? {})).not.toMatch(/\b0=/);
			expect(result.waitTill).toBeUndefined();
		});

		it('polls instead when an AI agent runs it as a tool (an agent cannot wait for a resume)', async () => {
			const result = await park(undefined, { typeName: `n8n-nodes-lipsync.${vendorUnderTest.name}Tool` });
			expect(result.executionStatus).toBe('success');
			expect(jsonOf(result)[0]).toMatchObject({ status: 'succeeded' });
			expect(createBody()[setup.urlField]).toBeUndefined();
		});
	});
});
