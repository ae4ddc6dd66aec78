import { packPackage, sleep, startN8n, waitFor, type N8nInstance } from './harness';
import { startSandbox, type Fault, type Sandbox, type Vendor } from '../sandbox';
import { CREDENTIAL_TYPES, nodeItems, type CredentialRefs } from './support/lipsync';
import {
	customDataJobs,
	ledgerLines,
	loggedJobIds,
	loopOverItems,
	noOp,
	row,
	rowNode,
	rows,
	rowsWorkflow,
	runRows,
	startRunning,
	stopExecution,
} from './support/pipeline';

/**
 * Batches in a real n8n 2.41 against the provider sandbox: creates that fail after the vendor
 * made the job, a Stop while a create is on the wire or while jobs run (where the job ids are
 * found afterwards: docs/n8n-stop-and-crash.md, README "Waiting for renders"), Loop Over Items
 * with repeated inputs, and a wait limit that holds when status calls stall.
 */

const JOB_MS = 1_500;
const FAST = { pollIntervalSeconds: 1, waitLimitMinutes: 2 };

describe('batches through our nodes in a real n8n', () => {
	let sb: Sandbox;
	let n8n: N8nInstance;
	let workflows = 0;

	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: JOB_MS, jitterMs: 0 });
		n8n = await startN8n({ packageTarball: await packPackage() });
	});

	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
	});

	/** A clean sandbox and a credential of its own, so no earlier test's rate window counts. */
	async function freshVendor(vendor: Vendor): Promise<CredentialRefs> {
		sb.reset();
		const [created] = await n8n.importCredentials([
			{ name: `${vendor} ${++workflows}`, type: CREDENTIAL_TYPES[vendor], data: { apiKey: sb.keys[vendor], baseUrl: sb.baseUrl(vendor) } },
		]);
		return { [created.type]: { id: created.id, name: created.name } };
	}

	async function publish(workflow: ReturnType<typeof rowsWorkflow>) {
		const wf = await n8n.importWorkflow(workflow);
		await n8n.publish(wf.id);
		return wf.id;
	}

	const hookId = () => `e2e-pipeline-${++workflows}`;

	/** Custom data is saved a moment after the status turns `canceled` (the public API shows it with the data only). */
	const savedCustomData = (executionId: string) =>
		waitFor(
			'the custom data of the stopped execution',
			async () => {
				const execution = await n8n.api<{ customData?: Record<string, string> }>('GET', `/executions/${executionId}?includeData=true`);
				return execution.customData?.lipsyncJobs ? execution.customData : undefined;
			},
			{ timeoutMs: 10_000 },
		);

	describe.each<[string, Vendor, Fault]>([
		['a 502 HTML page', 'vozo', { kind: 'serverError', httpStatus: 502, endpoint: 'create', createdFirst: true }],
		['a 504 HTML page', 'vozo', { kind: 'serverError', httpStatus: 504, endpoint: 'create', createdFirst: true }],
		['a JSON 500', 'vozo', { kind: 'serverError', httpStatus: 500, endpoint: 'create', createdFirst: true }],
		['Vozo code 1000', 'vozo', { kind: 'errorEnvelope', endpoint: 'create', createdFirst: true }],
		['JoggAI HTTP 200 code 50000', 'joggai', { kind: 'errorEnvelope', endpoint: 'create', createdFirst: true }],
	])('a create answered with %s after the vendor made the job, Retry On Fail on (3 tries)', (_what, vendor, fault) => {
		it('leaves exactly one job per item at the vendor and outputs each item as unknown (not failed), "may have been created"', async () => {
			const credentials = await freshVendor(vendor);
			const hook = hookId();
			const id = await publish(
				rowsWorkflow(`e2e maybe created ${hook}`, hook, [
					rowNode(vendor, 'Lip Sync', credentials, { operation: 'createAndWait', options: FAST }, { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 }),
				]),
			);
			sb.setFault(vendor, fault);

			const execution = await runRows(n8n, id, hook, rows(2, hook));

			expect(sb.jobs.list(vendor)).toHaveLength(2);
			expect(sb.log.count({ vendor, endpoint: 'create' })).toBe(2);
			const out = nodeItems(execution.data, 'Lip Sync').map((item) => item.json);
			expect(out).toHaveLength(2);
			for (const json of out) {
				expect(json).toMatchObject({ maybeCreated: true, status: 'unknown' });
				expect(json.error?.message).toMatch(/may have been created/i);
			}
		});
	});

	it('after a Stop while a slow create is on the wire: one job at the vendor, and the item is flagged "may have been created" in custom data and the log', async () => {
		const credentials = await freshVendor('vozo');
		const hook = hookId();
		const id = await publish(rowsWorkflow(`e2e stop during create ${hook}`, hook, [rowNode('vozo', 'Lip Sync', credentials, { operation: 'createAndWait', options: FAST })]));
		sb.setFault('vozo', { kind: 'slow', delayMs: 8_000, endpoint: 'create', createdFirst: true });

		// The vendor made the job at once; its answer is 8 s away when the user presses Stop.
		const executionId = await startRunning(n8n, sb, 'vozo', id, hook, [row(0, hook)], 1);
		const stopped = await stopExecution(n8n, executionId);
		expect(stopped.status).toBe('canceled');

		const customData = await savedCustomData(executionId);
		expect(customData.lipsyncJobs).toMatch(/may have been created \(create sent, no answer\): vozo "Lip Sync" item 0\b/);
		// n8n aborts the node's vendor requests on Stop: the answer with the job id never arrives,
		// so the log can only say the create is in doubt. A moment for the node to write that.
		await sleep(2_000);
		expect(sb.jobs.list('vozo')).toHaveLength(1);
		const lines = ledgerLines(n8n.log(), executionId);
		expect(lines[0]).toMatch(/^lipsync job create sent: vozo item 0 \(node "Lip Sync", workflow \w+, execution \d+\)$/);
		expect(lines.some((line) => line.startsWith('lipsync job may have been created: vozo item 0 ('))).toBe(true);
	});

	it('after a Stop during the wait over 20 running jobs: all 20 job ids are in the execution\'s custom data and in n8n\'s log', async () => {
		const credentials = await freshVendor('joggai');
		const hook = hookId();
		const id = await publish(rowsWorkflow(`e2e stop during wait ${hook}`, hook, [rowNode('joggai', 'JoggAI', credentials, { operation: 'createAndWait', options: FAST })]));
		sb.setFault('joggai', { kind: 'neverFinish' });

		const executionId = await startRunning(n8n, sb, 'joggai', id, hook, rows(20, hook), 20);
		await sleep(1_000); // every create has been answered
		const stopped = await stopExecution(n8n, executionId);
		expect(stopped.status).toBe('canceled');

		// Which job belongs to which row: the sandbox saw each row's video URL.
		const expected = new Map(
			sb.jobs.list('joggai').map((job) => [Number(/-(\d+)-face\.mp4/.exec(JSON.stringify(job.input))![1]), job.id]),
		);
		expect(expected.size).toBe(20);
		const customData = await savedCustomData(executionId);
		expect(customDataJobs(customData)).toEqual(expected);
		expect(customData.lipsyncJobs).toBe('20 listed as item=jobId in lipsyncJobs1…');
		expect(new Set(loggedJobIds(ledgerLines(n8n.log(), executionId)))).toEqual(new Set(expected.values()));
	});

	it('Loop Over Items (batch size 5) over 10 rows whose inputs repeat: 10 jobs at the vendor, one per row', async () => {
		const credentials = await freshVendor('joggai');
		const hook = hookId();
		const twice = [...rows(5, hook), ...rows(5, hook)];
		const id = await publish(
			rowsWorkflow(
				`e2e loop ${hook}`,
				hook,
				[loopOverItems('Loop', 5), rowNode('joggai', 'JoggAI', credentials, { operation: 'createAndWait', options: FAST }), noOp('Done')],
				[['Loop', 'Done', 0], ['Loop', 'JoggAI', 1], ['JoggAI', 'Loop']],
			),
		);

		const execution = await runRows(n8n, id, hook, twice);

		expect(execution.status).toBe('success');
		expect(sb.jobs.list('joggai')).toHaveLength(10);
		const done = nodeItems(execution.data, 'Done').map((item) => item.json);
		expect(done).toHaveLength(10);
		expect(new Set(done.map((json) => json.jobId)).size).toBe(10);
		expect(done.every((json) => json.status === 'succeeded')).toBe(true);
	});

	it('a wait limit of 20 s holds while status calls stall: the node ends within 25 s of starting its wait', async () => {
		const credentials = await freshVendor('vozo');
		const hook = hookId();
		const id = await publish(
			rowsWorkflow(`e2e stalled status ${hook}`, hook, [
				rowNode('vozo', 'Lip Sync', credentials, { operation: 'createAndWait', options: { pollIntervalSeconds: 1, waitLimitMinutes: 1 / 3 } }),
			]),
		);
		sb.setFault('vozo', { kind: 'slow', delayMs: 120_000, endpoint: 'status' });
		try {
			const execution = await runRows(n8n, id, hook, [row(0, hook)], 45_000);

			const [run] = execution.data.resultData.runData['Lip Sync'];
			expect(run.executionTime).toBeLessThan(25_000);
			const [item] = nodeItems(execution.data, 'Lip Sync');
			expect(item.json).toMatchObject({ status: 'processing', jobId: sb.jobs.list('vozo')[0].id });
		} finally {
			sb.setFault('vozo', null);
		}
	});
});
