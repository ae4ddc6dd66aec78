/**
 * The Lip Sync node over four vendors in the shared real n8n (issue 21): 4 × N rows (50 per
 * vendor in the full run), each row naming its vendor, JoggAI out of credit so its rows fall
 * back to Personate. Reported: the execution's wall time against the slowest single-vendor
 * bound (Vozo's N rows at 10 running jobs: ceil(N/10) job durations), jobs and creates per row
 * (a fallback row costs at most one refused create at JoggAI), and items failed (target 0).
 */
import type { N8nInstance } from '../test/e2e/harness';
import { startSandbox, type Sandbox, type Vendor } from '../test/sandbox';
import { CREDENTIAL_TYPES, VENDOR_LIST } from '../test/e2e/support/lipsync';
import { postRows, rowsWorkflow } from '../test/e2e/support/pipeline';
import { reps, verdict, type PartContext, type Row } from './parts';
import { finishedExecutions, latestId, outputItems, sandboxCredential, wallMs } from './realN8n';
import { fmt, median } from './stats';

/** Vozo's documented cap on running jobs (nodes/Vozo), the slowest vendor of the four. */
const VOZO_RUNNING_JOBS = 10;

async function runOnce(n8n: N8nInstance, sb: Sandbox, workflowId: string, hook: string, perVendor: number) {
	sb.reset();
	sb.setOptions({ joggaiQuota: 0 });
	const rows = VENDOR_LIST.flatMap((vendor) =>
		Array.from({ length: perVendor }, (_, i) => ({ vendor, videoUrl: `https://cdn.example.test/mv-${vendor}-${i}.mp4`, audioUrl: `https://cdn.example.test/mv-${vendor}-${i}.mp3` })),
	);
	const before = await latestId(n8n, workflowId);
	await postRows(n8n, hook, rows);
	const [execution] = await finishedExecutions(n8n, workflowId, before, 1, 900_000);
	if (execution.status !== 'success') throw new Error(`execution ${execution.id} ended ${execution.status}`);
	const out = outputItems(execution, 'Lip Sync');
	const failed = out.filter((item) => item.json.status !== 'succeeded').length;
	const creates = VENDOR_LIST.reduce((sum, vendor) => sum + sb.log.count({ vendor, endpoint: 'create' }), 0);
	const jobs = VENDOR_LIST.reduce((sum, vendor) => sum + sb.jobs.list(vendor).length, 0);
	const refusedAtJoggAi = sb.log.count({ vendor: 'joggai', endpoint: 'create' });
	return { wallMs: wallMs(execution), failed, createsPerRow: creates / rows.length, jobsPerRow: jobs / rows.length, refusedAtJoggAi, rows: rows.length };
}

export async function runSeveralVendors(ctx: PartContext): Promise<Row[]> {
	const { config, log } = ctx;
	const perVendor = config.quick ? 10 : 50;
	const n8n = await ctx.n8n.instance();
	const sb = await startSandbox({ jobDurationMs: config.jobMs, jitterMs: config.jitterMs });
	try {
		const credentials: Record<string, { id: string; name: string }> = {};
		for (const vendor of VENDOR_LIST) Object.assign(credentials, await sandboxCredential(n8n, sb, vendor as Vendor));
		const hook = 'bench-several-vendors';
		const node = {
			id: 'bench-several-vendors-node',
			name: 'Lip Sync',
			type: 'n8n-nodes-lipsync.lipSync',
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters: {
				operation: 'createAndWait',
				vendor: '={{ $json.vendor }}',
				faceSource: 'videoUrl',
				faceUrl: '={{ $json.videoUrl }}',
				audioUrl: '={{ $json.audioUrl }}',
				fallbackVendors: { fallback: [{ vendor: 'personate' }] },
				options: { pollIntervalSeconds: config.pollSeconds, waitLimitMinutes: 30, maxJobsPerExecution: 0 },
			},
			credentials: Object.fromEntries(VENDOR_LIST.map((v) => [CREDENTIAL_TYPES[v], credentials[CREDENTIAL_TYPES[v]]])),
		};
		const wf = await n8n.importWorkflow(rowsWorkflow('bench: Lip Sync over four vendors', hook, [node]));
		await n8n.publish(wf.id);
		const runs: Array<Awaited<ReturnType<typeof runOnce>>> = [];
		for (let repeat = 1; repeat <= config.repeats; repeat++) {
			runs.push(await runOnce(n8n, sb, wf.id, hook, perVendor));
			const last = runs.at(-1)!;
			log(`several vendors repeat ${repeat}/${config.repeats}: ${last.wallMs} ms, ${last.createsPerRow} creates per row (${last.refusedAtJoggAi} refused at JoggAI), ${last.jobsPerRow} jobs per row, ${last.failed} failed`);
		}
		const boundMs = Math.ceil(perVendor / VOZO_RUNNING_JOBS) * config.jobMs;
		const wall = median(runs.map((r) => r.wallMs));
		const what = `4 × ${perVendor} rows (Vozo, Personate, Modellix, JoggAI), JoggAI out of credit → Personate; D ≈ ${config.jobMs / 1000} s ± ${config.jitterMs / 1000} s, poll ${config.pollSeconds} s, ${reps(config.repeats)}`;
		const failed = Math.max(...runs.map((r) => r.failed));
		return [
			[
				'Lip Sync node, four vendors in one run: wall time vs the slowest single-vendor bound',
				`bound ${fmt(boundMs / 1000, 0)} s (Vozo: ceil(${perVendor}/10) × D)`,
				`${fmt(wall / 1000, 1)} s (× ${fmt(wall / boundMs)})`,
				'—',
				`${what}; the bound leaves out polling granularity and the JoggAI refusals' round`,
			],
			[
				'Lip Sync node, four vendors: jobs and creates per row, items failed',
				'1 job per row; at most 1 refused create per fallback row; 0 failed',
				`${fmt(median(runs.map((r) => r.jobsPerRow)), 2)} jobs per row, ${fmt(median(runs.map((r) => r.createsPerRow)), 2)} creates per row (${runs[0].refusedAtJoggAi} of them refused at JoggAI for ${perVendor} fallback rows); ${failed} failed`,
				verdict(failed === 0 && runs.every((r) => r.jobsPerRow === 1 && r.refusedAtJoggAi <= perVendor)),
				`${what}; JoggAI's first refusals stop its other rows unsent (the engine's "refused the account for another item"), so they fall back without a create`,
			],
		];
	} finally {
		await sb.close();
	}
}
