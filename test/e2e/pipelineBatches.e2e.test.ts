import { packPackage, startN8n, waitFor, type N8nInstance } from './harness';
import { startSandbox, type Fault, type Sandbox } from '../sandbox';
import { call } from '../sandbox/testHelpers';
import { CREDENTIAL_TYPES, latestExecutionId, nodeItems, type CredentialRefs, type RunItem } from './support/lipsync';
import { busiestWindow, postRows, rowNode, rows, rowsWorkflow, runRows } from './support/pipeline';

/**
 * Big JoggAI batches in a real n8n 2.41 against the provider sandbox: one refused row among 50
 * (with and without n8n's error output), and two executions sharing one credential under
 * JoggAI's 20 submissions a minute. JoggAI's limit is per minute and so is the node's pacing, so
 * these tests take minutes.
 */

// Per minute at JoggAI, per key (docs/n8n.md and the sandbox's README, "Limits").
const POSTS_PER_MINUTE = 20;
const WAIT = { pollIntervalSeconds: 1, waitLimitMinutes: 5 };
const REFUSED_ROW = 37;
/** A row the vendor refuses at create time with its code 40000 ("parameter error"). */
const refusedRow = () => ({
	videoUrl: `https://cdn.example.test/row-${REFUSED_ROW}-face.mp4`,
	audioUrl: `https://cdn.example.test/row-${REFUSED_ROW}-voice.mp3`,
});
/** The sandbox refuses exactly that row's create, as JoggAI does a parameter it does not accept. */
const refuseTheRow: Fault = { kind: 'invalidInput', endpoint: 'create', matchBody: `row-${REFUSED_ROW}-voice.mp3` };

describe('big JoggAI batches in a real n8n', () => {
	let sb: Sandbox;
	let n8n: N8nInstance;
	let count = 0;

	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: 1_000, jitterMs: 0 });
		n8n = await startN8n({ packageTarball: await packPackage() });
	});

	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
	});

	/** A clean sandbox and a credential of its own: no earlier test's submissions count. */
	async function freshCredential(): Promise<CredentialRefs> {
		sb.reset();
		const [created] = await n8n.importCredentials([
			{ name: `JoggAI ${++count}`, type: CREDENTIAL_TYPES.joggai, data: { apiKey: sb.keys.joggai, baseUrl: sb.baseUrl('joggai') } },
		]);
		return { [created.type]: { id: created.id, name: created.name } };
	}

	async function fiftyRowsWorkflow(settings: { onError?: 'continueErrorOutput' }) {
		const hook = `e2e-batches-${++count}`;
		const node = rowNode('joggai', 'JoggAI', await freshCredential(), { operation: 'createAndWait', options: { ...WAIT, downloadVideo: true } }, settings);
		const wf = await n8n.importWorkflow(rowsWorkflow(`e2e 50 rows ${hook}`, hook, [node]));
		await n8n.publish(wf.id);
		const body = rows(50, hook);
		body[REFUSED_ROW] = refusedRow();
		return { id: wf.id, hook, body };
	}

	/** The precondition of the refused-row tests, checked with one direct call. */
	async function expectSandboxRefusesTheRow() {
		sb.setFault('joggai', refuseTheRow);
		const res = await call(sb, 'joggai', '/v2/create_lip_sync_video', {
			method: 'POST',
			body: { video_url: refusedRow().videoUrl, audio_url: refusedRow().audioUrl, playback_type: 'normal' },
		});
		expect({ code: res.json?.code, jobs: sb.jobs.list('joggai').length }).toEqual({ code: 40000, jobs: 0 });
		sb.log.clear();
	}

	const expectVideo = (item: RunItem) =>
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: `joggai-${item.json.jobId}.mp4` });

	it('50 rows, row 37 refused by JoggAI (40000): 49 jobs succeed with their videos, row 37 is a failed row with code 40000', async () => {
		const { id, hook, body } = await fiftyRowsWorkflow({});
		await expectSandboxRefusesTheRow();

		const execution = await runRows(n8n, id, hook, body, 300_000);

		const out = nodeItems(execution.data, 'JoggAI');
		expect(out).toHaveLength(50);
		expect(sb.jobs.list('joggai')).toHaveLength(49);
		out.forEach((item, i) => {
			if (i === REFUSED_ROW) {
				expect(item.json).toMatchObject({ status: 'failed' });
				expect(String(item.json.error?.code)).toBe('40000');
				expect(item.json.jobId).toBeUndefined();
				return;
			}
			expect(item.json).toMatchObject({ status: 'succeeded', provider: 'joggai' });
			expectVideo(item);
		});
	});

	it('the same with "On Error: Continue (using error output)": row 37 on the error output, the 49 on the main output', async () => {
		const { id, hook, body } = await fiftyRowsWorkflow({ onError: 'continueErrorOutput' });
		await expectSandboxRefusesTheRow();

		const execution = await runRows(n8n, id, hook, body, 300_000);

		const [main, errors] = execution.data.resultData.runData.JoggAI.at(-1).data.main as RunItem[][];
		expect(main).toHaveLength(49);
		expect(main.every((item) => item.json.status === 'succeeded')).toBe(true);
		main.forEach(expectVideo);
		expect(main.map((item) => item.pairedItem)).not.toContainEqual({ item: REFUSED_ROW });
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: REFUSED_ROW });
		expect(JSON.stringify(errors[0].json)).toContain('40000');
	});

	describe.each<[string, Fault | null]>([
		['', null],
		[', with JoggAI answering 429 to three creates', { kind: 'rateLimit', endpoint: 'create', times: 3 }],
	])('two executions at once, 12 items each, one credential%s', (_what, fault) => {
		it('never sends more than 20 creates in any 60 s, and every item succeeds', async () => {
			const credentials = await freshCredential();
			const hook = `e2e-batches-${++count}`;
			const wf = await n8n.importWorkflow(
				rowsWorkflow(`e2e two at once ${hook}`, hook, [rowNode('joggai', 'JoggAI', credentials, { operation: 'createAndWait', options: WAIT })]),
			);
			await n8n.publish(wf.id);
			if (fault) sb.setFault('joggai', fault);
			const before = await latestExecutionId(n8n, wf.id);

			await Promise.all([postRows(n8n, hook, rows(12, `${hook}a`)), postRows(n8n, hook, rows(12, `${hook}b`))]);
			const finished = await waitFor(
				'both executions to end',
				async () => {
					const list = await n8n.executions({ workflowId: wf.id, limit: 10 });
					const ours = list.filter((e) => Number(e.id) > Number(before));
					return ours.length === 2 && ours.every((e) => ['success', 'error', 'crashed', 'canceled'].includes(e.status)) ? ours : undefined;
				},
				{ timeoutMs: 300_000, intervalMs: 1_000 },
			);

			const creates = sb.log.entries({ vendor: 'joggai', endpoint: 'create' });
			expect(busiestWindow(creates.map((entry) => entry.time), 60_000)).toBeLessThanOrEqual(POSTS_PER_MINUTE);
			expect(sb.jobs.list('joggai')).toHaveLength(24);
			for (const summary of finished) {
				const execution = await n8n.api<any>('GET', `/executions/${summary.id}?includeData=true`);
				expect(execution.status).toBe('success');
				const out = nodeItems(execution.data, 'JoggAI');
				expect(out.map((item) => item.json.status)).toEqual(Array(12).fill('succeeded'));
			}
		});
	});
});
