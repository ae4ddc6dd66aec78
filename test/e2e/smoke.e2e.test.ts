import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { packPackage, readableLog, REPO_ROOT, startN8n, type N8nInstance } from './harness';
import { startSandbox, type Sandbox } from '../sandbox';
import {
	connect,
	createFields,
	CREDENTIAL_TYPES,
	manualTrigger,
	sandboxCredentials,
	setNode,
	VENDOR_LIST,
	vendorNode,
	webhookTrigger,
	workflow,
	type CredentialRefs,
} from './support/lipsync';

/**
 * The harness end to end with our package in it: a real n8n 2.41 starts with our packed package
 * installed the way users install it, loads every node and credential the package declares,
 * runs our node through `n8n execute` (its own process and task-runner broker next to the
 * server) and through a published webhook, reports its failure, and answers the public API.
 */
const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
// dist/nodes/Vozo/Vozo.node.js → n8n-nodes-lipsync.vozo ; dist/credentials/VozoApi.credentials.js → vozoApi
const declaredNodeTypes = manifest.n8n.nodes.map((p) => `n8n-nodes-lipsync.${lowerFirst(basename(p, '.node.js'))}`);
const declaredCredentialTypes = manifest.n8n.credentials.map((p) => lowerFirst(basename(p, '.credentials.js')));

/** Our package's node in the runs below: the registry's first vendor, against the sandbox. */
const vendor = VENDOR_LIST[0];
const REFUSED_KEY = 'smoke-refused-key-0123456789';

describe('real n8n with the packed package', () => {
	let n8n: N8nInstance;
	let sb: Sandbox;
	let credentials: CredentialRefs;
	let jobsBefore: (vendor: typeof VENDOR_LIST[number]) => number;

	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: 1_000, jitterMs: 0 });
		// Debug level: n8n reports a loaded package only there.
		n8n = await startN8n({ packageTarball: await packPackage(), env: { N8N_LOG_LEVEL: 'debug' } });
		credentials = await sandboxCredentials(n8n, sb);
	});

	beforeEach(() => {
		const counts = new Map(VENDOR_LIST.map((v) => [v, sb.jobs.list(v).length]));
		jobsBefore = (v) => counts.get(v)!;
	});

	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
	});

	it('loads every node and credential the package declares', async () => {
		expect(declaredNodeTypes.length).toBeGreaterThan(0);
		const packageLog = readableLog(n8n.log())
			.split('\n')
			.filter((line) => line.includes('n8n-nodes-lipsync') || /Failed to load|Skipping package/.test(line));
		expect(packageLog.map((line) => line.replace(/^\S+ /, ''))).toEqual([
			'debug Loaded all credentials and nodes from n8n-nodes-lipsync',
		]);

		const nodeTypes = (await n8n.types('nodes')).map((t) => t.name);
		const ours = [...new Set(nodeTypes.filter((name) => name.startsWith('n8n-nodes-lipsync.')))];
		// n8n adds a `<name>Tool` variant of every node with `usableAsTool`.
		expect(ours.filter((name) => !declaredNodeTypes.includes(name.replace(/Tool$/, '')))).toEqual([]);
		expect(ours).toEqual(expect.arrayContaining(declaredNodeTypes));

		const credentialTypes = (await n8n.types('credentials')).map((t) => t.name);
		expect(credentialTypes).toEqual(expect.arrayContaining(declaredCredentialTypes));
	});

	it('creates credentials of our types through the public API', async () => {
		const created = await n8n.importCredentials(
			declaredCredentialTypes.map((type) => ({
				name: `smoke ${type}`,
				type,
				data: { apiKey: `smoke-${type}-key`, baseUrl: 'http://127.0.0.1:9/never-called' },
			})),
		);
		expect(created.map((c) => c.type)).toEqual(declaredCredentialTypes);
		const listed = await n8n.api<{ data: Array<{ id: string; type: string }> }>('GET', '/credentials');
		expect(listed.data.map((c) => c.id)).toEqual(expect.arrayContaining(created.map((c) => c.id)));
		// The key is stored encrypted and never handed back.
		expect(JSON.stringify(listed)).not.toContain('smoke-vozoApi-key');
	});

	it(`runs Manual Trigger → Set → ${vendor}'s Create with n8n execute: the job is made and its row output`, async () => {
		const wf = await n8n.importWorkflow(
			workflow(
				'smoke: manual → set → create',
				[
					manualTrigger(),
					setNode('Set', { audio: 'https://example.com/voice.mp3' }),
					vendorNode(vendor, 'Create', { operation: 'create', ...createFields(vendor, 'https://example.com/face.mp4', '={{ $json.audio }}'), options: {} }, credentials),
				],
				connect(['Start', 'Set'], ['Set', 'Create']),
			),
		);

		const run = await n8n.execute(wf.id);

		expect(run.error).toBeUndefined();
		expect(run.exitCode).toBe(0);
		const [row] = run.output('Create');
		expect(row).toMatchObject({ provider: vendor, jobId: expect.any(String) });
		expect(JSON.stringify(sb.jobs.get(vendor, row.jobId)?.input)).toContain('https://example.com/voice.mp3');
		const executions = await n8n.executions({ workflowId: wf.id });
		expect(executions.map((e) => [e.mode, e.status])).toEqual([['cli', 'success']]);
	});

	it(`reports our node's failure with exit code 1 (Create and Wait, On Job Failure: Error): a key ${vendor} refuses, the error says to fix the credential and names no key`, async () => {
		const [refused] = await n8n.importCredentials([
			{ name: 'smoke refused key', type: CREDENTIAL_TYPES[vendor], data: { apiKey: REFUSED_KEY, baseUrl: sb.baseUrl(vendor) } },
		]);
		const wf = await n8n.importWorkflow(
			workflow(
				'smoke: refused key',
				[
					manualTrigger(),
					vendorNode(vendor, 'Create', { operation: 'createAndWait', ...createFields(vendor, 'https://example.com/face.mp4', 'https://example.com/voice.mp3'), options: { onJobFailure: 'error' } }, {
						[CREDENTIAL_TYPES[vendor]]: { id: refused.id, name: refused.name },
					}),
				],
				connect(['Start', 'Create']),
			),
		);

		const run = await n8n.execute(wf.id);

		expect(run.exitCode).toBe(1);
		expect(run.run.data.resultData.lastNodeExecuted).toBe('Create');
		expect(`${run.error?.message} ${run.error?.description ?? ''}`).toMatch(/credential|API access/);
		expect(JSON.stringify(run.run.data)).not.toContain(REFUSED_KEY);
		expect(sb.jobs.list(vendor)).toHaveLength(jobsBefore(vendor));
	});

	it(`serves a published webhook workflow that runs ${vendor}'s Create, answering with our row`, async () => {
		const hook = webhookTrigger('Webhook', 'e2e-smoke-webhook-0001', 'smoke');
		hook.parameters.responseMode = 'lastNode';
		const wf = await n8n.importWorkflow(
			workflow(
				'smoke: webhook → create',
				[
					hook,
					vendorNode(vendor, 'Create', { operation: 'create', ...createFields(vendor, 'https://example.com/face.mp4', '={{ $json.body.audio }}'), options: {} }, credentials),
				],
				connect(['Webhook', 'Create']),
			),
		);
		await n8n.publish(wf.id);

		const res = await n8n.webhook('webhook/smoke', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ audio: 'https://example.com/webhook-voice.mp3' }),
		});

		expect(res.status).toBe(200);
		const row = (await res.json()) as { provider: string; jobId: string };
		expect(row).toMatchObject({ provider: vendor, jobId: expect.any(String) });
		expect(JSON.stringify(sb.jobs.get(vendor, row.jobId)?.input)).toContain('https://example.com/webhook-voice.mp3');
		const execution = await n8n.waitForExecution({ workflowId: wf.id });
		expect(execution.status).toBe('success');
		expect(execution.mode).toBe('webhook');
		const published = await n8n.api('GET', `/workflows/${wf.id}`);
		expect(published.active).toBe(true);
	});
});
