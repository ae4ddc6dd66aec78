/**
 * The Lip Sync Trigger's sync.so mode over real HTTP: the sandbox's sync.so creates a generation
 * with the trigger's URL as `webhookUrl` and signs its webhook as sync.so does
 * (test/sandbox/vendors/syncsoWebhooks.ts); the trigger verifies `Sync-Signature` with the
 * credential's Webhook Signing Secret and starts the workflow once per generation and outcome.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox';
import { deliveryLogOf, type DeliveryRecord } from '../sandbox/deliveries';
import { call, waitFor } from '../sandbox/testHelpers';
import { signSyncsoWebhook, syncsoWebhookSecret } from '../sandbox/vendors/syncsoWebhooks';
import { TriggerUnderTest } from './triggerHarness';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: { syncso: 200 }, jitterMs: 0 });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.reset());

const PUBLIC_N8N = 'https://n8n.example.test';
const WEBHOOK_URL = `${PUBLIC_N8N}/webhook/b3f4c1d2/callback`;
const FACE = 'https://cdn.example.test/face.mp4';

const credential = (secret = syncsoWebhookSecret(sb.keys.syncso)) => ({
	apiKey: sb.keys.syncso,
	baseUrl: sb.baseUrl('syncso'),
	webhookSigningSecret: secret,
});

/** The trigger in sync.so mode behind real HTTP; the sandbox delivers `WEBHOOK_URL` to it. */
async function listeningTrigger(secret?: string) {
	const trigger = new TriggerUnderTest({ parameters: { vendor: 'syncso' }, credentials: { syncSoApi: credential(secret) } });
	const server = await trigger.listen();
	sb.setOptions({ webhookHostRewrite: { [PUBLIC_N8N]: server.url } });
	return { trigger, server };
}

/** One generation created at the sandbox's sync.so with the trigger's URL as its webhook. */
async function createGeneration(audio = 'https://cdn.example.test/voice.wav'): Promise<string> {
	const created = await call(sb, 'syncso', '/v2/generate', {
		body: { model: 'lipsync-2', input: [{ type: 'video', url: FACE }, { type: 'audio', url: audio }], webhookUrl: WEBHOOK_URL },
	});
	expect(created.status).toBe(201);
	return String(created.json.id);
}

const webhookOf = async (id: string): Promise<DeliveryRecord> =>
	await waitFor(() => sb.deliveries.list({ kind: 'syncso-callback' }).find((d) => (d.body as IDataObject).id === id && (d.statusCode !== undefined || d.error !== undefined)));

describe('sync.so webhooks at the Lip Sync Trigger', () => {
	it('a validly signed webhook starts the workflow once, with the generation and its normalized job', async () => {
		const { server } = await listeningTrigger();
		try {
			const id = await createGeneration();
			const delivery = await webhookOf(id);
			expect(delivery.statusCode).toBe(200);
			expect(delivery.headers['sync-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
			expect(server.started).toEqual([
				expect.objectContaining({
					id,
					status: 'COMPLETED',
					job: expect.objectContaining({ provider: 'syncso', jobId: id, status: 'succeeded', videoUrl: expect.stringContaining(`/syncso/results/${id}.mp4`) }),
				}),
			]);
			expect(server.started[0].job).not.toHaveProperty('raw');
		} finally {
			await server.close();
		}
	});

	it('a failed generation starts the workflow with status failed and its error code', async () => {
		const { server } = await listeningTrigger();
		try {
			const id = await createGeneration('https://cdn.example.test/voice-fail.wav');
			expect((await webhookOf(id)).statusCode).toBe(200);
			expect(server.started).toEqual([expect.objectContaining({ id, status: 'FAILED', job: expect.objectContaining({ status: 'failed', error: { code: 'generation_media_metadata_missing', message: expect.any(String) } }) })]);
		} finally {
			await server.close();
		}
	});

	it('a duplicate delivery of the same webhook starts nothing more', async () => {
		const { server } = await listeningTrigger();
		try {
			const id = await createGeneration();
			const first = await webhookOf(id);
			const again = await deliveryLogOf(sb.deliveries).redeliverCallback(first);
			expect(again.statusCode).toBe(200);
			expect(server.started).toHaveLength(1);
		} finally {
			await server.close();
		}
	});

	it('a webhook signed with another secret is refused with 401 and starts nothing', async () => {
		const { server } = await listeningTrigger('whsec_not_the_organizations_secret_000');
		try {
			const id = await createGeneration();
			expect((await webhookOf(id)).statusCode).toBe(401);
			expect(server.started).toEqual([]);
		} finally {
			await server.close();
		}
	});

	it('a genuine signature with a timestamp older than 300 s is refused with 401 and starts nothing', async () => {
		const trigger = new TriggerUnderTest({ parameters: { vendor: 'syncso' }, credentials: { syncSoApi: credential() } });
		const body = JSON.stringify({ id: 'gen-stale', status: 'COMPLETED', model: 'lipsync-2', input: [], createdAt: new Date().toISOString() });
		const signedAt = (secondsAgo: number) => signSyncsoWebhook(syncsoWebhookSecret(sb.keys.syncso), body, Math.floor(Date.now() / 1000) - secondsAgo);
		const stale = await trigger.receive({ body, headers: { 'Sync-Signature': signedAt(330) } });
		expect(stale).toEqual({ statusCode: 401, body: expect.anything() });
		expect(JSON.stringify(stale.body)).toMatch(/s old; at most 300 s are accepted/);
		// The same delivery signed now is accepted: only the age refused it.
		expect(await trigger.receive({ body, headers: { 'Sync-Signature': signedAt(0) } })).toMatchObject({ statusCode: 200, items: [expect.objectContaining({ id: 'gen-stale' })] });
	});

	it('an unsigned delivery or one that is not a generation is refused and starts nothing', async () => {
		const trigger = new TriggerUnderTest({ parameters: { vendor: 'syncso' }, credentials: { syncSoApi: credential() } });
		const body = JSON.stringify({ hello: 'world' });
		expect(await trigger.receive({ body })).toEqual({ statusCode: 401, body: expect.anything() });
		const signed = { 'Sync-Signature': signSyncsoWebhook(syncsoWebhookSecret(sb.keys.syncso), body) };
		expect(await trigger.receive({ body, headers: signed })).toEqual({ statusCode: 400, body: expect.anything() });
	});

	it('refuses every delivery, and activation, while the credential has no signing secret', async () => {
		const trigger = new TriggerUnderTest({ parameters: { vendor: 'syncso' }, credentials: { syncSoApi: credential('') } });
		const body = JSON.stringify({ id: 'gen-1', status: 'COMPLETED' });
		const answer = await trigger.receive({ body, headers: { 'Sync-Signature': signSyncsoWebhook(syncsoWebhookSecret(sb.keys.syncso), body) } });
		expect(answer).toEqual({ statusCode: 401, body: expect.anything() });
		expect(JSON.stringify(answer.body)).toMatch(/signing secret/);
		await expect(trigger.activate()).rejects.toThrow(/Webhook Signing Secret/);
	});
});
