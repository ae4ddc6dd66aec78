import { packPackage, startN8n, type N8nInstance } from './harness';
import { startSandbox, type Sandbox } from '../sandbox';
import { CREDENTIAL_TYPES, nodeItems, type CredentialRefs } from './support/lipsync';
import { rowNode, rows, rowsWorkflow, runRows } from './support/pipeline';

/**
 * sync.so's plan concurrency in a real n8n 2.41 against the provider sandbox, whose sync.so
 * refuses a create past the key's plan (HTTP 429 `concurrency_limit_reached`): a webhook posts 20
 * rows, Split Out makes them items, the sync.so node creates and waits. What ran at once is the
 * sandbox's own record.
 */

const WAIT = { pollIntervalSeconds: 1, waitLimitMinutes: 5 };

describe('sync.so plan concurrency in a real n8n', () => {
	let sb: Sandbox;
	let n8n: N8nInstance;
	let count = 0;

	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: 1_500, jitterMs: 0, syncsoPlan: 'creator' });
		n8n = await startN8n({ packageTarball: await packPackage() });
	});

	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
	});

	/** A clean sandbox and a credential of its own key, on the plan given (or none). */
	async function freshCredential(plan: string, fields: Record<string, unknown> = {}, sandboxPlan?: number): Promise<CredentialRefs> {
		sb.reset();
		// a plan sized to the batch, and jobs long enough for more than one look each
		if (sandboxPlan !== undefined) sb.setOptions({ syncsoPlan: sandboxPlan, jobDurationMs: 6_000 });
		const apiKey = `sandbox-syncso-e2e-${++count}`;
		sb.setOptions({ extraKeys: { syncso: [apiKey] } });
		const [created] = await n8n.importCredentials([
			{ name: `sync.so plan ${count}`, type: CREDENTIAL_TYPES.syncso, data: { apiKey, baseUrl: sb.baseUrl('syncso'), plan, ...fields } },
		]);
		return { [created.type]: { id: created.id, name: created.name } };
	}

	async function runTwentyRows(plan: string, fields: Record<string, unknown> = {}, sandboxPlan?: number) {
		const hook = `e2e-plans-${++count}`;
		const node = rowNode('syncso', 'Sync', await freshCredential(plan, fields, sandboxPlan), { operation: 'createAndWait', options: WAIT });
		const wf = await n8n.importWorkflow(rowsWorkflow(`e2e plan ${hook}`, hook, [node]));
		await n8n.publish(wf.id);
		const execution = await runRows(n8n, wf.id, hook, rows(20, hook), 240_000);
		return nodeItems(execution.data, 'Sync');
	}

	const refusals = () => sb.log.entries({ vendor: 'syncso', endpoint: 'create' }).filter((e) => e.statusCode === 429);

	it('a batch of 20 on a plan of 3 runs at most 3 at a time and every item succeeds (Plan "Creator" on the credential: no create refused)', async () => {
		const out = await runTwentyRows('creator');
		expect(out.map((item) => item.json.status)).toEqual(Array(20).fill('succeeded'));
		expect(sb.jobs.stats('syncso')).toMatchObject({ created: 20, maxActive: 3 });
		expect(refusals()).toHaveLength(0);
	});

	it('a batch of 20 on a plan of 3 with no Plan on the credential: at most 3 at a time, every item succeeds, the limit learned from 429 concurrency_limit_reached', async () => {
		const out = await runTwentyRows('unknown');
		expect(out.map((item) => item.json.status)).toEqual(Array(20).fill('succeeded'));
		expect(new Set(out.map((item) => item.json.jobId)).size).toBe(20);
		expect(sb.jobs.stats('syncso')).toMatchObject({ created: 20, maxActive: 3 });
		expect(refusals().length).toBeGreaterThan(0);
		expect(refusals().every((e) => (e.responseBody as { errorCode?: string }).errorCode === 'concurrency_limit_reached')).toBe(true);
	});

	it('a batch of 20 on an Enterprise plan of 20 (more jobs than held reads): the others are read together by List Generations, and every item succeeds', async () => {
		const out = await runTwentyRows('custom', { customConcurrency: 20 }, 20);
		expect(out.map((item) => item.json.status)).toEqual(Array(20).fill('succeeded'));
		expect(sb.jobs.stats('syncso').created).toBe(20);
		expect(sb.jobs.stats('syncso').maxActive).toBeGreaterThan(10);
		const reads = sb.log.entries({ vendor: 'syncso', endpoint: 'status' });
		const grouped = reads.filter((e) => e.path.split('?')[0].endsWith('/v2/generations'));
		const idsPerRead = grouped.map((e) => (new URLSearchParams(e.path.split('?')[1]).get('ids') ?? '').split(',').length);
		expect(Math.max(...idsPerRead)).toBeGreaterThan(1);
		expect(grouped.every((e) => e.statusCode === 200 && Array.isArray(e.responseBody))).toBe(true);
	});
});
