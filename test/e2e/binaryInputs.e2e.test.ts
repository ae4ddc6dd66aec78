import { packPackage, startN8n, waitFor, type N8nInstance } from './harness';
import { FACE_IMAGE, FIXTURE, speechWav, startSandbox, type Sandbox, type SandboxJob } from '../sandbox';
import { binaryWorkflow, EXTRA_BINARY_FIELDS, fetchedFile, fetchLink, LINK_VENDORS, runAndWaitForJob, sha256 } from './support/binaryInputs';
import { example, importExample } from './support/examples';
import { nodeItems, sandboxCredentials, type CredentialRefs } from './support/lipsync';

/**
 * Binary speech and faces from earlier nodes, lip-synced by Vozo, Personate and Modellix in a real
 * n8n 2.41.1 (regular mode, binary mode `filesystem`): the vendor gets n8n's signed link
 * (`<WEBHOOK_URL>rest/binary-data/signed?token=…`), the sandbox fetches it through n8n's own route
 * and records the sha256 of what it got. Then how long n8n keeps serving the link (docs/n8n.md,
 * "Binary input by signed link"): n8n's hard-delete pass runs every minute here
 * (EXECUTIONS_DATA_PRUNE_HARD_DELETE_INTERVAL=1) instead of every 15.
 */
const PUBLIC_BASE = 'https://n8n.example.test';
const SPEECH_BYTES = 200_000;
const SPEECH = speechWav(SPEECH_BYTES);

describe('binary face and speech by signed link in a real n8n', () => {
	let n8n: N8nInstance;
	let sb: Sandbox;
	let credentials: CredentialRefs;
	const jobs: Partial<Record<string, SandboxJob>> = {};
	const workflowIds: Partial<Record<string, string>> = {};

	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: 1_500, jitterMs: 0 });
		n8n = await startN8n({ packageTarball: await packPackage(), webhookUrl: `${PUBLIC_BASE}/`, env: { EXECUTIONS_DATA_PRUNE_HARD_DELETE_INTERVAL: '1' } });
		// n8n looks public; the sandbox fetches what is sent to that host from n8n's local port.
		sb.setOptions({ webhookHostRewrite: { [PUBLIC_BASE]: n8n.url } });
		credentials = await sandboxCredentials(n8n, sb);
	});

	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
	});

	async function publish(options: Parameters<typeof binaryWorkflow>[2]): Promise<string> {
		const created = await n8n.importWorkflow(binaryWorkflow(sb, credentials, options));
		await n8n.publish(created.id);
		return created.id;
	}

	it.each(LINK_VENDORS)('%s: the vendor fetched byte-identical speech and face files (and its extra photo) (sha256) from n8n, and the job succeeded', async (vendor) => {
		const workflowId = await publish({ vendor, path: `bin-${vendor}`, speechBytes: SPEECH_BYTES });
		const job = await runAndWaitForJob(n8n, sb, vendor, `bin-${vendor}`);
		jobs[vendor] = job;
		workflowIds[vendor] = workflowId;
		expect(job.phase).toBe('succeeded');
		for (const file of job.inputFiles ?? []) expect(file.url.startsWith(`${PUBLIC_BASE}/rest/binary-data/signed?token=`)).toBe(true);
		expect(fetchedFile(job.inputFiles, 'audio')).toMatchObject({ fetched: true, statusCode: 200, bytes: SPEECH_BYTES, sha256: sha256(SPEECH), format: 'wav' });
		expect(fetchedFile(job.inputFiles, 'video')).toMatchObject({ fetched: true, sha256: sha256(FIXTURE), kind: 'video' });
		const photo = job.inputFiles?.find((file) => file.kind === 'image');
		if (EXTRA_BINARY_FIELDS[vendor]) expect(photo).toMatchObject({ fetched: true, sha256: sha256(FACE_IMAGE) });
		else expect(photo).toBeUndefined();
		const execution = await n8n.waitForExecution({ workflowId, status: ['success', 'error'] });
		expect(execution.status).toBe('success');
		const output = execution.data.resultData.runData['Lip Sync'][0].data.main[0][0].json;
		expect(output).toMatchObject({ jobId: job.id, status: 'succeeded' });
	});

	it('after the execution ends (saved, the default), n8n still serves the link, byte for byte', async () => {
		const link = fetchedFile(jobs.vozo?.inputFiles, 'audio')!.url;
		expect(await fetchLink(link, PUBLIC_BASE, n8n.url)).toEqual({ status: 200, sha256: sha256(SPEECH) });
	});

	it('Save successful executions off: the link serves the file after the execution ends, until n8n\'s next hard-delete pass, then answers 404', async () => {
		const workflowId = await publish({ vendor: 'vozo', path: 'bin-unsaved', speechBytes: SPEECH_BYTES, settings: { saveDataSuccessExecution: 'none' } });
		const job = await runAndWaitForJob(n8n, sb, 'vozo', 'bin-unsaved');
		expect(job.phase).toBe('succeeded');
		// The execution is over once n8n lists no running execution of the workflow (an unsaved one is not listed afterwards).
		await waitFor('the unsaved execution to end', async () => (await n8n.executions({ workflowId, status: 'running' })).length === 0 || undefined, { timeoutMs: 60_000, intervalMs: 250 });
		const ended = Date.now();
		const link = fetchedFile(job.inputFiles, 'audio')!.url;
		expect(await fetchLink(link, PUBLIC_BASE, n8n.url)).toEqual({ status: 200, sha256: sha256(SPEECH) });
		await waitFor('the link to answer 404', async () => (await fetchLink(link, PUBLIC_BASE, n8n.url)).status === 404 || undefined, { timeoutMs: 150_000, intervalMs: 1_000 });
		const gone = Math.round((Date.now() - ended) / 1000);
		// With the pass every minute, the file is gone within about a minute of the end.
		expect(gone).toBeLessThanOrEqual(125);
		process.stdout.write(`measured: unsaved execution's binary link served for ${gone} s after the execution ended (hard-delete pass every 1 min)\n`);
	});

	it('Create alone in that workflow is refused before anything is sent: the execution fails naming the field, zero creates', async () => {
		const workflowId = await publish({ vendor: 'vozo', path: 'bin-unsaved-create', speechBytes: SPEECH_BYTES, operation: 'create', settings: { saveDataSuccessExecution: 'none' } });
		const creates = sb.log.count({ vendor: 'vozo', endpoint: 'create' });
		const res = await n8n.webhook('webhook/bin-unsaved-create', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(res.status).toBe(200);
		const execution = await n8n.waitForExecution({ workflowId, status: ['error', 'success'] });
		expect(execution.status).toBe('error');
		expect(execution.data.resultData.error.message).toContain('"Audio Input Binary Field" is a binary file, and this workflow does not save successful executions');
		expect(sb.log.count({ vendor: 'vozo', endpoint: 'create' })).toBe(creates);
	});

	it('after the execution is deleted (as pruning deletes it), the link answers 404 at once', async () => {
		const link = fetchedFile(jobs.personate?.inputFiles, 'audio')!.url;
		const [execution] = await n8n.executions({ workflowId: workflowIds.personate!, status: 'success' });
		expect((await fetchLink(link, PUBLIC_BASE, n8n.url)).status).toBe(200);
		await n8n.api('DELETE', `/executions/${execution.id}`);
		const deleted = Date.now();
		await waitFor('the link to answer 404', async () => (await fetchLink(link, PUBLIC_BASE, n8n.url)).status === 404 || undefined, { timeoutMs: 150_000, intervalMs: 1_000 });
		process.stdout.write(`measured: deleted execution's binary link answered 404 after ${Math.round((Date.now() - deleted) / 1000)} s\n`);
	});

	it('examples/vozo-text-to-speech.json: the downloaded speech (binary) reaches Vozo byte for byte and the lip-synced video comes back', async () => {
		const wf = example('vozo-text-to-speech.json');
		const workflowId = await importExample({ sb, n8n, credentials }, wf);
		const run = await n8n.execute(workflowId);
		expect(run.error).toBeUndefined();
		const [item] = nodeItems(run.run.data, 'Vozo: Lip Sync the Speech');
		expect(item.json).toMatchObject({ provider: 'vozo', status: 'succeeded' });
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', bytes: FIXTURE.length });
		const job = sb.jobs.get('vozo', item.json.jobId)!;
		expect(fetchedFile(job.inputFiles, 'audio')).toMatchObject({ fetched: true, sha256: sha256(speechWav()), format: 'wav' });
	});
});
