/**
 * With Answer "Once the Workflow Started", a JoggAI event counts as received only once n8n
 * started its workflow: n8n answers an accepted delivery after it started the execution, and
 * under bursts it may instead answer 500 ("There was a problem executing the workflow", seen in
 * the bench's queue-mode run). Then JoggAI's re-send must start the workflow, and a copy arriving
 * while the first is still being started must not be acknowledged (if that start fails, nothing
 * else would bring the event back).
 */
import { createHmac } from 'node:crypto';

import { TriggerUnderTest } from './triggerHarness';

const SECRET = 'whsec_test_start_0123456789';

const trigger = (workflowId: string) =>
	new TriggerUnderTest({
		// The trigger waits for n8n's answer here; by default it answers at once (joggAiAnswerAtOnce.test.ts).
		parameters: { vendor: 'joggai', events: ['generated_lip_sync_video_success'], options: { answer: 'afterStart' } },
		staticData: { joggAiEndpointId: 'ep_start', joggAiSecret: SECRET },
		workflowId,
	});

const delivery = (eventId: string) => {
	const body = JSON.stringify({
		event_id: eventId,
		event: 'generated_lip_sync_video_success',
		timestamp: Math.floor(Date.now() / 1000),
		data: { task_id: `task-${eventId}`, status: 'success', result_url: 'https://cdn.example.test/v.mp4' },
	});
	return { body, headers: { 'X-Webhook-Signature': createHmac('sha256', SECRET).update(body).digest('hex') } };
};

describe('JoggAI event started exactly once, also when n8n fails to start it', () => {
	it('starts the workflow again on the re-send of an event whose first delivery n8n answered 500', async () => {
		const first = await trigger('wf-start-failed').receive({ ...delivery('evt_500'), n8nAnswers: 500 });
		expect(first.items).toHaveLength(1);
		expect(first.statusCode).toBe(500);

		const resend = await trigger('wf-start-failed').receive(delivery('evt_500'));
		expect(resend.statusCode).toBe(200);
		expect(resend.items).toHaveLength(1);

		const third = await trigger('wf-start-failed').receive(delivery('evt_500'));
		expect(third.items).toBeUndefined();
		expect(third.body).toMatchObject({ received: true, note: expect.stringContaining('evt_500') });
	});

	it('answers 409 to a copy arriving while the first is still being started, then 200 and nothing once it started', async () => {
		let started!: () => void;
		const startedNow = new Promise<void>((resolve) => (started = resolve));
		const first = await trigger('wf-in-flight').receive({ ...delivery('evt_slow'), answerAfter: startedNow });
		expect(first.items).toHaveLength(1);

		const copy = await trigger('wf-in-flight').receive(delivery('evt_slow'));
		expect(copy.statusCode).toBe(409);
		expect(copy.items).toBeUndefined();
		expect(copy.body).toEqual({ error: expect.stringContaining('evt_slow') });

		started();
		await startedNow;
		const later = await trigger('wf-in-flight').receive(delivery('evt_slow'));
		expect(later.statusCode).toBe(200);
		expect(later.items).toBeUndefined();
	});

	it('starts the event from a copy that arrives after the first one failed to start while that copy was held off', async () => {
		let fail!: () => void;
		const failing = new Promise<void>((resolve) => (fail = resolve));
		await trigger('wf-in-flight-fails').receive({ ...delivery('evt_flaky'), answerAfter: failing, n8nAnswers: 500 });
		expect((await trigger('wf-in-flight-fails').receive(delivery('evt_flaky'))).statusCode).toBe(409);

		fail();
		await failing;
		const resend = await trigger('wf-in-flight-fails').receive(delivery('evt_flaky'));
		expect(resend.items).toHaveLength(1);
	});
});
