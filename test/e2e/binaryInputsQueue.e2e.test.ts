import { packPackage, startN8n, waitFor, type N8nInstance } from './harness';
import { FIXTURE, speechWav, startSandbox, type Sandbox } from '../sandbox';
import { binaryWorkflow, fetchedFile, fetchLink, runAndWaitForJob, sha256 } from './support/binaryInputs';
import { sandboxCredentials, type CredentialRefs } from './support/lipsync';

/**
 * Binary input by signed link in queue mode (main + worker + webhook on redis; n8n's binary mode
 * is then `database`): the execution runs on the worker, the file lives in n8n's database, and
 * the link is served by the main process only — `/rest/…` is not a webhook route, so a reverse
 * proxy must send it to main (docs/n8n.md, "Binary input by signed link").
 */
const PUBLIC_BASE = 'https://n8n.example.test';
const SPEECH_BYTES = 1_000_000;
const SPEECH = speechWav(SPEECH_BYTES);

describe('binary input by signed link in queue mode', () => {
	let n8n: N8nInstance;
	let sb: Sandbox;
	let credentials: CredentialRefs;

	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: 1_500, jitterMs: 0 });
		n8n = await startN8n({ queueMode: true, packageTarball: await packPackage(), webhookUrl: `${PUBLIC_BASE}/`, env: { EXECUTIONS_DATA_PRUNE_HARD_DELETE_INTERVAL: '1' } });
		// What reaches n8n's public host under /rest goes to the main process, as a reverse proxy would send it.
		sb.setOptions({ webhookHostRewrite: { [PUBLIC_BASE]: n8n.url } });
		credentials = await sandboxCredentials(n8n, sb);
	});

	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
	});

	it('Vozo on a worker: the vendor fetched byte-identical 1 MB speech and the face video from n8n\'s database binary store, and the job succeeded', async () => {
		const created = await n8n.importWorkflow(binaryWorkflow(sb, credentials, { vendor: 'vozo', path: 'bin-queue', speechBytes: SPEECH_BYTES }));
		await n8n.publish(created.id);
		const job = await runAndWaitForJob(n8n, sb, 'vozo', 'bin-queue');
		expect(job.phase).toBe('succeeded');
		const speech = fetchedFile(job.inputFiles, 'audio')!;
		expect(speech).toMatchObject({ fetched: true, statusCode: 200, bytes: SPEECH_BYTES, sha256: sha256(SPEECH) });
		expect(fetchedFile(job.inputFiles, 'video')).toMatchObject({ fetched: true, sha256: sha256(FIXTURE) });
		// The token names the binary: in queue mode n8n keeps it in its database.
		const token = new URL(speech.url).searchParams.get('token')!;
		expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).id).toMatch(/^database:/);
		const execution = await n8n.waitForExecution({ workflowId: created.id, status: ['success', 'error'] });
		expect(execution.status).toBe('success');
		expect(n8n.log('worker')).toContain(`Worker finished execution ${execution.id} `);

		// After the execution ends (saved): still served by main; the webhook process does not serve /rest.
		expect(await fetchLink(speech.url, PUBLIC_BASE, n8n.url)).toEqual({ status: 200, sha256: sha256(SPEECH) });
		expect((await fetchLink(speech.url, PUBLIC_BASE, n8n.webhookBase)).status).toBe(404);
	});

	it('Save successful executions off: the database-held file is served after the execution ends until the next hard-delete pass; then the link fails with HTTP 500 (not 404)', async () => {
		const created = await n8n.importWorkflow(binaryWorkflow(sb, credentials, { vendor: 'vozo', path: 'bin-queue-unsaved', speechBytes: SPEECH_BYTES, settings: { saveDataSuccessExecution: 'none' } }));
		await n8n.publish(created.id);
		const job = await runAndWaitForJob(n8n, sb, 'vozo', 'bin-queue-unsaved');
		expect(job.phase).toBe('succeeded');
		await waitFor('the unsaved execution to end', async () => (await n8n.executions({ workflowId: created.id, status: 'running' })).length === 0 || undefined, { timeoutMs: 60_000, intervalMs: 250 });
		const ended = Date.now();
		const link = fetchedFile(job.inputFiles, 'audio')!.url;
		expect(await fetchLink(link, PUBLIC_BASE, n8n.url)).toEqual({ status: 200, sha256: sha256(SPEECH) });
		// n8n's database binary manager throws EntityNotFoundError for a deleted file, which the route answers as a 500.
		const failed = await waitFor('the link to stop serving the file', async () => {
			const { status } = await fetchLink(link, PUBLIC_BASE, n8n.url);
			return status === 200 ? undefined : status;
		}, { timeoutMs: 150_000, intervalMs: 1_000 });
		const gone = Math.round((Date.now() - ended) / 1000);
		expect(failed).toBe(500);
		expect(gone).toBeLessThanOrEqual(125);
		expect(await n8n.executions({ workflowId: created.id })).toEqual([]);
		process.stdout.write(`measured (queue, database mode): unsaved execution's binary link served for ${gone} s after the execution ended (hard-delete pass every 1 min), then HTTP ${failed}\n`);
	});
});
