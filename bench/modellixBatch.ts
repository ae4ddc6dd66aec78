/**
 * Modellix in the real n8n (issue 22): one execution of Modellix Create and Wait over N rows on
 * one key, the sandbox enforcing Modellix's 100 requests a minute per key, status reads included.
 * The bound is what that limit allows any client: every job needs at least its create and one
 * status read, and 2N requests, at most L in any 60 s, cannot all be answered sooner than
 * floor((2N − 1)/L) windows after the first; nor can the batch end before its longest job plus
 * one poll interval. The notes also give the bound for the R requests the run actually spent.
 * Wall is n8n's own record.
 */
import { startSandbox } from '../test/sandbox';
import { busiestWindow, postRows, rowNode, rows, rowsWorkflow } from '../test/e2e/support/pipeline';
import { economyOf } from './economy';
import { verdict, type PartContext, type Row } from './parts';
import { finishedExecutions, latestId, outputItems, sandboxCredential, wallMs } from './realN8n';
import { fmt, median } from './stats';

const VENDOR = 'modellix';
const NAME = 'Modellix';

export async function runModellixBatch(ctx: PartContext): Promise<Row[]> {
	const { config, log } = ctx;
	const n8n = await ctx.n8n.instance();
	const sb = await startSandbox({ jobDurationMs: config.jobMs, jitterMs: config.jitterMs });
	try {
		const limit = sb.options().modellixRequestsPerWindow;
		const windowMs = sb.options().rateWindowMs;
		const credentials = await sandboxCredential(n8n, sb, VENDOR);
		const hook = 'bench-modellix-batch';
		const options = { pollIntervalSeconds: config.pollSeconds, waitLimitMinutes: 60, maxJobsPerExecution: 0 };
		const wf = await n8n.importWorkflow(rowsWorkflow(`bench: ${NAME} Create and Wait`, hook, [rowNode(VENDOR, NAME, credentials, { operation: 'createAndWait', options })]));
		await n8n.publish(wf.id);
		const before = await latestId(n8n, wf.id);
		await postRows(n8n, hook, rows(config.modellixItems, 'mx'));
		// the quick run needed 5.4 requests a job; room for 8, at most `limit` a window
		const timeoutMs = Math.ceil((config.modellixItems * 8) / limit) * windowMs + (config.jobMs + config.jitterMs) * 4 + 180_000;
		const [execution] = await finishedExecutions(n8n, wf.id, before, 1, timeoutMs);
		if (execution.status !== 'success') throw new Error(`modellix: execution ${execution.id} ended ${execution.status}`);
		const out = outputItems(execution, NAME);
		const ok = out.filter((item) => item.json.status === 'succeeded').length;
		const entries = sb.log.entries({ vendor: VENDOR });
		const times = entries.map((e) => e.time);
		const requests = entries.length;
		const refused = entries.filter((e) => e.statusCode === 429).length;
		const economy = economyOf(sb, VENDOR, config.pollSeconds * 1000);
		const fewest = 2 * config.modellixItems;
		const rateBoundMs = Math.floor((fewest - 1) / limit) * windowMs;
		const spentBoundMs = Math.floor((requests - 1) / limit) * windowMs;
		const jobBoundMs = economy.maxJobMs + config.pollSeconds * 1000;
		const boundMs = Math.max(rateBoundMs, jobBoundMs);
		const wall = wallMs(execution);
		const creates = entries.filter((e) => e.endpoint === 'create').length;
		const statuses = entries.filter((e) => e.endpoint === 'status').length;
		log(`modellix: ${ok}/${config.modellixItems} succeeded, wall ${wall} ms, ${requests} requests (${creates} creates, ${statuses} status, ${refused} refused 429), bound ${boundMs} ms`);
		return [
			[
				`Modellix, ${config.modellixItems} jobs in one execution, same real n8n: wall vs the bound its ${limit} requests a minute allow any client (status reads included), D ≈ ${config.jobMs / 1000} s ± ${config.jitterMs / 1000} s, poll ${config.pollSeconds} s`,
				'reported (wall / bound)',
				`${fmt(wall / boundMs)} × (wall ${fmt(wall / 1000, 1)} s, bound ${fmt(boundMs / 1000, 1)} s)`,
				verdict(undefined),
				`1 run; bound = max(floor((2N − 1)/${limit}) × ${windowMs / 1000} s, max D + 1 interval) = max(${fmt(rateBoundMs / 1000, 1)} s, ${fmt(jobBoundMs / 1000, 1)} s): 2N = ${fewest}, a create and one status read per job, the fewest any client can spend; ` +
					`this run spent R = ${requests} Modellix requests (${creates} creates, ${statuses} status reads, ${requests - creates - statuses} other; ${refused} answered 429), whose own bound floor((R − 1)/${limit}) windows is ${fmt(spentBoundMs / 1000, 1)} s; ` +
					`${fmt(requests / config.modellixItems)} per job (status ${fmt(economy.statusPerJob)} per job); most in any 60 s: ${busiestWindow(times, windowMs)}; ` +
					`items succeeded ${ok}/${config.modellixItems}; completion noticed after median ${fmt(median(economy.noticeMs) / 1000)} s`,
			],
		];
	} finally {
		await sb.close();
	}
}
