/**
 * The Vozo "Wait By: Vendor Callback" round trip in a real n8n, shared by the regular-mode and
 * the queue-mode suites: Webhook → Vozo (Create and Wait, callback) → Set. The execution parks,
 * the sandbox's intermediate callback leaves it waiting, the final callback resumes it.
 */
import type { N8nInstance } from '../harness';
import { waitFor } from '../harness';
import type { Sandbox } from '../../sandbox';

export const VOZO_TYPE = 'n8n-nodes-lipsync.vozo';
export const LIPSYNC_TRIGGER_TYPE = 'n8n-nodes-lipsync.lipSyncTrigger';
export const FACE_URL = 'https://cdn.example.test/face.mp4';
export const AUDIO_URL = 'https://cdn.example.test/voice.mp3';

export type CredentialRef = { id: string; name: string };

export async function vozoCredential(n8n: N8nInstance, sb: Sandbox): Promise<CredentialRef> {
	const [created] = await n8n.importCredentials([
		{ name: 'Vozo (e2e sandbox)', type: 'vozoApi', data: { apiKey: sb.keys.vozo, baseUrl: sb.baseUrl('vozo') } },
	]);
	return { id: created.id, name: created.name };
}

type Node = Record<string, unknown> & { name: string };

export const webhookNode = (name: string, webhookId: string, path: string, responseMode = 'onReceived'): Node => ({
	id: `${webhookId}-node`,
	name,
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	position: [0, 0],
	webhookId,
	parameters: { httpMethod: 'POST', path, responseMode, options: {} },
});

export const setNode = (name: string, fields: string[]): Node => ({
	id: `set-${name.replace(/\W/g, '')}`,
	name,
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	position: [440, 0],
	parameters: {
		assignments: {
			assignments: fields.map((field) => ({ id: field, name: field, value: `={{ $json.${field} }}`, type: 'string' })),
		},
		options: {},
	},
});

export function vozoNode(name: string, credential: CredentialRef, parameters: Record<string, unknown>): Node {
	return {
		id: `vozo-${name.replace(/\W/g, '')}`,
		name,
		type: VOZO_TYPE,
		typeVersion: 1,
		position: [220, 0],
		credentials: { vozoApi: credential },
		parameters: {
			generationMode: 'referenceFile',
			referenceFileType: 'video',
			referenceFileUrl: FACE_URL,
			model: 'standard_v1',
			audioUrl: AUDIO_URL,
			...parameters,
		},
	};
}

export function chain(...names: string[]): Record<string, unknown> {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

export const OUTPUT_FIELDS = ['jobId', 'provider', 'status', 'videoUrl', 'message'];

/** Webhook → Vozo (Create and Wait, Wait By: Vendor Callback) → Set. */
export function callbackWaitWorkflow(
	name: string,
	credential: CredentialRef,
	webhookId: string,
	options: { waitLimitMinutes: number; downloadVideo?: boolean },
) {
	return {
		name,
		nodes: [
			webhookNode('Start', webhookId, webhookId),
			vozoNode('Vozo', credential, { operation: 'createAndWait', waitBy: 'callback', options }),
			setNode('Result', OUTPUT_FIELDS),
		],
		connections: chain('Start', 'Vozo', 'Result'),
	};
}

/** Items a node produced in its last run, from an execution fetched with includeData. */
export function lastOutput(execution: any, nodeName: string): Array<Record<string, any>> {
	const runs = execution?.data?.resultData?.runData?.[nodeName] as any[] | undefined;
	if (!runs?.length) throw new Error(`node "${nodeName}" did not run in execution ${execution?.id}`);
	return ((runs.at(-1).data?.main?.[0] ?? []) as Array<{ json: Record<string, any> }>).map((item) => item.json);
}

export interface ParkedRun {
	executionId: string;
	jobId: string;
	/** When the webhook started it (ms). */
	startedAt: number;
}

/** Starts the workflow through its webhook and waits until its execution is parked. */
export async function startParkedRun(n8n: N8nInstance, sb: Sandbox, workflowId: string, path: string): Promise<ParkedRun> {
	const startedAt = Date.now();
	const before = await n8n.executions({ workflowId, limit: 1 });
	const res = await n8n.webhook(`webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
	expect(res.status).toBe(200);
	await res.arrayBuffer();
	const parked = await n8n.waitForExecution({ workflowId, status: ['waiting'], newerThan: before[0]?.id ?? '0', timeoutMs: 60_000 });
	const job = sb.jobs.list('vozo').find((j) => j.callbackUrl?.includes(`/webhook-waiting/${parked.id}?signature=`));
	if (!job) throw new Error(`no Vozo job has the resume URL of execution ${parked.id} as its callback`);
	return { executionId: String(parked.id), jobId: job.id, startedAt };
}

async function executionStatus(n8n: N8nInstance, executionId: string): Promise<string> {
	return (await n8n.api<{ status: string }>('GET', `/executions/${executionId}`)).status;
}

/**
 * The whole round trip on a parked run. The sandbox must keep the job running (fault
 * `neverFinish`) with a `queued → processing` step after the execution parked.
 */
export async function completeParkedRun(
	n8n: N8nInstance,
	sb: Sandbox,
	workflowId: string,
	run: ParkedRun,
	options: { expectVideo: boolean },
) {
	const callbacksOf = () => sb.deliveries.list({ kind: 'vozo-callback' }).filter((d) => sb.jobs.get('vozo', run.jobId)?.callbackUrl === d.url);

	// Vozo's intermediate callback is answered 200 and leaves the execution parked.
	const processing = await waitFor(
		'the "processing" callback',
		async () => callbacksOf().find((d) => (d.body as { status?: string }).status === 'processing'),
		{ timeoutMs: 30_000, intervalMs: 100 },
	);
	expect(processing.statusCode).toBe(200);
	expect(await executionStatus(n8n, run.executionId)).toBe('waiting');
	expect(sb.log.count({ vendor: 'vozo', endpoint: 'status' })).toBe(0);

	const parked = await n8n.api<{ customData?: Record<string, string> }>('GET', `/executions/${run.executionId}?includeData=true`);
	expect(parked.customData).toMatchObject({ lipsyncJobId: run.jobId, lipsyncProvider: 'vozo' });
	// The job ledger, as in polling mode: the job id listed for item 0.
	expect(Object.values(parked.customData ?? {}).join(' ')).toContain(`0=${run.jobId}`);
	// (The executions list can filter by custom data only with n8n's licensed "advanced execution
	// filters"; without a license n8n drops that filter. The values show in the execution itself.)

	// The final callback resumes it; the node confirms the outcome with one status request.
	sb.jobs.finish('vozo', run.jobId, 'succeeded');
	const finished = await n8n.waitForExecution({ workflowId, status: ['success', 'error', 'crashed'], newerThan: String(Number(run.executionId) - 1), timeoutMs: 60_000 });
	expect(finished.id).toBe(run.executionId);
	expect(finished.status).toBe('success');
	const done = callbacksOf().find((d) => (d.body as { status?: string }).status === 'done');
	expect(done?.statusCode).toBe(200);
	expect(sb.log.count({ vendor: 'vozo', endpoint: 'status' })).toBe(1);

	// With Download Video on, webhook() streamed the video into n8n's binary store before resuming.
	const [vozoItem] = finished.data.resultData.runData.Vozo.at(-1).data.main[0];
	if (options.expectVideo) {
		expect(vozoItem.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: `vozo-${run.jobId}.mp4` });
	} else {
		expect(vozoItem.binary).toBeUndefined();
	}

	const [result] = lastOutput(finished, 'Result');
	expect(result).toMatchObject({
		jobId: run.jobId,
		provider: 'vozo',
		status: 'succeeded',
		videoUrl: expect.stringContaining(`${sb.baseUrl('vozo')}/results/${run.jobId}.mp4?token=`),
	});
	return finished;
}
