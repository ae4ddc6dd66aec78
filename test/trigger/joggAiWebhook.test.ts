/**
 * JoggAI deliveries through the trigger's webhook(): signature over the raw bytes, the age of
 * the signed timestamp (replays), the previous secret during rotation, duplicates, bad input,
 * and the event → job mapping.
 */
import { createHmac } from 'node:crypto';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { DEDUPE_WINDOW, MAX_REMEMBERED_TRIGGERS, dedupeKey, isDuplicateDelivery } from '../../nodes/LipSyncTrigger/dedupe';
import { TriggerUnderTest } from './triggerHarness';

const SECRET = 'whsec_test_0123456789abcdef';

/** The memory key of a trigger's production URL, as webhook() computes it from n8n's context. */
const productionKey = (workflowId: string, nodeName: string) =>
	dedupeKey({ getWorkflow: () => ({ id: workflowId }), getNode: () => ({ name: nodeName }), getMode: () => 'webhook' } as unknown as Parameters<typeof dedupeKey>[0]);
const sign = (secret: string, bytes: Buffer | string) => createHmac('sha256', secret).update(bytes).digest('hex');

const registeredTrigger = (workflowId?: string, extra: { staticData?: IDataObject; options?: INodeParameters } = {}) =>
	new TriggerUnderTest({
		parameters: { vendor: 'joggai', events: ['generated_lip_sync_video_success'], ...(extra.options ? { options: extra.options } : {}) },
		staticData: { joggAiEndpointId: 'ep_1', joggAiSecret: SECRET, ...(extra.staticData ?? {}) },
		workflowId,
	});

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** JoggAI's own formatting of the body (the bytes it signs): not what JSON.stringify produces. */
const successBody = (eventId = 'evt_1', timestamp: number | string = nowSeconds()) =>
	`{"event_id": "${eventId}", "event": "generated_lip_sync_video_success", "timestamp": ${JSON.stringify(timestamp)},\n "data": {"task_id": "task_42", "status": "success", "result_url": "https://cdn.example.test/v/42.mp4", "cover_url": "https://cdn.example.test/c/42.jpg", "duration_seconds": 12.5}}`;

const signed = (body: string, secret = SECRET) => ({
	body,
	headers: { 'X-Webhook-Signature': sign(secret, body), 'X-Webhook-Event': 'generated_lip_sync_video_success' },
});

describe('JoggAI webhook signature', () => {
	it('starts the workflow with the event and a normalized job for a valid signature', async () => {
		const trigger = registeredTrigger();
		const result = await trigger.receive(signed(successBody()));
		expect(result.statusCode).toBe(200);
		expect(result.items).toHaveLength(1);
		const [item] = result.items!;
		expect(item).toMatchObject({
			event_id: 'evt_1',
			event: 'generated_lip_sync_video_success',
			data: { task_id: 'task_42' },
			job: {
				provider: 'joggai',
				jobId: 'task_42',
				status: 'succeeded',
				providerStatus: 'success',
				videoUrl: 'https://cdn.example.test/v/42.mp4',
				coverUrl: 'https://cdn.example.test/c/42.jpg',
				durationSeconds: 12.5,
			},
		});
	});

	it('rejects a body signed with another secret', async () => {
		const result = await registeredTrigger().receive(signed(successBody(), 'whsec_someone_else'));
		expect(result.statusCode).toBe(401);
		expect(result.items).toBeUndefined();
		expect(JSON.stringify(result.body)).toMatch(/X-Webhook-Signature/);
	});

	it('rejects the same JSON re-serialized (same data, different bytes)', async () => {
		const original = successBody();
		const reserialized = JSON.stringify(JSON.parse(original));
		expect(JSON.parse(reserialized)).toEqual(JSON.parse(original));
		expect(reserialized).not.toBe(original);
		// The signature JoggAI computed over its own bytes does not cover the re-serialized ones.
		const result = await registeredTrigger().receive({
			body: reserialized,
			headers: { 'X-Webhook-Signature': sign(SECRET, original) },
		});
		expect(result.statusCode).toBe(401);
		expect(result.items).toBeUndefined();
	});

	it('rejects a delivery without the signature header', async () => {
		const result = await registeredTrigger().receive({ body: successBody() });
		expect(result.statusCode).toBe(401);
		expect(result.items).toBeUndefined();
	});

	it('rejects every delivery when the trigger holds no secret (not registered)', async () => {
		const trigger = new TriggerUnderTest({ parameters: { vendor: 'joggai', events: ['x'] } });
		const result = await trigger.receive(signed(successBody()));
		expect(result.statusCode).toBe(401);
		expect(result.items).toBeUndefined();
	});

	it('accepts an upper-case hex signature (same digest)', async () => {
		const body = successBody();
		const result = await registeredTrigger().receive({
			body,
			headers: { 'X-Webhook-Signature': sign(SECRET, body).toUpperCase() },
		});
		expect(result.statusCode).toBe(200);
		expect(result.items).toHaveLength(1);
	});
});

describe('JoggAI replay protection (signed timestamp)', () => {
	const refusedWith = async (body: string, reason: RegExp, trigger = registeredTrigger()) => {
		const result = await trigger.receive(signed(body));
		expect(result.statusCode).toBe(401);
		expect(result.items).toBeUndefined();
		expect(JSON.stringify(result.body)).toMatch(reason);
	};

	it('refuses a genuine delivery older than 5 minutes (a captured delivery replayed later)', async () => {
		await refusedWith(successBody('evt_old', nowSeconds() - 310), /old; at most 300 s/);
	});

	it('refuses a delivery stamped more than 5 minutes in the future', async () => {
		await refusedWith(successBody('evt_future', nowSeconds() + 310), /in the future/);
	});

	it('accepts the last of JoggAI\'s retries (the same body, about 35 s after the first try)', async () => {
		const result = await registeredTrigger().receive(signed(successBody('evt_retried', nowSeconds() - 35)));
		expect(result.items).toHaveLength(1);
	});

	it.each([
		['milliseconds', () => Date.now() - 10_000],
		['a numeric string of seconds', () => String(nowSeconds() - 10)],
		['an ISO date', () => new Date(Date.now() - 10_000).toISOString()],
	])('reads a timestamp in %s', async (_label, timestamp) => {
		const result = await registeredTrigger().receive(signed(successBody(`evt_unit_${_label}`, timestamp())));
		expect(result.statusCode).toBe(200);
		expect(result.items).toHaveLength(1);
	});

	it('refuses an old timestamp in milliseconds too', async () => {
		await refusedWith(successBody('evt_old_ms', Date.now() - 10 * 60_000), /old/);
	});

	it('refuses a signed delivery without a timestamp', async () => {
		const body = JSON.stringify({ event_id: 'evt_no_ts', event: 'generated_lip_sync_video_success', data: { task_id: 't' } });
		await refusedWith(body, /no readable/);
	});

	it('uses "Max Delivery Age" when set, and 0 turns the check off', async () => {
		const body = successBody('evt_age_option', nowSeconds() - 120);
		await refusedWith(body, /at most 60 s/, registeredTrigger(undefined, { options: { maxDeliveryAge: 60 } }));
		const off = await registeredTrigger(undefined, { options: { maxDeliveryAge: 0 } }).receive(signed(successBody('evt_age_off', 1_600_000_000)));
		expect(off.items).toHaveLength(1);
	});

	it('does not remember a refused old delivery as seen', async () => {
		const trigger = registeredTrigger('wf-old-not-seen');
		await refusedWith(successBody('evt_old_then_new', nowSeconds() - 3600), /old/, trigger);
		expect((await trigger.receive(signed(successBody('evt_old_then_new')))).items).toHaveLength(1);
	});
});

describe('JoggAI previous secret (rotation)', () => {
	const OLD = 'whsec_old_0123456789';
	const rotated = (expiresAt: number) =>
		registeredTrigger(undefined, { staticData: { joggAiPreviousSecret: OLD, joggAiPreviousSecretExpiresAt: expiresAt } });

	it('accepts deliveries signed with the previous secret until it expires', async () => {
		const result = await rotated(Date.now() + 60_000).receive(signed(successBody('evt_prev_ok'), OLD));
		expect(result.statusCode).toBe(200);
		expect(result.items).toHaveLength(1);
	});

	it('refuses deliveries signed with the previous secret once it expired', async () => {
		const result = await rotated(Date.now() - 1).receive(signed(successBody('evt_prev_late'), OLD));
		expect(result.statusCode).toBe(401);
		expect(result.items).toBeUndefined();
	});

	it('still accepts the current secret while a previous one is kept', async () => {
		expect((await rotated(Date.now() + 60_000).receive(signed(successBody('evt_current')))).items).toHaveLength(1);
	});
});

describe('JoggAI duplicate deliveries', () => {
	it('answers 200 to a repeated event_id but starts nothing', async () => {
		const trigger = registeredTrigger();
		const first = await trigger.receive(signed(successBody('evt_dup')));
		const second = await trigger.receive(signed(successBody('evt_dup')));
		expect(first.items).toHaveLength(1);
		expect(second.statusCode).toBe(200);
		expect(second.items).toBeUndefined();
		expect(second.body).toMatchObject({ received: true });
		const third = await trigger.receive(signed(successBody('evt_other')));
		expect(third.items).toHaveLength(1);
	});

	it('drops the duplicate across deliveries of one workflow, each with a fresh Workflow object as n8n builds them', async () => {
		// n8n loads the workflow anew for every production webhook call: the memory must not live on it.
		const first = registeredTrigger('wf-fresh-per-delivery');
		expect((await first.receive(signed(successBody('evt_retry')))).items).toHaveLength(1);
		const retry = registeredTrigger('wf-fresh-per-delivery');
		const again = await retry.receive(signed(successBody('evt_retry')));
		expect(again.statusCode).toBe(200);
		expect(again.items).toBeUndefined();
		expect(again.body).toMatchObject({ received: true, note: expect.stringContaining('evt_retry') });
	});

	it('writes nothing to static data, so n8n has nothing to save per delivery', async () => {
		const trigger = registeredTrigger();
		const before = trigger.savedStaticData();
		await trigger.receive(signed(successBody('evt_no_write')));
		await trigger.receive(signed(successBody('evt_no_write')));
		expect(trigger.staticDataChanged).toBe(false);
		expect(trigger.savedStaticData()).toEqual(before);
	});

	it('catches two copies delivered at the same moment (answering once the workflow started): one starts, the other gets 409 while the first is being started', async () => {
		const options = { answer: 'afterStart' };
		const a = registeredTrigger('wf-simultaneous', { options });
		const b = registeredTrigger('wf-simultaneous', { options });
		const results = await Promise.all([a.receive(signed(successBody('evt_twin'))), b.receive(signed(successBody('evt_twin')))]);
		expect(results.map((r) => r.statusCode)).toEqual([200, 409]);
		expect(results.filter((r) => r.items?.length === 1)).toHaveLength(1);
	});

	it('catches two copies delivered at the same moment (answering at once, the default): one starts, the other is answered 200 and starts nothing', async () => {
		const a = registeredTrigger('wf-simultaneous-at-once');
		const b = registeredTrigger('wf-simultaneous-at-once');
		const results = await Promise.all([a.receive(signed(successBody('evt_twin_now'))), b.receive(signed(successBody('evt_twin_now')))]);
		expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
		expect(results.filter((r) => r.items?.length === 1)).toHaveLength(1);
	});

	it('keeps the same event id apart for two workflows (and two trigger nodes)', async () => {
		expect((await registeredTrigger('wf-a').receive(signed(successBody('evt_shared')))).items).toHaveLength(1);
		expect((await registeredTrigger('wf-b').receive(signed(successBody('evt_shared')))).items).toHaveLength(1);
		expect(productionKey('wf-a', 'Lip Sync Trigger')).not.toBe(productionKey('wf-a', 'Lip Sync Trigger1'));
	});

	it('does not remember an event whose signature failed, so the genuine delivery still starts', async () => {
		const trigger = registeredTrigger('wf-forged-first');
		const forged = await trigger.receive(signed(successBody('evt_forged_then_real'), 'whsec_attacker'));
		expect(forged.statusCode).toBe(401);
		const genuine = await registeredTrigger('wf-forged-first').receive(signed(successBody('evt_forged_then_real')));
		expect(genuine.items).toHaveLength(1);
	});

	it(`keeps only the newest ${DEDUPE_WINDOW} ids per trigger`, () => {
		const key = productionKey('wf-window', 'Lip Sync Trigger');
		for (let i = 0; i < DEDUPE_WINDOW; i++) expect(isDuplicateDelivery(key, `evt_old_${i}`)).toBe(false);
		expect(isDuplicateDelivery(key, `evt_old_${DEDUPE_WINDOW - 1}`)).toBe(true);
		expect(isDuplicateDelivery(key, 'evt_new')).toBe(false);
		// The oldest id fell out of the window: it would start the workflow again.
		expect(isDuplicateDelivery(key, 'evt_old_0')).toBe(false);
		expect(isDuplicateDelivery(key, 'evt_old_2')).toBe(true);
	});

	it(`forgets the least recently used trigger beyond ${MAX_REMEMBERED_TRIGGERS}`, () => {
		const keys = Array.from({ length: MAX_REMEMBERED_TRIGGERS + 1 }, (_, i) => productionKey(`wf-lru-${i}`, 'Lip Sync Trigger'));
		isDuplicateDelivery(keys[0], 'evt_lru');
		isDuplicateDelivery(keys[1], 'evt_lru');
		isDuplicateDelivery(keys[0], 'evt_touch'); // trigger 0 is used again: trigger 1 is now the stalest
		for (const key of keys.slice(2)) isDuplicateDelivery(key, 'evt_lru');
		expect(isDuplicateDelivery(keys[0], 'evt_lru')).toBe(true);
		expect(isDuplicateDelivery(keys[1], 'evt_lru')).toBe(false);
	});
});

describe('JoggAI bad input', () => {
	it('answers 400 to a signed body that is not JSON', async () => {
		const result = await registeredTrigger().receive(signed('event=done&task=1'));
		expect(result.statusCode).toBe(400);
		expect(JSON.stringify(result.body)).toMatch(/not valid JSON/);
		expect(result.items).toBeUndefined();
	});

	it('answers 400 to a body over 1 MB before anything else', async () => {
		const huge = `{"event_id":"e","event":"x","data":{"pad":"${'a'.repeat(1024 * 1024)}"}}`;
		const result = await registeredTrigger().receive(signed(huge));
		expect(result.statusCode).toBe(400);
		expect(JSON.stringify(result.body)).toMatch(/1 MB/);
		expect(result.items).toBeUndefined();
	});

	it('answers 400 when Content-Length announces more than 1 MB', async () => {
		const body = successBody();
		const result = await registeredTrigger().receive({
			...signed(body),
			headers: { ...signed(body).headers, 'content-length': String(2 * 1024 * 1024) },
		});
		expect(result.statusCode).toBe(400);
		expect(result.items).toBeUndefined();
	});

	it.each([
		['an array', '[1,2,3]'],
		['no event_id', '{"event":"generated_avatar_video_success","data":{}}'],
		['no event name', '{"event_id":"e1","data":{}}'],
		['data that is not an object', '{"event_id":"e1","event":"x","data":"oops"}'],
	])('answers 400 to an unknown shape: %s', async (_label, body) => {
		const result = await registeredTrigger().receive(signed(body));
		expect(result.statusCode).toBe(400);
		expect(result.items).toBeUndefined();
	});

	it('answers 400 to an empty body', async () => {
		const result = await registeredTrigger().receive(signed(''));
		expect(result.statusCode).toBe(400);
	});
});

describe('JoggAI event → job', () => {
	const deliver = async (payload: object) => {
		const body = JSON.stringify({ timestamp: nowSeconds(), ...payload });
		const result = await registeredTrigger().receive(signed(body));
		expect(result.statusCode).toBe(200);
		return result.items![0];
	};

	it('maps a failed lip-sync event to a failed job with the vendor message', async () => {
		const item = await deliver({
			event_id: 'f1',
			event: 'generated_lip_sync_video_failed',
			data: { task_id: 't_f', status: 'failed', error: { message: 'face not detected' } },
		});
		expect(item.job).toMatchObject({
			provider: 'joggai',
			jobId: 't_f',
			status: 'failed',
			error: { message: 'face not detected' },
		});
	});

	it('reads the video from data.video_url too', async () => {
		const item = await deliver({
			event_id: 'v1',
			event: 'generated_lip_sync_video_success',
			data: { task_id: 't_v', video_url: 'https://cdn.example.test/v.mp4' },
		});
		expect(item.job).toMatchObject({ status: 'succeeded', videoUrl: 'https://cdn.example.test/v.mp4' });
	});

	it('marks a success event without any video URL as failed (shared status rule)', async () => {
		const item = await deliver({
			event_id: 'n1',
			event: 'generated_lip_sync_video_success',
			data: { task_id: 't_n', status: 'success' },
		});
		expect(item.job).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/without a video URL/) } });
	});

	it('passes other events through without a job', async () => {
		const item = await deliver({
			event_id: 'a1',
			event: 'generated_avatar_video_success',
			data: { video_id: 'av_1', video_url: 'https://cdn.example.test/a.mp4' },
		});
		expect(item.event).toBe('generated_avatar_video_success');
		expect(item.job).toBeUndefined();
	});
});
