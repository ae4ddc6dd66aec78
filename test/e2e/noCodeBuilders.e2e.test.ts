import type { IDataObject } from 'n8n-workflow';
import { packPackage, startN8n, type N8nInstance } from './harness';
import { startSandbox, type Sandbox } from '../sandbox';
import {
	connect,
	createFields,
	manualTrigger,
	NODE_TYPES,
	nodeItems,
	sandboxCredentials,
	vendorNode,
	workflow,
	type CredentialRefs,
	type WorkflowNode,
} from './support/lipsync';

/**
 * What a no-code builder meets, in a real n8n 2.41.1 with the package installed from its tarball
 * and n8n's WEBHOOK_URL left at its local default (http://127.0.0.1:<port>/), as on a laptop:
 * the run-size guard, Vozo's Auto file type, callback URLs Vozo could not reach, Face Source as
 * an expression, and Simplify per node version. The sandbox's request log shows what was sent.
 */

/** A Code node emitting `rows` as items (a sheet or table stands here in real workflows). */
const rowsNode = (rows: IDataObject[]): WorkflowNode => ({
	id: 'rows',
	name: 'Rows',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	position: [0, 0],
	parameters: { jsCode: `return ${JSON.stringify(rows)}.map((json) => ({ json }));` },
});

const audio = (i: number) => `https://cdn.example.test/voice-${i}.mp3`;

describe('no-code builders in a real n8n', () => {
	let sb: Sandbox;
	let n8n: N8nInstance;
	let credentials: CredentialRefs;

	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: 1_000, jitterMs: 0 });
		n8n = await startN8n({ packageTarball: await packPackage() });
		credentials = await sandboxCredentials(n8n, sb);
	});
	beforeEach(() => sb.reset());
	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
	});

	/** Imports Start → Rows → the vendor node and runs it with `n8n execute`. */
	async function runRows(name: string, rows: IDataObject[], vendor: WorkflowNode) {
		const wf = await n8n.importWorkflow(workflow(name, [manualTrigger(), rowsNode(rows), vendor], connect(['Start', 'Rows'], ['Rows', vendor.name])));
		return await n8n.execute(wf.id);
	}
	const vozo = (parameters: IDataObject, typeVersion = 1.1): WorkflowNode => ({
		...vendorNode('vozo', 'Vozo', { ...createFields('vozo', '={{ $json.face }}', '={{ $json.audio }}'), ...parameters }, credentials),
		typeVersion,
	});

	it('an 11-item run with Max Jobs per Execution 10 fails before any request (the sandbox log stays empty)', async () => {
		const rows = Array.from({ length: 11 }, (_, i) => ({ audio: audio(i) }));
		const joggAi = { ...vendorNode('joggai', 'JoggAI', { operation: 'createAndWait', ...createFields('joggai', 'https://cdn.example.test/face.mp4', '={{ $json.audio }}'), options: { maxJobsPerExecution: 10 } }, credentials), typeVersion: 1.1 };
		const run = await runRows('guard: 11 rows, max 10', rows, joggAi);
		expect(run.exitCode).not.toBe(0);
		expect(JSON.stringify(run.error ?? run.run)).toContain('This run has 11 items, more than Max Jobs per Execution (10) allows — nothing was sent');
		expect(sb.log.entries()).toEqual([]);
	});

	it('Vozo with a .png reference URL and Reference File Type Auto sends reference_file_type "image"', async () => {
		const run = await runRows('vozo auto type', [{ face: 'https://cdn.example.test/portrait.png', audio: audio(0) }], vozo({ operation: 'create', referenceFileType: 'auto' }));
		expect(run.error).toBeUndefined();
		const [create] = sb.log.entries({ vendor: 'vozo', endpoint: 'create' });
		expect(create.requestBody).toMatchObject({ reference_file_url: 'https://cdn.example.test/portrait.png', reference_file_type: 'image' });
	});

	it('a localhost Callback URL is refused, naming the field and WEBHOOK_URL, with zero requests', async () => {
		const run = await runRows('vozo localhost callback', [{ face: 'https://cdn.example.test/face.mp4', audio: audio(0) }], vozo({ operation: 'create', options: { callbackUrl: 'http://localhost:5678/webhook/abc/callback?token=secret-token-123' } }));
		expect(run.exitCode).not.toBe(0);
		const error = JSON.stringify(run.error ?? run.run);
		expect(error).toContain('Item 0: \\"Callback URL\\" cannot be reached by Vozo: its host localhost is this machine (loopback)');
		expect(error).toContain('WEBHOOK_URL');
		expect(sb.log.entries()).toEqual([]);
	});

	it('Wait By "Vendor Callback" with n8n\'s local WEBHOOK_URL is refused before anything is sent, saying to set WEBHOOK_URL', async () => {
		const run = await runRows('vozo callback wait, local n8n', [{ face: 'https://cdn.example.test/face.mp4', audio: audio(0) }], vozo({ operation: 'createAndWait', waitBy: 'callback' }));
		expect(run.exitCode).not.toBe(0);
		const error = JSON.stringify(run.error ?? run.run);
		expect(error).toMatch(/Vozo cannot reach this execution's resume URL \(http:\/\/127\.0\.0\.1:\d+\/webhook-waiting\/\d+\): its host 127\.0\.0\.1 is this machine/);
		expect(error).toContain("Set WEBHOOK_URL to n8n's public address");
		expect(sb.log.entries()).toEqual([]);
		expect(await n8n.executions({ workflowId: (await n8n.api<{ data: Array<{ id: string; name: string }> }>('GET', '/workflows?limit=250')).data.find((w) => w.name === 'vozo callback wait, local n8n')!.id, status: 'waiting' })).toEqual([]);
	});

	it('Face Source as an expression: one run mixes reference-file and reusable-model rows', async () => {
		const rows = [
			{ mode: 'referenceFile', face: 'https://cdn.example.test/face.mp4', model: '', audio: audio(0) },
			{ mode: 'reusableModel', face: '', model: 'model-42', audio: audio(1) },
		];
		const run = await runRows('vozo mixed rows', rows, vozo({ operation: 'create', generationMode: '={{ $json.mode }}', modelId: '={{ $json.model }}', referenceFileType: 'auto' }));
		expect(run.error).toBeUndefined();
		expect(nodeItems(run.run.data, 'Vozo').map((item) => item.json.status)).toEqual(['queued', 'queued']);
		const posts = sb.log.entries({ vendor: 'vozo', method: 'POST' }).map((entry) => entry.path).sort();
		expect(posts).toEqual(['/vozo/v1/reusable_lipsync_model_video_generation', '/vozo/v1/video_generation']);
	});

	it('n8n creates new nodes at version 1.1; an imported version 1 workflow keeps raw, a 1.1 node without a Simplify setting leaves it out', async () => {
		const types = await n8n.types('nodes');
		for (const type of Object.values(NODE_TYPES)) {
			const described = types.filter((t) => t.name === type);
			expect(described.length).toBeGreaterThan(0);
			expect(described.every((t) => t.defaultVersion === 1.1)).toBe(true);
		}
		const face = 'https://cdn.example.test/face.mp4';
		const rows = [{ face, audio: audio(0) }];
		const saved = await runRows('simplify: saved v1', rows, vozo({ operation: 'createAndWait', options: { pollIntervalSeconds: 1 } }, 1));
		expect(nodeItems(saved.run.data, 'Vozo')[0].json).toMatchObject({ status: 'succeeded', raw: expect.objectContaining({ status: 'done' }) });
		const fresh = await runRows('simplify: new node', rows, vozo({ operation: 'createAndWait', options: { pollIntervalSeconds: 1 } }));
		const [item] = nodeItems(fresh.run.data, 'Vozo');
		expect(item.json).toMatchObject({ status: 'succeeded', videoUrl: expect.any(String) });
		expect(item.json).not.toHaveProperty('raw');
	});
});
