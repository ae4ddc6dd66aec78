import { packPackage, readableLog, startN8n, type N8nInstance } from './harness';

/**
 * Queue mode, the way n8n scales out: main, worker and webhook processes on a private redis,
 * sharing one user folder and encryption key. A production webhook call reaches the webhook
 * process and its execution runs on the worker.
 */
describe('real n8n in queue mode', () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		// Debug level: n8n reports a loaded package only there.
		n8n = await startN8n({ queueMode: true, packageTarball: await packPackage(), env: { N8N_LOG_LEVEL: 'debug' } });
	});

	afterAll(async () => {
		await n8n?.stop();
	});

	it('runs main, worker and webhook processes, each of which loaded our package', () => {
		expect(n8n.processes.map((p) => p.name).sort()).toEqual(['main', 'redis-server', 'webhook', 'worker']);
		expect(n8n.processes.every((p) => !p.hasExited())).toBe(true);
		expect(n8n.webhookBase).not.toBe(n8n.url);
		for (const name of ['main', 'worker', 'webhook']) {
			const packageLog = readableLog(n8n.log(name))
				.split('\n')
				.filter((line) => line.includes('n8n-nodes-lipsync') || /Failed to load|Skipping package/.test(line));
			expect({ name, loaded: packageLog.map((line) => line.replace(/^\S+ /, '')) }).toEqual({
				name,
				loaded: ['debug Loaded all credentials and nodes from n8n-nodes-lipsync'],
			});
		}
	});

	it('executes a webhook-triggered workflow on the worker', async () => {
		const workflow = await n8n.importWorkflow({
			name: 'queue: webhook → set',
			nodes: [
				{
					id: 'n1',
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: 'e2e-queue-webhook-0001',
					parameters: { httpMethod: 'POST', path: 'queue-smoke', responseMode: 'lastNode', options: {} },
				},
				{
					id: 'n2',
					name: 'Set',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [200, 0],
					parameters: {
						assignments: { assignments: [{ id: 'a', name: 'echo', value: '={{ $json.body.name }}', type: 'string' }] },
						options: {},
					},
				},
			],
			connections: { Webhook: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } },
		});
		await n8n.publish(workflow.id);

		const res = await n8n.webhook('webhook/queue-smoke', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'queued' }),
		});

		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ echo: 'queued' });
		const execution = await n8n.waitForExecution({ workflowId: workflow.id });
		expect(execution.status).toBe('success');
		expect(n8n.log('worker')).toContain(`Worker finished execution ${execution.id} `);
	});
});
