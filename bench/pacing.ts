/**
 * Issue 9's row, in the real n8n: two executions of the same JoggAI Create and Wait workflow,
 * `pacingItems` rows each, started together on one API key. JoggAI allows 20 POSTs a minute per
 * key; the node paces them to 20 per 61 s window per account, shared by the executions of one
 * n8n process. Measured: items that did not succeed, the most create POSTs the sandbox saw in any
 * 60 s, and the wall time (first start → last stop) over the pacing bound: the last of M POSTs
 * cannot leave before floor((M−1)/20)·61 s, then its job runs D and one poll interval notices it.
 */
import { startSandbox } from '../test/sandbox';
import { busiestWindow, postRows, rowNode, rows, rowsWorkflow } from '../test/e2e/support/pipeline';
import { verdict, type PartContext, type Row } from './parts';
import { finishedExecutions, latestId, outputItems, sandboxCredential } from './realN8n';
import { fmt } from './stats';

const POSTS_PER_WINDOW = 20;
const NODE_WINDOW_MS = 61_000;
const HOOK = 'bench-pacing';

export async function runPacing(ctx: PartContext): Promise<Row[]> {
	const { config, log } = ctx;
	const n8n = await ctx.n8n.instance();
	const sb = await startSandbox({ jobDurationMs: { joggai: config.pacingJobMs }, jitterMs: 0 });
	try {
		const credentials = await sandboxCredential(n8n, sb, 'joggai');
		const pollSeconds = config.quick ? 1 : 2;
		const options = { pollIntervalSeconds: pollSeconds, waitLimitMinutes: 30, maxJobsPerExecution: 0 };
		const wf = await n8n.importWorkflow(
			rowsWorkflow('bench: JoggAI rows, two executions', HOOK, [rowNode('joggai', 'JoggAI', credentials, { operation: 'createAndWait', options })]),
		);
		await n8n.publish(wf.id);
		const n = config.pacingItems;
		const posts = 2 * n;
		const boundMs = Math.floor((posts - 1) / POSTS_PER_WINDOW) * NODE_WINDOW_MS + config.pacingJobMs + pollSeconds * 1000;
		const before = await latestId(n8n, wf.id);
		log(`pacing: 2 executions × ${n} JoggAI items on one key (bound ${(boundMs / 1000).toFixed(0)} s)…`);
		await Promise.all([postRows(n8n, HOOK, rows(n, 'pa')), postRows(n8n, HOOK, rows(n, 'pb'))]);
		const executions = await finishedExecutions(n8n, wf.id, before, 2, boundMs * 1.5 + 180_000);

		let failed = 0;
		for (const execution of executions) {
			if (execution.status !== 'success') {
				failed += n;
				continue;
			}
			const out = outputItems(execution, 'JoggAI');
			failed += n - out.filter((item) => item.json.status === 'succeeded').length;
		}
		const creates = sb.log.entries({ vendor: 'joggai', endpoint: 'create' });
		const refused = creates.filter((entry) => (entry.responseBody as { code?: unknown })?.code === 429).length;
		const busiest = busiestWindow(creates.map((entry) => entry.time), 60_000);
		const start = Math.min(...executions.map((e) => Date.parse(e.startedAt)));
		const stop = Math.max(...executions.map((e) => Date.parse(e.stoppedAt)));
		const ratio = (stop - start) / boundMs;
		await n8n.api('POST', `/workflows/${wf.id}/deactivate`, {});
		log(`pacing: ${failed} failed, busiest 60 s ${busiest} POSTs, ${refused} refused, wall ${((stop - start) / 1000).toFixed(1)} s = ${ratio.toFixed(3)} × bound`);

		const what = `two overlapping executions, 2×${n} JoggAI items, one key, real n8n`;
		const note = `${creates.length} create POSTs at the sandbox (${refused} answered 429), ${sb.jobs.list('joggai').length} jobs; 1 run`;
		return [
			[`7. Issue 9: items failed (${what})`, '0', String(failed), verdict(failed === 0), note],
			[`7. Issue 9: most create POSTs in any 60 s (${what})`, '≤ 20', String(busiest), verdict(busiest <= 20), 'sliding 60 s window over the sandbox\'s request log'],
			[
				`7. Issue 9: wall time over the pacing bound (${what})`,
				'≤ 1.10',
				`${fmt(ratio, 3)} × (${fmt((stop - start) / 1000, 1)} s vs ${fmt(boundMs / 1000, 1)} s)`,
				verdict(ratio <= 1.1),
				`bound = floor((${posts}−1)/20)·61 s + D (${config.pacingJobMs / 1000} s) + 1 poll interval (${pollSeconds} s); first startedAt → last stoppedAt`,
			],
		];
	} finally {
		await sb.close();
	}
}
