/**
 * Queue mode, the way n8n scales out: Redis, one main, two `n8n worker` processes (concurrency 5)
 * and a webhook process, our package on each. `queueExecutions` executions of `queueItems` Vozo
 * rows each are started together on one key. Vozo allows 10 queued or running jobs per key; each
 * worker process paces its own executions to 10 but cannot see the other worker, so the vendor's
 * "try later" refusals (1304) must be put back in line inside the node, never lost or failed.
 * Measured: items that did not succeed, the most jobs the sandbox saw running at once, how many
 * creates were refused, how the executions spread over the workers, and the wall time (first
 * start → last stop) over ceil(items/10)·D.
 */
import { startSandbox } from '../test/sandbox';
import { postRows, rowNode, rows, rowsWorkflow } from '../test/e2e/support/pipeline';
import { verdict, type PartContext, type Row } from './parts';
import { finishedExecutions, latestId, outputItems, sandboxCredential, startBenchN8n } from './realN8n';
import { fmt } from './stats';

const VOZO_RUNNING_JOBS = 10;
const HOOK = 'bench-queue';

export async function runQueue(ctx: PartContext): Promise<Row[]> {
	const { config, log } = ctx;
	log('queue: starting n8n in queue mode (redis, main, 2 workers, webhook)…');
	const n8n = await startBenchN8n({ queueMode: true, workers: 2 }, log);
	const sb = await startSandbox({ jobDurationMs: { vozo: config.queueJobMs }, jitterMs: 0 });
	try {
		const credentials = await sandboxCredential(n8n, sb, 'vozo');
		const options = { pollIntervalSeconds: config.queuePollSeconds, waitLimitMinutes: 30, maxJobsPerExecution: 0 };
		const wf = await n8n.importWorkflow(
			rowsWorkflow('bench: Vozo rows (queue mode)', HOOK, [rowNode('vozo', 'Vozo', credentials, { operation: 'createAndWait', options })]),
		);
		await n8n.publish(wf.id);
		const count = config.queueExecutions;
		const n = config.queueItems;
		const total = count * n;
		const boundMs = Math.ceil(total / VOZO_RUNNING_JOBS) * config.queueJobMs;
		const before = await latestId(n8n, wf.id);
		log(`queue: ${count} executions × ${n} Vozo items started together (bound ${(boundMs / 1000).toFixed(0)} s)…`);
		await Promise.all(Array.from({ length: count }, (_, i) => postRows(n8n, HOOK, rows(n, `q${i}`))));
		const executions = await finishedExecutions(n8n, wf.id, before, count, boundMs * 3 + 240_000);

		let failed = 0;
		const problems: string[] = [];
		for (const execution of executions) {
			if (execution.status !== 'success') {
				failed += n;
				const error = execution.data?.resultData?.error;
				problems.push(`execution ${execution.id} ended ${execution.status}${error ? `: ${String(error.message).slice(0, 200)}` : ''}`);
				continue;
			}
			const notOk = outputItems(execution, 'Vozo').filter((item) => item.json.status !== 'succeeded');
			failed += notOk.length;
			if (notOk.length) problems.push(`execution ${execution.id}: ${notOk.length} items ${notOk[0].json.status} (${JSON.stringify(notOk[0].json.error ?? '').slice(0, 200)})`);
		}
		if (problems.length) log(`queue: ${problems.join('; ')}`);
		const creates = sb.log.entries({ vendor: 'vozo', endpoint: 'create' });
		const refused = creates.filter((entry) => String((entry.responseBody as { code?: unknown })?.code) === '1304').length;
		const stats = sb.jobs.stats('vozo');
		const byWorker = n8n.processes
			.filter((p) => p.name.startsWith('worker'))
			.map((p) => `${p.name} ${executions.filter((e) => p.log().includes(`Worker finished execution ${e.id} `)).length}`)
			.join(', ');
		// An execution that never ran on a worker has no start or stop time.
		const times = (field: 'startedAt' | 'stoppedAt') => executions.map((e) => Date.parse(e[field])).filter(Number.isFinite);
		const start = Math.min(...times('startedAt'));
		const stop = Math.max(...times('stoppedAt'));
		const ratio = (stop - start) / boundMs;
		log(`queue: ${failed} failed, max running ${stats.maxActive}, ${refused} refused creates, executions by worker: ${byWorker}; wall ${ratio.toFixed(2)} × bound`);

		const what = `queue mode (Redis, main + 2 workers), ${count} executions × ${n} Vozo items started together, one key, D = ${config.queueJobMs / 1000} s, poll ${config.queuePollSeconds} s`;
		return [
			[
				`8. Queue mode: items failed, vendor limit held (${what})`,
				`0 failed; ≤ ${VOZO_RUNNING_JOBS} Vozo jobs running`,
				`${failed} failed; max ${stats.maxActive} running`,
				verdict(failed === 0 && stats.maxActive <= VOZO_RUNNING_JOBS),
				`${refused} creates refused by Vozo's limit (1304) and re-queued inside the node; ${stats.created} jobs created for ${total} items; executions by worker: ${byWorker}; 1 run` +
					(problems.length ? `; ${problems.join('; ')}` : ''),
			],
			[
				`8. Queue mode: wall time over ceil(items/10)·D (${what})`,
				'reported',
				`${fmt(ratio)} × (${fmt((stop - start) / 1000, 1)} s vs ${fmt(boundMs / 1000, 1)} s)`,
				'—',
				'first startedAt → last stoppedAt; the bound has no polling and no refusals in it: every slot turnover here waits for a poll to notice the job ended, and refused creates wait one poll interval before trying again',
			],
		];
	} finally {
		await sb.close();
		await n8n.stop();
	}
}
