import { packPackage, startN8n, type N8nInstance } from './harness';
import { startSandbox, type Sandbox } from '../sandbox';
import { deliveryLogOf } from '../sandbox/deliveries';
import {
	callbackWaitWorkflow,
	completeParkedRun,
	lastOutput,
	startParkedRun,
	vozoCredential,
	type CredentialRef,
	type ParkedRun,
} from './support/callbackWait';

/**
 * Vozo Create and Wait with Wait By "Vendor Callback" in a real n8n 2.41 (regular mode): the
 * execution is parked with `waiting` status, Vozo's callbacks go to its resume URL, and only
 * the final one resumes it, once even when Vozo sends it twice; a GET or HEAD check of the resume
 * URL resumes nothing. When the wait limit passes instead, n8n resumes it by time.
 */
const PUBLIC_BASE = 'https://n8n.example.test';

describe('Vozo: Wait By "Vendor Callback" in a real n8n', () => {
	let n8n: N8nInstance;
	let sb: Sandbox;
	let credential: CredentialRef;
	let limitWorkflowId: string;
	let limitRun: ParkedRun;

	beforeAll(async () => {
		// Jobs stay `queued` 5 s (the execution parks meanwhile), then `processing` until a test ends them.
		sb = await startSandbox({ jobDurationMs: { vozo: 10_000 }, queuedFraction: 0.5, jitterMs: 0 });
		sb.setFault('vozo', { kind: 'neverFinish' });
		// The node refuses resume URLs Vozo could not reach: n8n looks public, the sandbox delivers locally.
		n8n = await startN8n({ packageTarball: await packPackage(), webhookUrl: `${PUBLIC_BASE}/` });
		sb.setOptions({ webhookHostRewrite: { [PUBLIC_BASE]: n8n.webhookBase } });
		credential = await vozoCredential(n8n, sb);

		// Parked first: n8n looks for executions whose wait limit passed once a minute (WaitTracker),
		// so this one is picked up while the other test runs.
		const limited = await n8n.importWorkflow(callbackWaitWorkflow('callback wait: wait limit', credential, 'cbw-limit', { waitLimitMinutes: 0.2 }));
		await n8n.publish(limited.id);
		limitWorkflowId = limited.id;
		limitRun = await startParkedRun(n8n, sb, limited.id, 'cbw-limit');
	});

	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
	});

	it('parks the execution, ignores the intermediate callback and resumes with the finished job', async () => {
		const workflow = await n8n.importWorkflow(callbackWaitWorkflow('callback wait: round trip', credential, 'cbw-round-trip', { waitLimitMinutes: 30, downloadVideo: true }));
		await n8n.publish(workflow.id);
		const run = await startParkedRun(n8n, sb, workflow.id, 'cbw-round-trip');

		const parked = await n8n.api('GET', `/executions/${run.executionId}?includeData=true`);
		expect(parked.status).toBe('waiting');
		expect(new Date(parked.waitTill).getTime()).toBeGreaterThan(run.startedAt + 29 * 60_000);
		expect(lastOutput(parked, 'Vozo')).toEqual([expect.objectContaining({ jobId: run.jobId, status: 'queued' })]);
		expect(parked.data.resultData.runData.Result).toBeUndefined();

		const finished = await completeParkedRun(n8n, sb, workflow.id, run, { expectVideo: true });
		expect(lastOutput(finished, 'Vozo')).toEqual([expect.objectContaining({ jobId: run.jobId, status: 'succeeded' })]);
	});

	/** A published callback-wait workflow (with Download Video) and its parked run. */
	async function parkOne(name: string, path: string) {
		const workflow = await n8n.importWorkflow(callbackWaitWorkflow(name, credential, path, { waitLimitMinutes: 30, downloadVideo: true }));
		await n8n.publish(workflow.id);
		const run = await startParkedRun(n8n, sb, workflow.id, path);
		const resumeUrl = sb.jobs.get('vozo', run.jobId)!.callbackUrl!;
		const ofThisJob = (endpoint: string) => sb.log.entries({ vendor: 'vozo', endpoint }).filter((e) => e.path.includes(run.jobId)).length;
		return { workflowId: workflow.id, run, resumeUrl, ofThisJob };
	}

	it("answers a GET and a HEAD to the resume URL (Vozo's callback check, an assumption) with 200, stays parked and checks nothing", async () => {
		const { run, resumeUrl, ofThisJob } = await parkOne('callback wait: url checks', 'cbw-checks');
		const resumePath = resumeUrl.slice(new URL(resumeUrl).origin.length);
		for (const method of ['GET', 'HEAD']) {
			const res = await n8n.webhook(resumePath, { method });
			expect([method, res.status]).toEqual([method, 200]);
			if (method === 'GET') expect(await res.json()).toEqual({ ok: true });
			else await res.arrayBuffer();
		}
		expect((await n8n.api<{ status: string }>('GET', `/executions/${run.executionId}`)).status).toBe('waiting');
		expect(ofThisJob('status')).toBe(0);
	});

	it('a "done" sent twice at once makes one status check and one download, and resumes once', async () => {
		const { workflowId, run, resumeUrl, ofThisJob } = await parkOne('callback wait: a doubled done', 'cbw-double');
		// The status check takes 2 s, so the second "done" arrives while the first is at work,
		// before n8n marks the execution running (after that n8n itself answers 409).
		sb.addFault('vozo', { kind: 'slow', endpoint: 'status', delayMs: 2_000, times: 1 });
		sb.jobs.finish('vozo', run.jobId, 'succeeded'); // the sandbox sends "done"…
		const copy = await deliveryLogOf(sb.deliveries).callback('vozo', resumeUrl, { status: 'done' }); // …and Vozo sends it again
		expect(copy.statusCode).toBe(200);
		const finished = await n8n.waitForExecution({ workflowId, status: ['success', 'error', 'crashed'], newerThan: String(Number(run.executionId) - 1), timeoutMs: 60_000 });
		expect(finished.status).toBe('success');
		const dones = sb.deliveries.list({ kind: 'vozo-callback' }).filter((d) => d.url === resumeUrl && (d.body as { status?: string }).status === 'done');
		expect(dones.map((d) => d.statusCode)).toEqual([200, 200]);
		expect(ofThisJob('status')).toBe(1);
		expect(ofThisJob('download')).toBe(1);
		// Resumed once: n8n replaces the parked run of the node with the resumed one.
		expect(finished.data.resultData.runData.Vozo).toHaveLength(1);
		expect(lastOutput(finished, 'Result')).toEqual([expect.objectContaining({ jobId: run.jobId, status: 'succeeded' })]);
	});

	it('outputs the job as still processing, with its id, when the wait limit passes', async () => {
		const finished = await n8n.waitForExecution({
			workflowId: limitWorkflowId,
			status: ['success', 'error', 'crashed'],
			newerThan: String(Number(limitRun.executionId) - 1),
			timeoutMs: 150_000,
		});
		expect(finished.id).toBe(limitRun.executionId);
		expect(finished.status).toBe('success');
		const [result] = lastOutput(finished, 'Result');
		expect(result).toMatchObject({ jobId: limitRun.jobId, provider: 'vozo', status: 'processing' });
		expect(result.message).toContain('within the wait limit');
		// Resumed by time, n8n does not run the node again: no status request for this job.
		expect(sb.log.entries({ vendor: 'vozo', endpoint: 'status' }).filter((e) => e.path.includes(limitRun.jobId))).toEqual([]);
		// A late callback finds the execution finished: n8n refuses it, nothing runs twice.
		sb.jobs.finish('vozo', limitRun.jobId, 'succeeded');
		const late = await waitForCallback(sb, limitRun.jobId, 'done');
		expect(late.statusCode).toBe(409);
		expect((await n8n.executions({ workflowId: limitWorkflowId })).map((e) => e.id)).toEqual([limitRun.executionId]);
		process.stdout.write(`[e2e] wait limit 12 s: resumed by time ${Math.round((Date.parse(finished.stoppedAt) - limitRun.startedAt) / 1000)} s after start\n`);
	});
});

async function waitForCallback(sb: Sandbox, jobId: string, status: string) {
	const url = sb.jobs.get('vozo', jobId)!.callbackUrl;
	for (let i = 0; i < 100; i++) {
		const found = sb.deliveries.list({ kind: 'vozo-callback' }).find((d) => d.url === url && (d.body as { status?: string }).status === status);
		if (found) return found;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`no "${status}" callback for job ${jobId}`);
}
