import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { packPackage, readableLog, REPO_ROOT, startN8n, type N8nInstance } from './harness';

/**
 * The harness end to end: a real n8n 2.41 starts with our packed package installed the way
 * users install it, loads every node and credential the package declares, runs a core-node
 * workflow through `n8n execute` (its own process and task-runner broker next to the server),
 * serves a published webhook, and answers the public API with the generated key.
 */
const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
// dist/nodes/Vozo/Vozo.node.js → n8n-nodes-lipsync.vozo ; dist/credentials/VozoApi.credentials.js → vozoApi
const declaredNodeTypes = manifest.n8n.nodes.map((p) => `n8n-nodes-lipsync.${lowerFirst(basename(p, '.node.js'))}`);
const declaredCredentialTypes = manifest.n8n.credentials.map((p) => lowerFirst(basename(p, '.credentials.js')));

const assign = (name: string, value: string) => ({ id: name, name, value, type: 'string' });

describe('real n8n with the packed package', () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		// Debug level: n8n reports a loaded package only there.
		n8n = await startN8n({ packageTarball: await packPackage(), env: { N8N_LOG_LEVEL: 'debug' } });
	});

	afterAll(async () => {
		await n8n?.stop();
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

	it('runs Manual Trigger → Set → Code with n8n execute', async () => {
		const workflow = await n8n.importWorkflow({
			name: 'smoke: manual → set → code',
			nodes: [
				{ id: 'n1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'n2',
					name: 'Set',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [200, 0],
					parameters: { assignments: { assignments: [assign('greeting', 'hello')] }, options: {} },
				},
				{
					// The Code node runs in the execute process's own task runner.
					id: 'n3',
					name: 'Code',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [400, 0],
					parameters: { jsCode: 'return $input.all().map((i) => ({ json: { ...i.json, sum: 1 + 2 } }));' },
				},
			],
			connections: {
				Start: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
				Set: { main: [[{ node: 'Code', type: 'main', index: 0 }]] },
			},
		});

		const run = await n8n.execute(workflow.id);

		expect(run.error).toBeUndefined();
		expect(run.exitCode).toBe(0);
		expect(run.output('Code')).toEqual([{ greeting: 'hello', sum: 3 }]);
		const executions = await n8n.executions({ workflowId: workflow.id });
		expect(executions.map((e) => [e.mode, e.status])).toEqual([['cli', 'success']]);
	});

	it('reports a failing workflow with exit code 1 and the node error', async () => {
		const workflow = await n8n.importWorkflow({
			name: 'smoke: failing code',
			nodes: [
				{ id: 'n1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'n2',
					name: 'Boom',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [200, 0],
					parameters: { jsCode: "throw new Error('boom from smoke test');" },
				},
			],
			connections: { Start: { main: [[{ node: 'Boom', type: 'main', index: 0 }]] } },
		});

		const run = await n8n.execute(workflow.id);

		expect(run.exitCode).toBe(1);
		expect(run.error?.message).toContain('boom from smoke test');
		expect(run.run.data.resultData.lastNodeExecuted).toBe('Boom');
	});

	it('serves a published webhook workflow and records its execution', async () => {
		const workflow = await n8n.importWorkflow({
			name: 'smoke: webhook → set',
			nodes: [
				{
					id: 'n1',
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: 'e2e-smoke-webhook-0001',
					parameters: { httpMethod: 'POST', path: 'smoke', responseMode: 'lastNode', options: {} },
				},
				{
					id: 'n2',
					name: 'Set',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [200, 0],
					parameters: { assignments: { assignments: [assign('echo', '={{ $json.body.name }}')] }, options: {} },
				},
			],
			connections: { Webhook: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } },
		});
		await n8n.publish(workflow.id);

		const res = await n8n.webhook('webhook/smoke', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'world' }),
		});

		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ echo: 'world' });
		const execution = await n8n.waitForExecution({ workflowId: workflow.id });
		expect(execution.status).toBe('success');
		expect(execution.mode).toBe('webhook');
		const published = await n8n.api('GET', `/workflows/${workflow.id}`);
		expect(published.active).toBe(true);
	});
});
