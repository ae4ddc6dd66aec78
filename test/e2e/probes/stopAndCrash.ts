/**
 * What survives a stopped or crashed execution in the real n8n 2.41.1 (docs/n8n-stop-and-crash.md
 * records the results). Runs the probe node (probeNode.ts) through a webhook and a manual run,
 * stops it through n8n's REST API or kills n8n with SIGKILL mid-run, and prints what a user can
 * still see: the execution (editor REST and public API), its custom data, the workflow's static
 * data, n8n's log and its event log.
 *
 *   source scripts/toolchain.sh
 *   npx tsx test/e2e/probes/stopAndCrash.ts [regular|progress|crash|queue|queuecrash ...]   (default: all)
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, startN8n, waitFor, type N8nInstance } from '../harness';
import { PROBE_TYPE, writeProbeNode } from './probeNode';

const report = (title: string, value: unknown) =>
	process.stdout.write(`\n### ${title}\n${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);

/** Custom data with long values shown by their length. */
const short = (data: Record<string, string> | undefined) =>
	data && Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.length > 60 ? `<${v.length} characters>` : v]));

const node = (name: string, type: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	id: `probe-${name}`,
	name,
	type,
	typeVersion: type.endsWith('set') ? 3.4 : type.endsWith('webhook') ? 2 : 1,
	position: [0, 0],
	parameters,
	...extra,
});

async function probeWorkflows(n8n: N8nInstance, suffix: string) {
	const webhookId = `probe-hook-${suffix}`;
	const hook = await n8n.importWorkflow({
		name: `probe webhook ${suffix}`,
		nodes: [
			node('Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: webhookId, responseMode: 'onReceived', options: {} }, { webhookId }),
			node('Probe', PROBE_TYPE, {}),
		],
		connections: { Webhook: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] } },
	});
	await n8n.publish(hook.id);
	const manual = await n8n.importWorkflow({
		name: `probe manual ${suffix}`,
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', {}),
			node('Config', 'n8n-nodes-base.set', {
				assignments: {
					assignments: [
						{ id: 'a', name: 'tag', value: `manual${suffix}`, type: 'string' },
						{ id: 'b', name: 'onStop', value: 'return', type: 'string' },
					],
				},
				options: {},
			}),
			node('Probe', PROBE_TYPE, {}),
		],
		connections: {
			Start: { main: [[{ node: 'Config', type: 'main', index: 0 }]] },
			Config: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] },
		},
	});
	return { hook, webhookId, manual };
}

const logOf = (n8n: N8nInstance) => n8n.log('main') + n8n.log('worker');

async function runningExecution(n8n: N8nInstance, workflowId: string, tag: string) {
	await waitFor(`the probe "${tag}" to log`, async () => (logOf(n8n).includes(`PROBE ${tag} submitted`) ? true : undefined), {
		timeoutMs: 60_000,
	});
	return await waitFor('a running execution', async () => (await n8n.executions({ workflowId, status: 'running' }))[0], {
		timeoutMs: 30_000,
	});
}

async function startByWebhook(n8n: N8nInstance, webhookId: string, workflowId: string, body: Record<string, unknown>) {
	const res = await n8n.webhook(`webhook/${webhookId}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	await res.arrayBuffer();
	return await runningExecution(n8n, workflowId, String(body.tag));
}

/** Everything a user can see of one execution, and of its workflow's static data. */
async function inspect(n8n: N8nInstance, executionId: string, workflowId: string, tag: string) {
	const pub = await n8n.api<any>('GET', `/executions/${executionId}?includeData=true`);
	const rest = await n8n.rest<any>('GET', `/executions/${executionId}`).catch((e: Error) => ({ restError: e.message }));
	const wf = await n8n.api<any>('GET', `/workflows/${workflowId}`);
	const runData = pub.data?.resultData?.runData ?? {};
	const probeRuns = (runData.Probe ?? []).map((run: any) => ({
		executionStatus: run.executionStatus,
		items: run.data?.main?.[0]?.map((i: any) => i.json),
		error: run.error?.message,
	}));
	return {
		status: pub.status,
		finished: pub.finished,
		publicApi: {
			customData: short(pub.customData),
			nodesWithRunData: Object.keys(runData),
			probeRuns,
			resultError: pub.data?.resultData?.error?.message,
			metadataInDataBlob: pub.data?.resultData?.metadata,
		},
		editorRest: 'restError' in rest ? rest : { status: rest.status, customData: short(rest.customData), hasData: typeof rest.data, dataMentionsJob: String(rest.data).includes(`${tag}-job`) },
		workflowStaticData: wf.staticData,
		logLines: logOf(n8n).split('\n').filter((l) => l.includes(`PROBE ${tag}`)).map((l) => JSON.parse(l).message ?? l),
	};
}

function eventLog(dir: string, executionId: string) {
	const folder = join(dir, '.n8n');
	const files = existsSync(folder) ? readdirSync(folder).filter((f) => f.startsWith('n8nEventLog')) : [];
	const events = files.flatMap((f) =>
		readFileSync(join(folder, f), 'utf8')
			.split('\n')
			.filter((l) => l.includes(`"executionId":"${executionId}"`))
			.map((l) => {
				const msg = JSON.parse(l);
				return `${msg.eventName} ${msg.payload?.nodeName ?? ''}`.trim();
			}),
	);
	return { files, events };
}

async function stopAndInspect(n8n: N8nInstance, workflowId: string, executionId: string, tag: string, lateMs = 0) {
	const stoppedAt = Date.now();
	const answer = await n8n.rest<any>('POST', `/executions/${executionId}/stop`);
	await waitFor('the canceled execution', async () => {
		const e = await n8n.api<any>('GET', `/executions/${executionId}`);
		return ['canceled', 'success', 'error', 'crashed'].includes(e.status) ? e : undefined;
	}, { timeoutMs: 30_000 });
	// Let the node finish its after-stop writes (and a late answer) before looking.
	await sleep(3_000 + lateMs);
	return { stopAnswer: answer?.status, tookMs: Date.now() - stoppedAt, ...(await inspect(n8n, executionId, workflowId, tag)) };
}

async function regular(progress: boolean) {
	const suffix = progress ? 'progress' : 'regular';
	const probeDir = writeProbeNode(mkdtempSync(join(tmpdir(), 'probe-node-')));
	const env: Record<string, string> = { N8N_CUSTOM_EXTENSIONS: probeDir };
	if (progress) env.EXECUTIONS_DATA_SAVE_ON_PROGRESS = 'true';
	const n8n = await startN8n({ env });
	try {
		const { hook, webhookId, manual } = await probeWorkflows(n8n, suffix);
		const before = (await n8n.executions({ workflowId: hook.id, limit: 1 }))[0]?.id ?? '0';
		await n8n.webhook(`webhook/${webhookId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'limits' }) });
		const limits = await n8n.waitForExecution({ workflowId: hook.id, newerThan: before, timeoutMs: 30_000 });
		report(`${suffix}: custom data of a successful run that set 12 keys`, { status: limits.status, customData: short(limits.customData), staticData: (await n8n.api<any>('GET', `/workflows/${hook.id}`)).staticData });

		for (const onStop of ['return', 'throw']) {
			const tag = `${suffix}${onStop}`;
			const running = await startByWebhook(n8n, webhookId, hook.id, { tag, onStop });
			report(`${suffix}: webhook run stopped, node then ${onStop}s`, await stopAndInspect(n8n, hook.id, running.id, tag));
		}
		const late = `${suffix}late`;
		const lateRun = await startByWebhook(n8n, webhookId, hook.id, { tag: late, onStop: 'return', lateMs: 5_000 });
		report(`${suffix}: webhook run stopped, node writes 5 s after the stop`, await stopAndInspect(n8n, hook.id, lateRun.id, late, 5_000));

		await n8n.rest('POST', `/workflows/${manual.id}/run`, { triggerToStartFrom: { name: 'Start' } });
		const manualRun = await runningExecution(n8n, manual.id, `manual${suffix}`);
		report(`${suffix}: manual run stopped`, await stopAndInspect(n8n, manual.id, manualRun.id, `manual${suffix}`));
		report(`${suffix}: event log of the last stopped run`, eventLog(n8n.dir, manualRun.id));
	} finally {
		await n8n.stop();
	}
}

/** Kills n8n with SIGKILL mid-run, starts it again on the same folder and looks at the execution. */
async function crash(queueMode: boolean) {
	const dir = mkdtempSync(join(tmpdir(), 'probe-crash-'));
	const probeDir = writeProbeNode(mkdtempSync(join(tmpdir(), 'probe-node-')));
	const env = { N8N_CUSTOM_EXTENSIONS: probeDir, N8N_LOG_OUTPUT: 'console,file' };
	const suffix = queueMode ? 'queuecrash' : 'crash';
	const first = await startN8n({ env, userFolder: dir, queueMode });
	const { hook, webhookId } = await probeWorkflows(first, suffix);
	const running = await startByWebhook(first, webhookId, hook.id, { tag: suffix, onStop: 'return' });
	await sleep(2_000);
	// SIGKILL: no shutdown code of n8n runs (a crash, an OOM kill). In queue mode only the worker
	// that runs the execution dies first; main stays up and is looked at a while later.
	const victims = first.processes.filter((p) => (queueMode ? p.name === 'worker' : p.name !== 'redis-server'));
	for (const proc of victims) process.kill(-proc.child.pid!, 'SIGKILL');
	await sleep(1_000);
	if (queueMode) {
		await sleep(45_000);
		report(`${suffix}: 45 s after the worker was killed, main still up`, await inspect(first, running.id, hook.id, suffix));
	}
	const beforeRestartLog = first.log('main') + first.log('worker');
	await first.stop();
	const second = await startN8n({ env, userFolder: dir, queueMode });
	try {
		const ended = await waitFor('the execution to be marked', async () => {
			const e = await second.api<any>('GET', `/executions/${running.id}`);
			return e.status === 'running' || e.status === 'new' ? undefined : e;
		}, { timeoutMs: 90_000 }).catch((e: Error) => ({ status: `still running: ${e.message.split('\n')[0]}` }));
		report(`${suffix}: execution after SIGKILL and restart (${ended.status})`, await inspect(second, running.id, hook.id, suffix));
		report(`${suffix}: log lines written before the kill`, beforeRestartLog.split('\n').filter((l) => l.includes(`PROBE ${suffix}`)));
		report(`${suffix}: n8n log file`, readdirSync(join(dir, '.n8n', 'logs')).map((f) => `${f}: ${readFileSync(join(dir, '.n8n', 'logs', f), 'utf8').split('\n').filter((l) => l.includes(`PROBE ${suffix}`)).length} probe lines`));
		report(`${suffix}: event log`, eventLog(dir, running.id));
		report(`${suffix}: n8n's recovery log lines`, (second.log('main')).split('\n').filter((l) => /recover|crash/i.test(l)).slice(0, 10));
	} finally {
		await second.stop();
	}
}

async function queue() {
	const probeDir = writeProbeNode(mkdtempSync(join(tmpdir(), 'probe-node-')));
	const n8n = await startN8n({ env: { N8N_CUSTOM_EXTENSIONS: probeDir }, queueMode: true });
	try {
		const { hook, webhookId } = await probeWorkflows(n8n, 'queue');
		const running = await startByWebhook(n8n, webhookId, hook.id, { tag: 'queue', onStop: 'return' });
		report('queue: webhook run (on the worker) stopped', await stopAndInspect(n8n, hook.id, running.id, 'queue'));
		report('queue: worker log lines', n8n.log('worker').split('\n').filter((l) => l.includes('PROBE queue')).length);
	} finally {
		await n8n.stop();
	}
}

async function main() {
	const wanted = process.argv.slice(2);
	const all = wanted.length === 0;
	if (all || wanted.includes('regular')) await regular(false);
	if (all || wanted.includes('progress')) await regular(true);
	if (all || wanted.includes('crash')) await crash(false);
	if (all || wanted.includes('queue')) await queue();
	if (all || wanted.includes('queuecrash')) await crash(true);
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	},
);
