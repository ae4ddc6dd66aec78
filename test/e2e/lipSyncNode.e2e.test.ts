import { packPackage, startN8n, type N8nInstance } from './harness';
import { startSandbox, type Sandbox, type Vendor } from '../sandbox';
import { CREDENTIAL_TYPES, nodeItems, sandboxCredentials, VENDOR_LIST, type CredentialRefs, type WorkflowNode } from './support/lipsync';
import { rowsWorkflow, runRows } from './support/pipeline';

/**
 * The Lip Sync node in a real n8n 2.41 with the packed package, against the provider sandbox:
 * rows of every registered vendor in one run, a fallback after a credit refusal, no fallback after an
 * uncertain create, a row vendor without a credential refused before any request, and one Wait
 * node over a mixed batch (issue 21's e2e (a)–(e)).
 */

const JOB_MS = 1_500;
const FAST = { pollIntervalSeconds: 1, waitLimitMinutes: 2 };

describe('the Lip Sync node in a real n8n', () => {
	let sb: Sandbox;
	let n8n: N8nInstance;
	let credentials: CredentialRefs;
	let workflows = 0;

	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: JOB_MS, jitterMs: 0 });
		n8n = await startN8n({ packageTarball: await packPackage() });
		credentials = await sandboxCredentials(n8n, sb);
	});
	beforeEach(() => sb.reset());
	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
	});

	function lipSyncNode(name: string, parameters: Record<string, unknown>, withCredentials: Vendor[] = VENDOR_LIST): WorkflowNode {
		return {
			id: `lipsync-${++workflows}`,
			name,
			type: 'n8n-nodes-lipsync.lipSync',
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				vendor: '={{ $json.vendor }}',
				faceSource: 'videoUrl',
				faceUrl: '={{ $json.videoUrl }}',
				speechSource: 'audioUrl',
				audioUrl: '={{ $json.audioUrl }}',
				options: FAST,
				...parameters,
			},
			credentials: Object.fromEntries(withCredentials.map((v) => [CREDENTIAL_TYPES[v], credentials[CREDENTIAL_TYPES[v]]])),
		};
	}

	const rowsOf = (vendors: Vendor[]) =>
		vendors.map((vendor, i) => ({ vendor, videoUrl: `https://cdn.example.test/mv-${i}-face.mp4`, audioUrl: `https://cdn.example.test/mv-${i}-voice.mp3` }));

	async function run(nodes: WorkflowNode[], edges: Array<[string, string]>, body: unknown[]) {
		const hook = `e2e-lipsync-node-${++workflows}`;
		const wf = await n8n.importWorkflow(rowsWorkflow(`Lip Sync node ${workflows}`, hook, nodes, edges));
		await n8n.publish(wf.id);
		return await runRows(n8n, wf.id, hook, body, 180_000);
	}

	const creates = (vendor: Vendor) => sb.log.count({ vendor, endpoint: 'create' });

	it('(a) 40 rows over every registered vendor in one run: each row made by its vendor with one create, no vendor refused for its limits', async () => {
		// 13 Vozo rows, more than Vozo's 10 running jobs; the other 27 spread over the other vendors.
		const others = VENDOR_LIST.filter((vendor) => vendor !== 'vozo');
		const vendors: Vendor[] = [...Array<Vendor>(13).fill('vozo'), ...Array.from({ length: 27 }, (_, i) => others[i % others.length])];
		const execution = await run([lipSyncNode('Lip Sync', { operation: 'createAndWait' })], [], rowsOf(vendors));
		const out = nodeItems(execution.data, 'Lip Sync').map((item) => item.json);
		expect(out.map((row) => [row.provider, row.status])).toEqual(vendors.map((v) => [v, 'succeeded']));
		for (const vendor of VENDOR_LIST) expect(creates(vendor)).toBe(vendors.filter((v) => v === vendor).length);
		expect(sb.log.entries().filter((entry) => entry.statusCode === 429)).toEqual([]);
	});

	it('(b) the primary out of credit: every row made by the fallback, one create at the primary per row', async () => {
		sb.setOptions({ joggaiQuota: 0 });
		const node = lipSyncNode('Lip Sync', { operation: 'createAndWait', fallbackVendors: { fallback: [{ vendor: 'vozo' }] } });
		const execution = await run([node], [], rowsOf(Array(6).fill('joggai')));
		const out = nodeItems(execution.data, 'Lip Sync').map((item) => item.json);
		expect(out.map((row) => [row.provider, row.status])).toEqual(Array(6).fill(['vozo', 'succeeded']));
		for (const row of out) expect(String(row.attempts)).toMatch(/^joggai: refused \(18020\)/);
		expect(creates('joggai')).toBe(6);
		expect(creates('vozo')).toBe(6);
	});

	it("(c) a 5xx on the primary's create: that row is maybeCreated with the primary, and nothing is sent to the fallback", async () => {
		sb.setFault('joggai', { kind: 'serverError', httpStatus: 502, endpoint: 'create', createdFirst: true, times: 1 });
		const node = lipSyncNode('Lip Sync', { operation: 'createAndWait', fallbackVendors: { fallback: [{ vendor: 'vozo' }] } });
		const execution = await run([node], [], rowsOf(['joggai', 'joggai']));
		const out = nodeItems(execution.data, 'Lip Sync').map((item) => item.json);
		expect(out.filter((row) => row.maybeCreated === true).map((row) => [row.provider, row.status])).toEqual([['joggai', 'unknown']]);
		expect(creates('vozo')).toBe(0);
		expect(sb.jobs.list('joggai')).toHaveLength(2);
	});

	it('(d) a row whose vendor (picked by an expression) has no credential: the execution fails before any request, naming the item and the vendor', async () => {
		const node = lipSyncNode('Lip Sync', { operation: 'createAndWait' }, ['joggai', 'personate', 'modellix']);
		const execution = await run([node], [], rowsOf(['joggai', 'vozo']));
		expect(execution.status).toBe('error');
		expect(String(execution.data.resultData.error?.message)).toBe(
			'Item 1: the row\'s vendor is Vozo, but no Vozo credential is set in this node — choose one under "Vozo Credential" — nothing was sent',
		);
		expect(sb.log.count()).toBe(0);
	});

	it('(e) one Wait node over a mixed batch of job ids: every row finished, with its vendor and job id', async () => {
		const vendors: Vendor[] = [...VENDOR_LIST, ...VENDOR_LIST];
		const create = lipSyncNode('Create', { operation: 'create' });
		const wait = lipSyncNode('Wait', { operation: 'wait' });
		const execution = await run([create, wait], [['Create', 'Wait']], rowsOf(vendors));
		const created = nodeItems(execution.data, 'Create').map((item) => item.json);
		const waited = nodeItems(execution.data, 'Wait').map((item) => item.json);
		expect(created.map((row) => row.provider)).toEqual(vendors);
		expect(waited.map((row) => [row.provider, row.jobId, row.status])).toEqual(created.map((row) => [row.provider, row.jobId, 'succeeded']));
	});
});
