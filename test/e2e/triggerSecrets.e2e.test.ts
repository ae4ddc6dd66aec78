import { sleep, type N8nInstance } from './harness';
import { deliveriesFor as deliveriesIn, PUBLIC_BASE, startTriggerRig, stopTriggerRig, triggerNode } from './support/triggerRig';
import type { DeliveryRecord, Sandbox } from '../sandbox';
import { signCallbackReference } from '../../nodes/Vozo/vozo.callback';
import { recordingServer } from './support/recordingServer';
import {
	connect,
	createFields,
	E2E_VOZO_CALLBACK_SECRET,
	latestExecutionId,
	nodeItems,
	vendorNode,
	webhookTrigger,
	workflow,
	type CredentialRefs,
} from './support/lipsync';

/**
 * Secrets of the Lip Sync Trigger in a real n8n: signed Vozo callback URLs from the Vozo
 * credential's Callback Secret (round trip with the sandbox, forged signatures), no secret in what
 * n8n exports or stores (workflow snapshots of executions included), a placeholder token refused
 * at activation, and credential Tests that follow the node's request rules.
 */

describe('Lip Sync Trigger secrets in a real n8n', () => {
	let sb: Sandbox;
	let n8n: N8nInstance;
	let credentials: CredentialRefs;

	beforeAll(async () => {
		({ sb, n8n, credentials } = await startTriggerRig());
	});

	afterAll(async () => await stopTriggerRig({ sb, n8n }));

	const deliveriesFor = (kind: DeliveryRecord['kind'], marker: string, done: (records: DeliveryRecord[]) => boolean) => deliveriesIn(sb, kind, marker, done);

	describe('Vozo mode with signed callback URLs (version 1.1)', () => {
		const SIGNED_WEBHOOK_ID = 'e2e-trigger-vozo-sig1';
		const triggerUrl = `${PUBLIC_BASE}/webhook/${SIGNED_WEBHOOK_ID}/callback`;
		let triggerId: string;
		let creatorId: string;

		it('a job created with the plain trigger URL calls back signed and starts one verified execution; a forged or moved signature gets 401', async () => {
			const trigger = await n8n.importWorkflow(
				workflow('e2e trigger: vozo signed', [triggerNode(SIGNED_WEBHOOK_ID, { vendor: 'vozo' }, { vozoApi: credentials.vozoApi }, 1.1)], {}),
			);
			triggerId = trigger.id;
			await n8n.publish(trigger.id);
			const creator = await n8n.importWorkflow(
				workflow(
					'e2e trigger: create a signed vozo job',
					[
						webhookTrigger('Start', 'e2e-trigger-vozo-sig-create', 'e2e-vozo-sig-create'),
						vendorNode('vozo', 'Create', { operation: 'create', ...createFields('vozo', 'https://example.com/face.mp4', 'https://example.com/voice.mp3'), options: { callbackUrl: triggerUrl } }, credentials),
					],
					connect(['Start', 'Create']),
				),
			);
			creatorId = creator.id;
			await n8n.publish(creator.id);
			const started = await n8n.webhook('webhook/e2e-vozo-sig-create', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
			expect(started.status).toBe(200);
			await started.arrayBuffer();
			const creation = await n8n.waitForExecution({ workflowId: creator.id, timeoutMs: 30_000 });
			const [job] = nodeItems(creation.data, 'Create').map((i) => i.json);
			const sent = new URL(String((sb.jobs.get('vozo', job.jobId)?.input as Record<string, unknown>).callback_url));
			expect(sent.searchParams.get('lipsync_sig')).toBe(signCallbackReference(E2E_VOZO_CALLBACK_SECRET, job.callbackReference));

			const calls = await deliveriesFor('vozo-callback', job.callbackReference, (records) => records.some((r) => (r.body as { status?: string }).status === 'done'));
			expect(calls.map((r) => r.statusCode)).toEqual(calls.map(() => 200));
			const execution = await n8n.waitForExecution({ workflowId: trigger.id, timeoutMs: 30_000 });
			expect(nodeItems(execution.data, 'Lip Sync Trigger')[0].json).toMatchObject({ jobId: job.jobId, callbackReference: job.callbackReference, status: 'succeeded', verified: true });

			const before = await latestExecutionId(n8n, trigger.id);
			const signature = sent.searchParams.get('lipsync_sig')!;
			for (const query of [`?lipsync_ref=${job.callbackReference}&lipsync_sig=${signature.slice(0, -2)}xx`, `?lipsync_ref=another-reference&lipsync_sig=${signature}`, '?lipsync_ref=unsigned']) {
				const res = await n8n.webhook(`webhook/${SIGNED_WEBHOOK_ID}/callback${query}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ status: 'done', video_url: 'https://evil.example/video.mp4' }),
				});
				expect(res.status).toBe(401);
				await res.arrayBuffer();
			}
			await sleep(1_000);
			expect(await latestExecutionId(n8n, trigger.id)).toBe(before);
		});

		it('no callback secret in the workflows as n8n exports them, nor in the executions n8n stored (their workflow snapshots included)', async () => {
			const stored: string[] = [];
			for (const id of [triggerId, creatorId]) {
				stored.push(JSON.stringify(await n8n.rest('GET', `/workflows/${id}`)));
				for (const execution of await n8n.executions({ workflowId: id, limit: 50 })) {
					const full = await n8n.rest<{ workflowData?: unknown; data?: unknown }>('GET', `/executions/${execution.id}`);
					expect(full.workflowData).toBeDefined();
					stored.push(JSON.stringify(full));
				}
			}
			expect(stored.length).toBeGreaterThanOrEqual(4);
			for (const text of stored) expect(text).not.toContain(E2E_VOZO_CALLBACK_SECRET);
			await n8n.api('POST', `/workflows/${triggerId}/deactivate`, {});
			await n8n.api('POST', `/workflows/${creatorId}/deactivate`, {});
		});

		it('a saved version 1 trigger holding the example\'s former placeholder token is refused at activation', async () => {
			const placeholder = await n8n.importWorkflow(
				workflow('e2e trigger: vozo placeholder token', [triggerNode('e2e-trigger-vozo-ph01', { vendor: 'vozo', callbackAuth: 'token', token: 'replace-with-your-own-long-random-token' })], {}),
			);
			// n8n 2.41's activate answers at once; the trigger's refusal shows as a webhook that was
			// never registered: even the placeholder token itself finds nothing to call.
			await n8n.publish(placeholder.id).catch(() => undefined);
			// Until the refusal has unregistered the webhook (a moment, longer on a busy machine),
			// n8n may still serve it: the trigger then answers 401 itself, never starting anything.
			const answers: number[] = [];
			for (let tries = 0; tries < 60 && answers.at(-1) !== 404; tries++) {
				if (tries > 0) await sleep(500);
				const res = await n8n.webhook('webhook/e2e-trigger-vozo-ph01/callback?token=replace-with-your-own-long-random-token', {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ status: 'done', video_url: 'https://evil.example/video.mp4' }),
				});
				answers.push(res.status);
				await res.arrayBuffer();
			}
			expect(answers.at(-1)).toBe(404);
			expect(answers.filter((status) => status !== 404 && status !== 401)).toEqual([]);
			expect(await n8n.executions({ workflowId: placeholder.id })).toHaveLength(0);
		});
	});

	describe('credential Test through POST /rest/credentials/test follows the node\'s request rules', () => {
		const test = (baseUrl: string) =>
			n8n.rest<{ status: string; message: string }>('POST', '/credentials/test', {
				credentials: { id: '', name: 'JoggAI credential test', type: 'joggAiApi', data: { apiKey: 'e2e-credential-test-key-0123', baseUrl } },
			});

		it('a Base URL that redirects is refused with the reason; the key never reaches the redirect target', async () => {
			const target = await recordingServer('127.0.0.2', (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":0}'));
			const redirecting = await recordingServer('127.0.0.1', (res) => res.writeHead(302, { location: `http://127.0.0.2:${target.port}/v2/user/whoami` }).end());
			try {
				const result = await test(`http://127.0.0.1:${redirecting.port}`);
				expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/^JoggAI: the Base URL answered with a redirect \(HTTP 302\)/) });
				expect(redirecting.seen).toHaveLength(1);
				expect(target.seen).toHaveLength(0);
			} finally {
				await Promise.all([target.close(), redirecting.close()]);
			}
		});

		it('a plain-http Base URL that is not this machine is refused with the reason, nothing sent', async () => {
			const plain = await recordingServer('127.0.0.1', (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":0}'));
			try {
				const result = await test(`http://0.0.0.0:${plain.port}`);
				expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/^JoggAI: the Base URL does not use https/) });
				expect(plain.seen).toHaveLength(0);
			} finally {
				await plain.close();
			}
		});
	});

});
