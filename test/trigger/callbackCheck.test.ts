/**
 * A vendor's check of its callback URL (Vozo's "callback challenge", an ASSUMPTION in
 * nodes/Vozo/vozo.assumptions.ts: a GET or HEAD expecting 200) reaches the Lip Sync Trigger's
 * webhook() in n8n-core's WebhookContext, routed by method as n8n routes it. The same in a real
 * n8n: test/e2e/lipSyncTrigger.e2e.test.ts.
 */
import { TriggerUnderTest } from './triggerHarness';

const TOKEN = 's3cret-token-value';

describe("the trigger's callback URL answers a check", () => {
	it.each(['GET', 'HEAD'])('%s, with or without the token, is answered 200 and starts nothing (Vozo)', async (method) => {
		const trigger = new TriggerUnderTest({ parameters: { vendor: 'vozo', token: TOKEN } });
		for (const query of [{ token: TOKEN }, {}] as Array<Record<string, string>>) {
			const result = await trigger.receive({ method, body: '', query });
			expect(result).toEqual({ statusCode: 200, body: { ok: true }, items: undefined });
		}
	});

	it.each(['GET', 'HEAD'])('%s is answered 200 and starts nothing in JoggAI mode too (no signature asked)', async (method) => {
		const trigger = new TriggerUnderTest({ parameters: { vendor: 'joggai' }, joggAi: { apiKey: 'k', baseUrl: 'http://127.0.0.1:9' } });
		const result = await trigger.receive({ method, body: '' });
		expect(result).toEqual({ statusCode: 200, body: { ok: true }, items: undefined });
	});

	it('a POST is still a callback: without the token it is refused 401', async () => {
		const trigger = new TriggerUnderTest({ parameters: { vendor: 'vozo', token: TOKEN } });
		const result = await trigger.receive({ body: JSON.stringify({ status: 'done' }) });
		expect(result.statusCode).toBe(401);
	});

	it('the GET and HEAD webhooks share the callback path and are not "default", so activation registers nothing for them', () => {
		const { webhooks } = new TriggerUnderTest({ parameters: { vendor: 'vozo', token: TOKEN } }).nodeType.description;
		const byMethod = Object.fromEntries((webhooks ?? []).map((w) => [w.httpMethod, w]));
		expect(Object.keys(byMethod).sort()).toEqual(['GET', 'HEAD', 'POST']);
		expect(new Set((webhooks ?? []).map((w) => w.path))).toEqual(new Set(['callback']));
		expect(byMethod.POST.name).toBe('default');
		expect([byMethod.GET.name, byMethod.HEAD.name]).toEqual(['setup', 'setup']);
	});
});
