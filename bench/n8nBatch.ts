/**
 * Batch, all in the same real n8n: our Create and Wait for Personate (fixed-cadence polling) and
 * for sync.so (held status reads, the engine's long-polling) against the hand-built loop
 * (n8nLoop.ts, on Personate's API) on the same rows, the same sandbox job clock and the same poll
 * interval. Two job clocks: alike durations (D ± jitter) and spread-out durations (D ± a wide
 * jitter, the sandbox's uniform `jitterMs`). Wall time is n8n's own execution record (startedAt →
 * stoppedAt); requests and notice times come from the sandbox's log (economy.ts). Per repeat the
 * three run one after the other, order rotating, and each repeat's ratio compares neighbours in time.
 */
import { VENDOR_MODULES } from '../nodes/registry';
import type { VendorAdapter } from '../nodes/shared/adapter';
import type { N8nInstance } from '../test/e2e/harness';
import { startSandbox, type Sandbox, type Vendor } from '../test/sandbox';
import { postRows, rowNode, rows, rowsWorkflow } from '../test/e2e/support/pipeline';
import { batchRows, type JobClock, type Run } from './batchRows';
import { economyOf } from './economy';
import { LOOP_APIS, loopWorkflow } from './n8nLoop';
import type { PartContext, Row } from './parts';
import { finishedExecutions, latestId, outputItems, sandboxCredential, wallMs } from './realN8n';
import { sleep } from './stats';

/** Our vendors in the batch: fixed-cadence polling, and long-polling. */
export const OURS: Array<{ vendor: Vendor; name: string }> = [
	{ vendor: 'personate', name: 'Personate' },
	{ vendor: 'syncso', name: 'sync.so' },
];
const adapterOf = (vendor: Vendor): VendorAdapter => VENDOR_MODULES.find((m) => m.adapter.provider === vendor)!.adapter;

/** The vendor's declared creates a minute, which the engine paces (undefined: not paced). */
const pacedCreatesPerMinute = (vendor: Vendor): number | undefined => adapterOf(vendor).limits.postsPerMinute;

/** A credential plan that lets `jobs` run at once, for a vendor whose running-job limit is the credential's plan. */
function planForBatch(vendor: Vendor, jobs: number): Record<string, unknown> {
	const fromCredential = adapterOf(vendor).limits.runningJobsFromCredential;
	if (!fromCredential?.custom) return {};
	return { [fromCredential.planField]: fromCredential.custom.option, [fromCredential.custom.field]: jobs };
}

async function runOnce(n8n: N8nInstance, sb: Sandbox, jitterMs: number, vendor: Vendor, workflowId: string, hook: string, tag: string, ctx: PartContext, check: (execution: any) => void): Promise<Run> {
	const { config } = ctx;
	sb.reset(); // back to the options the sandbox started with: the job clock is set after it
	sb.setOptions({ jitterMs });
	const before = await latestId(n8n, workflowId);
	await postRows(n8n, hook, rows(config.batchItems, tag));
	const perMinute = pacedCreatesPerMinute(vendor);
	const createsMs = perMinute ? Math.ceil(config.batchItems / perMinute) * 61_000 : 0;
	const timeoutMs = (config.jobMs + config.spreadJitterMs) * 4 + createsMs + 180_000;
	const [execution] = await finishedExecutions(n8n, workflowId, before, 1, timeoutMs);
	if (execution.status !== 'success') throw new Error(`${tag}: execution ${execution.id} ended ${execution.status}`);
	check(execution);
	const jobs = sb.jobs.list(vendor);
	const succeeded = jobs.filter((job) => job.phase === 'succeeded').length;
	if (jobs.length !== config.batchItems || succeeded !== config.batchItems) {
		throw new Error(`${tag}: ${succeeded}/${jobs.length} sandbox jobs succeeded, ${config.batchItems} expected`);
	}
	const intervalMs = config.pollSeconds * 1000;
	const economy = economyOf(sb, vendor, intervalMs);
	const t0 = Date.parse(execution.startedAt);
	const creates = sb.log.entries({ vendor, endpoint: 'create' }).map((e) => e.time);
	const statuses = sb.log.entries({ vendor, endpoint: 'status' }).map((e) => e.time + e.durationMs);
	const at = (ms: number) => ((ms - t0) / 1000).toFixed(2);
	const lastDone = Math.max(...jobs.map((j) => j.completedAt ?? 0));
	const timeline =
		`creates ${at(Math.min(...creates))}–${at(Math.max(...creates))} s, last job done ${at(lastDone)} s, ` +
		`last status answer ${at(Math.max(...statuses))} s, stopped ${at(Date.parse(execution.stoppedAt))} s`;
	return {
		timeline,
		createSpreadMs: Math.max(...creates) - Math.min(...creates),
		lastNoticeMs: Math.max(...statuses) - lastDone,
		wallMs: wallMs(execution),
		boundMs: economy.maxJobMs + intervalMs,
		statusPerJob: economy.statusPerJob,
		economy,
	};
}

export async function runN8nBatch(ctx: PartContext): Promise<Row[]> {
	const { config, log } = ctx;
	const n8n = await ctx.n8n.instance();
	const clocks: JobClock[] = [
		{ label: 'alike durations', jitterMs: config.jitterMs },
		{ label: 'spread-out durations', jitterMs: config.spreadJitterMs },
	];
	// sync.so's plans run 1–15 generations at once; an Enterprise plan sized to the batch (in the
	// sandbox and in the credential) lets the row measure polling, as Personate documents no cap
	const sb = await startSandbox({ jobDurationMs: config.jobMs, jitterMs: config.jitterMs, syncsoPlan: config.batchItems });
	try {
		const options = { pollIntervalSeconds: config.pollSeconds, waitLimitMinutes: 30, maxJobsPerExecution: 0 };
		const targets: Array<{ key: string; vendor: Vendor; workflowId: string; hook: string; check: (execution: any) => void }> = [];
		for (const { vendor, name } of OURS) {
			const plan = planForBatch(vendor, config.batchItems);
			const credentials = await sandboxCredential(n8n, sb, vendor, sb.keys[vendor], plan);
			const hook = `bench-batch-ours-${vendor}`;
			const wf = await n8n.importWorkflow(rowsWorkflow(`bench: ${name} Create and Wait`, hook, [rowNode(vendor, name, credentials, { operation: 'createAndWait', options })]));
			const check = (execution: any) => {
				const out = outputItems(execution, name);
				const ok = out.filter((item) => item.json.status === 'succeeded').length;
				if (ok !== config.batchItems) throw new Error(`ours (${name}): ${ok}/${out.length} items succeeded`);
			};
			targets.push({ key: vendor, vendor, workflowId: wf.id, hook, check });
		}
		for (const { vendor } of OURS) {
			const api = LOOP_APIS[vendor]!;
			const hook = `bench-batch-loop-${vendor}`;
			const header = api.authHeader(sb.keys[vendor]);
			const [headerAuth] = await n8n.importCredentials([{ name: `bench ${vendor} key (Header Auth)`, type: 'httpHeaderAuth', data: header }]);
			const loop = await n8n.importWorkflow(loopWorkflow(hook, api, sb.baseUrl(vendor), headerAuth, config.pollSeconds));
			targets.push({
				key: `loop-${vendor}`,
				vendor,
				workflowId: loop.id,
				hook,
				check: (execution) => {
					const finished = (execution.data.resultData.runData.Finished ?? []).reduce((n: number, r: any) => n + (r.data?.main?.[0]?.length ?? 0), 0);
					if (finished !== config.batchItems) throw new Error(`loop on ${api.label}: ${finished} items reached Finished`);
				},
			});
		}
		for (const target of targets) await n8n.publish(target.workflowId);

		// The engine's create limiter lives as long as n8n's process: a sync.so run starting within a
		// minute of the last one's creates would find part of its window spent. Each run starts as a
		// user's batch does, with the window clear.
		let lastPacedCreateAt = 0;
		const rowsOut: Row[] = [];
		for (const clock of clocks) {
			const runs = new Map<string, Run[]>(targets.map((t) => [t.key, []]));
			for (let repeat = 1; repeat <= config.repeats; repeat++) {
				const order = targets.map((_, i) => targets[(i + repeat - 1) % targets.length]);
				for (const t of order) {
					const tag = `b${clock.jitterMs}r${repeat}${t.key}`;
					const paced = pacedCreatesPerMinute(t.vendor) !== undefined;
					if (paced && repeat > config.pacedRepeats) continue;
					if (paced) {
						const waitMs = lastPacedCreateAt + 61_000 - Date.now();
						if (waitMs > 0) log(`batch: ${(waitMs / 1000).toFixed(1)} s until ${t.vendor}'s create window from the last run is clear`);
						if (waitMs > 0) await sleep(waitMs);
					}
					runs.get(t.key)!.push(await runOnce(n8n, sb, clock.jitterMs, t.vendor, t.workflowId, t.hook, tag, ctx, t.check));
					if (paced) lastPacedCreateAt = Math.max(...sb.log.entries({ vendor: t.vendor, endpoint: 'create' }).map((e) => e.time));
				}
				log(
					`batch (${clock.label}) repeat ${repeat}/${config.repeats}: ` +
						targets.filter((t) => runs.get(t.key)!.length === repeat).map((t) => { const r = runs.get(t.key)!.at(-1)!; return `${t.key} ${r.wallMs} ms (${r.statusPerJob.toFixed(2)} status/job; ${r.timeline})`; }).join('; '),
				);
			}
			for (const { vendor, name } of OURS) rowsOut.push(...batchRows(name, runs.get(vendor)!, runs.get(`loop-${vendor}`)!, LOOP_APIS[vendor]!.label, clock, ctx));
		}
		return rowsOut;
	} finally {
		await sb.close();
	}
}
