import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packPackage, sleep, startN8n, waitFor, type N8nInstance } from './harness';
import { startSandbox, type Sandbox } from '../sandbox';
import { CREDENTIAL_TYPES, nodeItems, type CredentialRefs } from './support/lipsync';
import { customDataJobs, ledgerLines, loggedJobIds, rowNode, rows, rowsWorkflow, startRunning, stopExecution } from './support/pipeline';

/**
 * What is left of a batch after a Stop or a crash of n8n, in the real n8n 2.41 (the facts of
 * docs/n8n-stop-and-crash.md that the README's advice rests on): n8n's log always has every job
 * id; custom data survives a Stop in regular mode only; with "Save execution progress" on, a
 * Create node's output survives both, so Create → Wait in two steps keeps every id.
 */

const FAST = { pollIntervalSeconds: 1, waitLimitMinutes: 30 };
const BATCH = 10;

/** The sandbox's job ids of one batch, by row (each row's video URL carries its tag and index). */
function jobsOf(sb: Sandbox, tag: string): Map<number, string> {
	const jobs = new Map<number, string>();
	for (const job of sb.jobs.list('joggai')) {
		const match = new RegExp(`${tag}-(\\d+)-face\\.mp4`).exec(JSON.stringify(job.input));
		if (match) jobs.set(Number(match[1]), job.id);
	}
	return jobs;
}

async function joggAiCredential(n8n: N8nInstance, sb: Sandbox): Promise<CredentialRefs> {
	const [created] = await n8n.importCredentials([
		{ name: 'JoggAI (e2e sandbox)', type: CREDENTIAL_TYPES.joggai, data: { apiKey: sb.keys.joggai, baseUrl: sb.baseUrl('joggai') } },
	]);
	return { [created.type]: { id: created.id, name: created.name } };
}

/** Create and Wait in one node. */
const oneStep = (hook: string, credentials: CredentialRefs) =>
	rowsWorkflow(`e2e one step ${hook}`, hook, [rowNode('joggai', 'JoggAI', credentials, { operation: 'createAndWait', options: FAST })]);

/** Create, then Wait, with the workflow setting "Save execution progress" on. */
const twoSteps = (hook: string, credentials: CredentialRefs) =>
	rowsWorkflow(
		`e2e two steps ${hook}`,
		hook,
		[
			rowNode('joggai', 'Create', credentials, { operation: 'create', options: {} }),
			rowNode('joggai', 'Wait', credentials, { operation: 'wait', jobId: '={{ $json.jobId }}', options: FAST }),
		],
		[['Create', 'Wait']],
		{ saveExecutionProgress: true },
	);

async function publish(n8n: N8nInstance, workflow: ReturnType<typeof rowsWorkflow>) {
	const wf = await n8n.importWorkflow(workflow);
	await n8n.publish(wf.id);
	return wf.id;
}

/** Job ids of the Create node's output, by row, from an execution fetched with its data. */
const createOutput = (execution: any) =>
	new Map(nodeItems(execution.data, 'Create').map((item, row) => [row, String(item.json.jobId)]));

/** Waits until the two-step run's Create output has been saved (then its Wait is running). */
const createSaved = (n8n: N8nInstance, executionId: string) =>
	waitFor(
		'the Create node\'s saved output',
		async () => {
			const execution = await n8n.api<any>('GET', `/executions/${executionId}?includeData=true`);
			return execution.data?.resultData?.runData?.Create ? true : undefined;
		},
		{ timeoutMs: 60_000 },
	);

describe('after a Stop or a crash in regular mode', () => {
	let sb: Sandbox;
	let n8n: N8nInstance;
	let dir: string;
	let credentials: CredentialRefs;

	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: 1_500, jitterMs: 0 });
		// A folder of our own: the crash test starts a second n8n on it.
		dir = mkdtempSync(join(tmpdir(), 'lipsync-crash-'));
		n8n = await startN8n({ packageTarball: await packPackage(), userFolder: dir, env: { N8N_LOG_OUTPUT: 'console,file' } });
		credentials = await joggAiCredential(n8n, sb);
	});

	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
		if (!(globalThis as { __lipsyncE2eFailed?: boolean }).__lipsyncE2eFailed) rmSync(dir, { recursive: true, force: true });
	});

	it('Create → Wait with "Save execution progress": after a Stop during the Wait, the Create output has every job id', async () => {
		sb.reset();
		sb.setFault('joggai', { kind: 'neverFinish' });
		const id = await publish(n8n, twoSteps('e2e-two-steps-stop', credentials));

		const executionId = await startRunning(n8n, sb, 'joggai', id, 'e2e-two-steps-stop', rows(BATCH, 'twostop'), BATCH);
		await createSaved(n8n, executionId);
		const stopped = await stopExecution(n8n, executionId);

		expect(stopped.status).toBe('canceled');
		expect(createOutput(stopped)).toEqual(jobsOf(sb, 'twostop'));
	});

	it('after n8n is killed mid-wait: the log has every job id; a two-step run keeps its Create output; custom data is gone', async () => {
		sb.reset();
		sb.setFault('joggai', { kind: 'neverFinish' });
		const single = await publish(n8n, oneStep('e2e-crash-one', credentials));
		const double = await publish(n8n, twoSteps('e2e-crash-two', credentials));
		const singleRun = await startRunning(n8n, sb, 'joggai', single, 'e2e-crash-one', rows(BATCH, 'crashone'), BATCH);
		const doubleRun = await startRunning(n8n, sb, 'joggai', double, 'e2e-crash-two', rows(BATCH, 'crashtwo'), 2 * BATCH);
		await createSaved(n8n, doubleRun);
		await sleep(1_000);

		// SIGKILL: none of n8n's shutdown code runs (an out-of-memory kill, a power cut).
		const main = n8n.processes.find((p) => p.name === 'main')!;
		process.kill(-main.child.pid!, 'SIGKILL');
		await main.exited;
		await n8n.stop();
		n8n = await startN8n({ userFolder: dir, env: { N8N_LOG_OUTPUT: 'console,file' } });

		const crashed = async (executionId: string) =>
			await waitFor(`execution ${executionId} marked crashed`, async () => {
				const execution = await n8n.api<any>('GET', `/executions/${executionId}?includeData=true`);
				return execution.status === 'crashed' ? execution : undefined;
			}, { timeoutMs: 60_000 });
		const one = await crashed(singleRun);
		const two = await crashed(doubleRun);

		// The one-step run: n8n rebuilt the execution from its event log; the node has no output.
		expect(one.data.resultData.runData.JoggAI[0].executionStatus).toBe('crashed');
		expect(customDataJobs(one.customData).size).toBe(0);
		// n8n's log file (N8N_LOG_OUTPUT=file) and its stdout both kept every id.
		const fileLog = readFileSync(join(dir, '.n8n', 'logs', 'n8n.log'), 'utf8');
		for (const log of [fileLog, n8n.log('main')]) {
			expect(new Set(loggedJobIds(ledgerLines(log, singleRun)))).toEqual(new Set(jobsOf(sb, 'crashone').values()));
		}
		expect(createOutput(two)).toEqual(jobsOf(sb, 'crashtwo'));
	});
});

describe('after a Stop in queue mode', () => {
	let sb: Sandbox;
	let n8n: N8nInstance;
	let credentials: CredentialRefs;

	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: 1_500, jitterMs: 0 });
		n8n = await startN8n({ packageTarball: await packPackage(), queueMode: true });
		credentials = await joggAiCredential(n8n, sb);
	});

	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
	});

	it('a Create and Wait run keeps no custom data; the worker\'s log has every job id', async () => {
		sb.reset();
		sb.setFault('joggai', { kind: 'neverFinish' });
		const id = await publish(n8n, oneStep('e2e-queue-one', credentials));

		const executionId = await startRunning(n8n, sb, 'joggai', id, 'e2e-queue-one', rows(BATCH, 'queueone'), BATCH);
		await sleep(1_000);
		const stopped = await stopExecution(n8n, executionId);
		await sleep(3_000); // time for any late save

		expect(stopped.status).toBe('canceled');
		const after = await n8n.api<any>('GET', `/executions/${executionId}?includeData=true`);
		expect(after.customData ?? {}).toEqual({});
		expect(new Set(loggedJobIds(ledgerLines(n8n.log('worker'), executionId)))).toEqual(new Set(jobsOf(sb, 'queueone').values()));
	});

	it('Create → Wait with "Save execution progress": after a Stop during the Wait, the Create output has every job id', async () => {
		sb.reset();
		sb.setFault('joggai', { kind: 'neverFinish' });
		const id = await publish(n8n, twoSteps('e2e-queue-two', credentials));

		const executionId = await startRunning(n8n, sb, 'joggai', id, 'e2e-queue-two', rows(BATCH, 'queuetwo'), BATCH);
		await createSaved(n8n, executionId);
		const stopped = await stopExecution(n8n, executionId);

		expect(stopped.status).toBe('canceled');
		expect(createOutput(stopped)).toEqual(jobsOf(sb, 'queuetwo'));
	});
});
