import { sleep, waitFor } from './harness';
import { FIXTURE } from '../sandbox';
import { JOGGAI_DOCUMENTED_EVENTS } from '../sandbox/vendors/joggaiWebhooks';
import { ensureExampleTables, JOBS_TABLE, PIPELINE_TABLE, SEVERAL_VENDORS_TABLE } from './support/exampleTables';
import { EXAMPLES as examples, example, importExample, ourNodes, startDemoLikeN8n, type DemoLikeN8n } from './support/examples';
import { E2E_VOZO_CALLBACK_SECRET, nodeItems } from './support/lipsync';
import { signCallbackReference } from '../../nodes/Vozo/vozo.callback';
import { VENDOR_MODULES } from '../../nodes/registry';
import { VENDORS } from '../sandbox';

/**
 * The workflows in examples/ as a user gets them: imported into a real n8n set up as `npm start`
 * sets it up (support/examples.ts), checked against the node types n8n loaded, and run. The
 * Data Table examples run in dataTableExamples.e2e.test.ts.
 */

const TRIGGER_TYPE = 'n8n-nodes-lipsync.lipSyncTrigger';
const CREDENTIAL_NAMES = VENDOR_MODULES.map(({ adapter }) => `${adapter.displayName} account`);

describe('examples/*.json in a real n8n', () => {
	let demo: DemoLikeN8n;
	let sb: DemoLikeN8n['sb'];
	let n8n: DemoLikeN8n['n8n'];
	const imported = new Map<string, string>();

	beforeAll(async () => {
		demo = await startDemoLikeN8n();
		({ sb, n8n } = demo);
	});

	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
	});

	it('have fixed 16-character ids, webhook ids on triggers and "<vendor> account" credentials', () => {
		expect(examples.length).toBeGreaterThanOrEqual(13);
		for (const wf of examples) {
			expect(wf.id).toMatch(/^[A-Za-z0-9]{16}$/);
			for (const node of wf.nodes) {
				if (node.type === TRIGGER_TYPE) expect(node.webhookId).toEqual(expect.any(String));
				for (const ref of Object.values(node.credentials ?? {})) expect(CREDENTIAL_NAMES).toContain(ref.name);
			}
		}
		expect(new Set(examples.map((e) => e.id)).size).toBe(examples.length);
	});

	it('use only parameters and options the loaded node types declare', async () => {
		const types = await n8n.types('nodes');
		const problems: string[] = [];
		for (const wf of examples) {
			for (const node of ourNodes(wf)) {
				const type = types.find((t) => t.name === node.type);
				if (!type) {
					problems.push(`${wf.file}: unknown node type ${node.type}`);
					continue;
				}
				const properties = type.properties as Array<{ name: string; type: string; options?: Array<{ name: string }> }>;
				for (const [key, value] of Object.entries(node.parameters)) {
					const property = properties.find((p) => p.name === key);
					if (!property) problems.push(`${wf.file} › ${node.name}: no parameter "${key}"`);
					else if (property.type === 'collection') {
						for (const option of Object.keys(value as object)) {
							if (!properties.some((p) => p.name === key && p.options?.some((o) => o.name === option))) {
								problems.push(`${wf.file} › ${node.name}: no option "${key}.${option}"`);
							}
						}
					}
				}
			}
		}
		expect(problems).toEqual([]);
	});

	it('import through the public API with their credentials rewired to the sandbox', async () => {
		expect((await ensureExampleTables(n8n)).created).toEqual([PIPELINE_TABLE.name, JOBS_TABLE.name, SEVERAL_VENDORS_TABLE.name]);
		// Idempotent, as `npm start` runs it on every start.
		expect((await ensureExampleTables(n8n)).created).toEqual([]);
		for (const wf of examples) imported.set(wf.file, await importExample(demo, wf));
		expect(imported.size).toBe(examples.length);
	});

	it.each([...VENDORS])('%s create and wait: runs and outputs the video as binary data', async (vendor) => {
		const wf = example(`${vendor}-create-and-wait.json`);
		const run = await n8n.execute(imported.get(wf.file)!);
		expect(run.error).toBeUndefined();
		const [node] = ourNodes(wf);
		const items = nodeItems(run.run.data, node.name);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ provider: vendor, status: 'succeeded', videoUrl: expect.any(String) });
		expect(items[0].binary?.data).toMatchObject({ mimeType: 'video/mp4', bytes: FIXTURE.length });
		const job = sb.jobs.get(vendor, items[0].json.jobId);
		expect(JSON.stringify(job?.input)).toContain('https://example.com/face.mp4');
	});

	it('JoggAI batch of 10 rows: ten jobs, one output row per input row', async () => {
		const wf = example('joggai-batch-10-rows.json');
		const before = sb.jobs.list('joggai').length;
		const run = await n8n.execute(imported.get(wf.file)!);
		expect(run.error).toBeUndefined();
		const items = nodeItems(run.run.data, ourNodes(wf)[0].name);
		expect(items).toHaveLength(10);
		expect(items.map((i) => i.json.status)).toEqual(Array(10).fill('succeeded'));
		expect(items.map((i) => i.pairedItem)).toEqual(items.map((_, index) => ({ item: index })));
		// Include Input Fields: All: each output row keeps its input row's fields, job fields beside them.
		expect(items.map((i) => [i.json.row, i.json.faceVideoUrl])).toEqual(items.map((_, i) => [i + 1, `https://example.com/presenters/presenter-${i + 1}.mp4`]));
		expect(items.every((i) => i.json.raw === undefined)).toBe(true);
		expect(new Set(items.map((i) => i.json.jobId)).size).toBe(10);
		const jobs = sb.jobs.list('joggai').slice(before);
		expect(jobs).toHaveLength(10);
		// Row i went to the vendor as row i's URLs.
		items.forEach((item, i) => {
			const job = jobs.find((j) => j.id === item.json.jobId);
			expect(JSON.stringify(job?.input)).toContain(`presenter-${i + 1}.mp4`);
		});
	});

	it('JoggAI from a downloaded video: HTTP Request fetches the file, the node uploads it to JoggAI and outputs the lip-synced video', async () => {
		const wf = example('joggai-from-binary.json');
		const uploads = sb.log.count({ vendor: 'joggai', endpoint: 'upload-put' });
		const run = await n8n.execute(imported.get(wf.file)!);
		expect(run.error).toBeUndefined();
		const [item] = nodeItems(run.run.data, ourNodes(wf)[0].name);
		expect(item.json).toMatchObject({ provider: 'joggai', status: 'succeeded', videoUrl: expect.any(String) });
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', bytes: FIXTURE.length });
		expect(sb.log.count({ vendor: 'joggai', endpoint: 'upload-put' })).toBe(uploads + 1);
		// The job was made from the uploaded file, not from a link the user typed.
		expect(JSON.stringify(sb.jobs.get('joggai', item.json.jobId)?.input)).not.toContain('example.com/presenter');
	});

	it('Personate avatar speaks a text: the picked avatar and voice and the Script text reach Personate', async () => {
		const wf = example('personate-avatar-text.json');
		const run = await n8n.execute(imported.get(wf.file)!);
		expect(run.error).toBeUndefined();
		const [item] = nodeItems(run.run.data, ourNodes(wf)[0].name);
		expect(item.json).toMatchObject({ provider: 'personate', status: 'succeeded' });
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4' });
		const input = sb.jobs.get('personate', item.json.jobId)?.input;
		expect(input).toMatchObject({
			actor: { use: 'avatar', avatar_id: 'pa_anna', avatar_type: 'public' },
			script: { use: 'text', voice_id: 'pv_en_f1', voice_type: 'public', text: expect.stringContaining('Welcome to our product tour') },
		});
	});

	it('Vozo callback wait: the execution waits and resumes on the callback', async () => {
		sb.setOptions({ jobDurationMs: { vozo: 6_000 } });
		try {
			const wf = example('vozo-callback-wait.json');
			const workflowId = imported.get(wf.file)!;
			const run = await n8n.execute(workflowId);
			expect(run.error).toBeUndefined();
			const done = await n8n.waitForExecution({ workflowId, status: ['success', 'error', 'crashed', 'canceled'], timeoutMs: 60_000 });
			expect(done.status).toBe('success');
			const [item] = nodeItems(done.data, ourNodes(wf)[0].name);
			expect(item.json).toMatchObject({ provider: 'vozo', status: 'succeeded', providerStatus: 'done' });
			expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', bytes: FIXTURE.length });
		} finally {
			sb.setOptions({ jobDurationMs: 1_500 });
		}
	});

	it('Lip Sync Trigger (Vozo): published with the credential\'s Callback Secret, it accepts a callback signed for its reference and refuses an unsigned one', async () => {
		const wf = example('lipsync-trigger-vozo.json');
		const workflowId = imported.get(wf.file)!;
		await n8n.publish(workflowId);
		const trigger = ourNodes(wf).find((n) => n.name === 'Lip Sync Trigger')!;
		const url = `webhook/${trigger.webhookId}/callback`;
		const callback = (query: string) =>
			n8n.webhook(`${url}${query}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ status: 'done', video_url: 'https://cdn.example.com/v.mp4' }),
			});

		const refused = await callback('?lipsync_ref=ref-1');
		expect(refused.status).toBe(401);
		await refused.arrayBuffer();
		const accepted = await callback(`?lipsync_ref=ref-2&lipsync_sig=${signCallbackReference(E2E_VOZO_CALLBACK_SECRET, 'ref-2')}`);
		expect(accepted.status).toBe(200);
		await accepted.arrayBuffer();

		const execution = await n8n.waitForExecution({ workflowId, timeoutMs: 30_000 });
		// Its reference is unknown to this n8n (no Vozo node created it here): not confirmed with Vozo.
		expect(nodeItems(execution.data, 'Finished Video')[0].json).toEqual({
			callbackReference: 'ref-2',
			status: 'succeeded',
			videoUrl: 'https://cdn.example.com/v.mp4',
			verified: false,
		});
		await sleep(500);
		expect(await n8n.executions({ workflowId })).toHaveLength(1);
		await n8n.api('POST', `/workflows/${workflowId}/deactivate`, {});
	});

	it('Lip Sync Trigger (JoggAI): published, it registers its endpoint for documented events and starts on one', async () => {
		const wf = example('lipsync-trigger-joggai.json');
		const workflowId = imported.get(wf.file)!;
		const events = [...ourNodes(wf)[0].parameters.events].sort();
		// The example must activate against the real API: only events JoggAI documents.
		expect(events.every((event: string) => JOGGAI_DOCUMENTED_EVENTS.includes(event))).toBe(true);
		await n8n.publish(workflowId);
		const [endpoint] = await waitFor('the endpoint registration', async () => (sb.joggai.endpoints().length ? sb.joggai.endpoints() : undefined), {
			timeoutMs: 15_000,
		});
		expect([...endpoint.events].sort()).toEqual(events);

		// The endpoint exists at JoggAI a moment before the trigger has stored its secret (n8n
		// finishes activation in the background): until then a delivery is refused with 401 and
		// starts nothing, as a real JoggAI retry would find. Deliver until one is accepted.
		const delivery = await waitFor(
			'a delivery the activated trigger accepts',
			async () => {
				const [attempt] = await sb.joggai.deliverEvent({
					event: 'generated_avatar_video_success',
					data: { video_id: 'example-video-1', video_url: 'https://cdn.example.com/example-video-1.mp4' },
				});
				return attempt.statusCode === 401 ? undefined : attempt;
			},
			{ timeoutMs: 15_000, intervalMs: 250 },
		);
		expect(delivery.statusCode).toBe(200);
		const execution = await n8n.waitForExecution({ workflowId, timeoutMs: 30_000 });
		expect(nodeItems(execution.data, 'JoggAI Event')[0].json).toEqual({
			event: 'generated_avatar_video_success',
			eventId: delivery.eventId,
			data: { video_id: 'example-video-1', video_url: 'https://cdn.example.com/example-video-1.mp4' },
		});

		await n8n.api('POST', `/workflows/${workflowId}/deactivate`, {});
		await waitFor('the endpoint deletion', async () => (sb.joggai.endpoints().length === 0 ? true : undefined), { timeoutMs: 15_000 });
	});
});
