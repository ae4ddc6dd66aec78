/**
 * What the trigger remembers between deliveries: one memory per endpoint (the test URL and the
 * production URL apart), and a bounded one per Vozo callback reference however many distinct
 * statuses a sender makes up.
 */
import { createHmac } from 'node:crypto';

import { dedupeKey } from '../../nodes/LipSyncTrigger/dedupe';
import { MAX_DISTINCT_STATUSES, MAX_STATUS_CHARS, rememberedCallbacks } from '../../nodes/Vozo/vozo.triggerCallbacks';
import { TriggerUnderTest } from './triggerHarness';

const SECRET = 'whsec_memory_0123456789abcdef';

const joggAiTrigger = (workflowId: string) =>
	new TriggerUnderTest({
		parameters: { vendor: 'joggai', events: ['generated_lip_sync_video_success'] },
		staticData: { joggAiEndpointId: 'ep_1', joggAiSecret: SECRET },
		workflowId,
	});

const joggAiEvent = (eventId: string) => {
	const body = JSON.stringify({ event_id: eventId, event: 'generated_lip_sync_video_success', timestamp: Math.floor(Date.now() / 1000), data: { task_id: 't1', status: 'success', result_url: 'https://cdn.example.test/v.mp4' } });
	return { body, headers: { 'X-Webhook-Signature': createHmac('sha256', SECRET).update(body).digest('hex') } };
};

describe('duplicate memory per endpoint', () => {
	it('the same JoggAI event delivered to the test URL and to the production URL starts two executions (and each URL only once)', async () => {
		const event = joggAiEvent('evt_both_endpoints');
		const atTest = await joggAiTrigger('wf-endpoints').receive({ ...event, endpoint: 'test' });
		const atProduction = await joggAiTrigger('wf-endpoints').receive({ ...event, endpoint: 'production' });
		expect([atTest.items?.length, atProduction.items?.length]).toEqual([1, 1]);
		const again = await Promise.all([
			joggAiTrigger('wf-endpoints').receive({ ...event, endpoint: 'test' }),
			joggAiTrigger('wf-endpoints').receive({ ...event, endpoint: 'production' }),
		]);
		expect(again.map((result) => result.items)).toEqual([undefined, undefined]);
	});

	it('the same Vozo final callback at the test URL and the production URL starts two executions', async () => {
		const trigger = () => new TriggerUnderTest({ parameters: { vendor: 'vozo', callbackAuth: 'none' }, workflowId: 'wf-vozo-endpoints' });
		const callback = { body: JSON.stringify({ status: 'done', video_url: 'https://cdn.example.test/v.mp4' }), query: { lipsync_ref: 'ref-both' } };
		const results = [
			await trigger().receive({ ...callback, endpoint: 'test' }),
			await trigger().receive({ ...callback, endpoint: 'production' }),
			await trigger().receive({ ...callback, endpoint: 'production' }),
		];
		expect(results.map((result) => result.items?.length)).toEqual([1, 1, undefined]);
	});
});

describe('bounded memory per Vozo callback reference', () => {
	it(`10,000 callbacks with made-up intermediate statuses for one reference start at most ${MAX_DISTINCT_STATUSES} executions and leave ${MAX_DISTINCT_STATUSES} short entries`, async () => {
		const workflowId = 'wf-vozo-flood';
		const trigger = new TriggerUnderTest({ parameters: { vendor: 'vozo', callbackAuth: 'none', includeIntermediate: true }, workflowId });
		const longWord = 'x'.repeat(5000);
		let started = 0;
		for (let i = 0; i < 10_000; i++) {
			const result = await trigger.receive({ body: JSON.stringify({ status: `processing ${i} ${longWord}` }), query: { lipsync_ref: 'ref-flood' } });
			expect(result.statusCode).toBe(200);
			started += result.items?.length ?? 0;
		}
		expect(started).toBe(MAX_DISTINCT_STATUSES);
		const key = dedupeKey({ getWorkflow: () => ({ id: workflowId }), getNode: () => trigger.node, getMode: () => 'webhook' } as unknown as Parameters<typeof dedupeKey>[0]);
		const memory = rememberedCallbacks(key);
		expect(memory).toEqual({ references: 1, statusWords: MAX_DISTINCT_STATUSES, characters: 'ref-flood'.length + MAX_DISTINCT_STATUSES * MAX_STATUS_CHARS });
	});

	it('answers 400 to a reference longer than any the Vozo node makes, remembering nothing', async () => {
		const trigger = new TriggerUnderTest({ parameters: { vendor: 'vozo', callbackAuth: 'none' } });
		const result = await trigger.receive({ body: JSON.stringify({ status: 'done', video_url: 'https://cdn.example.test/v.mp4' }), query: { lipsync_ref: 'r'.repeat(10_000) } });
		expect(result.statusCode).toBe(400);
		expect(result.items).toBeUndefined();
	});
});
