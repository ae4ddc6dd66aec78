/**
 * Measurement 1, hand-built n8n loop: the pattern users build today (Hedra's n8n guide), run in
 * the real n8n: HTTP Request create for every item → Wait → HTTP Request status → If done →
 * else back to Wait. Wall time is n8n's own execution record (startedAt → stoppedAt).
 */
import type { N8nInstance } from '../test/e2e/harness';
import { startSandbox } from '../test/sandbox';
import type { BenchConfig } from './config';
import type { RunTiming } from './batch';

const at = (x: number): [number, number] => [x, 0];

function loopWorkflow(baseUrl: string, apiKey: string, pollSeconds: number) {
	const headers = { parameters: [{ name: 'Authorization', value: `Bearer ${apiKey}` }] };
	const http = (name: string, x: number, method: string, url: string, body?: string) => ({
		id: `loop-${name.toLowerCase().replace(/\W/g, '')}`,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: at(x),
		parameters: {
			method,
			url,
			sendHeaders: true,
			headerParameters: headers,
			...(body ? { sendBody: true, specifyBody: 'json', jsonBody: body } : {}),
			options: {},
		},
	});
	const create =
		"={{ JSON.stringify({ model: 'v2', actor: { use: 'video', video_url: 'https://cdn.example.test/face.mp4' }, script: { use: 'audio', audio_url: $json.audio } }) }}";
	const link = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });
	return {
		name: 'bench: hand-built polling loop',
		nodes: [
			{
				id: 'loop-start',
				name: 'Start',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: at(0),
				webhookId: 'bench-loop-start-0001',
				parameters: { httpMethod: 'POST', path: 'bench-loop', responseMode: 'onReceived', options: {} },
			},
			{
				id: 'loop-split',
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: at(200),
				parameters: { fieldToSplitOut: 'body.items', options: {} },
			},
			http('Create', 400, 'POST', `${baseUrl}/api/express_lipsync_video`, create),
			{
				id: 'loop-wait',
				name: 'Wait',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: at(600),
				webhookId: 'bench-loop-wait-00001',
				parameters: { resume: 'timeInterval', amount: pollSeconds, unit: 'seconds' },
			},
			http('Status', 800, 'GET', `=${baseUrl}/api/express_lipsync_video/{{ $json.job_id }}`),
			{
				id: 'loop-if',
				name: 'Done?',
				type: 'n8n-nodes-base.if',
				typeVersion: 2,
				position: at(1000),
				parameters: {
					conditions: {
						options: { caseSensitive: true, leftValue: '', typeValidation: 'strict' },
						conditions: [
							{
								id: 'still-rendering',
								leftValue: '={{ $json.status }}',
								rightValue: 'rendering',
								operator: { type: 'string', operation: 'notEquals' },
							},
						],
						combinator: 'and',
					},
					options: {},
				},
			},
			{ id: 'loop-done', name: 'Finished', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: at(1200), parameters: {} },
		],
		connections: {
			Start: link('Split Out'),
			'Split Out': link('Create'),
			Create: link('Wait'),
			Wait: link('Status'),
			Status: link('Done?'),
			'Done?': {
				main: [[{ node: 'Finished', type: 'main', index: 0 }], [{ node: 'Wait', type: 'main', index: 0 }]],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}

export interface LoopRun extends RunTiming {
	statusPerJob: number;
}

export async function runN8nLoop(n8n: N8nInstance, config: BenchConfig, log: (line: string) => void): Promise<LoopRun[]> {
	const runs: LoopRun[] = [];
	for (let repeat = 1; repeat <= config.repeats; repeat++) {
		const sb = await startSandbox({ jobDurationMs: config.jobMs, jitterMs: config.jitterMs });
		try {
			const workflow = await n8n.importWorkflow(loopWorkflow(sb.baseUrl('personate'), sb.keys.personate, config.pollSeconds));
			await n8n.publish(workflow.id);
			const items = Array.from({ length: config.batchItems }, (_, i) => ({ audio: `https://cdn.example.test/loop-${i}.mp3` }));
			const res = await n8n.webhook('webhook/bench-loop', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ items }),
			});
			if (res.status !== 200) throw new Error(`hand-built loop webhook: HTTP ${res.status} ${await res.text()}`);
			await res.arrayBuffer();
			const timeoutMs = (config.jobMs + config.jitterMs) * 3 + 120_000;
			const execution = await n8n.waitForExecution({ workflowId: workflow.id, timeoutMs });
			await n8n.api('POST', `/workflows/${workflow.id}/deactivate`, {});
			if (execution.status !== 'success') throw new Error(`hand-built loop execution ended ${execution.status}`);
			const jobs = sb.jobs.list('personate');
			const completed = jobs.filter((job) => job.phase === 'succeeded').length;
			if (jobs.length !== config.batchItems || completed !== config.batchItems) {
				throw new Error(`hand-built loop: ${completed}/${jobs.length} jobs succeeded, ${config.batchItems} expected`);
			}
			const wallMs = Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt);
			const statusPerJob = sb.log.count({ vendor: 'personate', endpoint: 'status' }) / jobs.length;
			const maxJobMs = Math.max(...jobs.map((job) => job.durationMs));
			runs.push({ wallMs, maxJobMs, items: config.batchItems, statusPerJob });
			log(`n8n hand-built loop repeat ${repeat}/${config.repeats}: ${wallMs} ms, ${statusPerJob.toFixed(2)} status/job`);
		} finally {
			await sb.close();
		}
	}
	return runs;
}
