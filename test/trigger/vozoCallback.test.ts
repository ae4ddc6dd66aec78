/**
 * Vozo callbacks through the trigger's webhook(): the required URL token (and the explicit
 * "No Token" choice), one execution per job and final status, intermediate statuses, the
 * correlation reference and bad input. Confirmation with Vozo: vozoRoundTrip.test.ts.
 */
import { NodeHelpers } from 'n8n-workflow';

import { VOZO_CALLBACK_REFERENCE_PARAM, withCallbackReference } from '../../nodes/Vozo/vozo.adapter';
import { TriggerUnderTest } from './triggerHarness';

const TOKEN = 's3cret-token-value';
let triggerCount = 0;

/** A Vozo trigger with a token; each call is a new workflow unless `workflowId` says otherwise. */
const vozoTrigger = (parameters: Record<string, unknown> = {}, workflowId = `vozo-wf-${++triggerCount}`) =>
	new TriggerUnderTest({ parameters: { vendor: 'vozo', token: TOKEN, ...parameters }, workflowId });

const done = JSON.stringify({ status: 'done', video_url: 'https://cdn.vozo.test/out/1.mp4' });
const withToken = (query: Record<string, string> = {}) => ({ token: TOKEN, ...query });

describe('Vozo token', () => {
	it('the editor flags the empty Token in the default mode (version 1), and not once a token is set or "No Token" is chosen', () => {
		const tokenIssue = (trigger: TriggerUnderTest) =>
			NodeHelpers.getNodeParametersIssues(trigger.nodeType.description.properties, trigger.node, trigger.nodeType.description)?.parameters?.token;
		expect(tokenIssue(new TriggerUnderTest({ parameters: { vendor: 'vozo' } }))).toEqual([expect.stringMatching(/Token/)]);
		expect(tokenIssue(vozoTrigger())).toBeUndefined();
		expect(tokenIssue(vozoTrigger({ callbackAuth: 'none', token: '' }))).toBeUndefined();
	});

	it('starts the workflow when the URL carries the right token', async () => {
		const result = await vozoTrigger().receive({ body: done, query: withToken() });
		expect(result.statusCode).toBe(200);
		expect(result.items).toHaveLength(1);
	});

	it.each([
		['a wrong token of the same length', 's3cret-token-valuX'],
		['a shorter token', 's3cret'],
		['a longer token', `${TOKEN}-and-more`],
		['an empty token', ''],
	])('answers 401 and starts nothing for %s', async (_label, token) => {
		const result = await vozoTrigger().receive({ body: done, query: { token } });
		expect(result.statusCode).toBe(401);
		expect(result.items).toBeUndefined();
		expect(JSON.stringify(result.body)).toMatch(/token/);
	});

	it('answers 401 when the token is missing from the URL', async () => {
		const result = await vozoTrigger().receive({ body: done });
		expect(result.statusCode).toBe(401);
		expect(result.items).toBeUndefined();
	});

	it('answers 401 to every callback while no token is set (token mode is the default)', async () => {
		const trigger = new TriggerUnderTest({ parameters: { vendor: 'vozo' } });
		for (const query of [{}, { token: '' }, { token: 'anything' }] as Array<Record<string, string>>) {
			const result = await trigger.receive({ body: done, query });
			expect(result.statusCode).toBe(401);
			expect(result.items).toBeUndefined();
		}
	});

	it.each([
		['the former placeholder token', 'replace-with-your-own-long-random-token'],
		['a token shorter than 16 characters', 'short-token'],
	])('answers 401 and starts nothing for a callback carrying %s, even when it matches (n8n may serve the webhook before activation refuses it)', async (_label, token) => {
		const result = await vozoTrigger({ token }).receive({ body: done, query: { token } });
		expect(result.statusCode).toBe(401);
		expect(result.items).toBeUndefined();
		expect(JSON.stringify(result.body)).toMatch(/Token cannot be used/);
	});

	it('checks the token before reading the body', async () => {
		const result = await vozoTrigger().receive({ body: 'not json', query: { token: 'nope' } });
		expect(result.statusCode).toBe(401);
	});

	it.each([
		['no token', {}],
		['a token shorter than 16 characters', { token: 'short-token' }],
	])('refuses to activate with %s', async (_label, parameters) => {
		const trigger = new TriggerUnderTest({ parameters: { vendor: 'vozo', ...parameters } });
		await expect(trigger.activate()).rejects.toThrow(/Token cannot be used: it is \d+ characters; at least 16.*Signed Callback URL/);
	});

	it('activates with a token of 16 characters or more, registering nothing with Vozo', async () => {
		await expect(vozoTrigger().checkExists()).resolves.toBe(true);
	});

	it('"No Token (Not Recommended)" accepts callbacks without a token, activates, and marks them verified: false', async () => {
		const trigger = vozoTrigger({ callbackAuth: 'none', token: '' });
		await expect(trigger.checkExists()).resolves.toBe(true);
		const result = await trigger.receive({ body: done });
		expect(result.statusCode).toBe(200);
		expect(result.items?.[0]).toMatchObject({ status: 'succeeded', verified: false, verification: expect.stringMatching(/No Token/) });
	});

	it('the editor shows the warning notice only when "No Token" is chosen', () => {
		const { description } = vozoTrigger().nodeType;
		const notice = description.properties.find((p) => p.name === 'noTokenNotice')!;
		const shownFor = (callbackAuth: string) => {
			const { node } = vozoTrigger({ callbackAuth });
			return NodeHelpers.displayParameter(node.parameters, notice, node, description);
		};
		expect(['token', 'signature', 'none'].map((mode) => [mode, shownFor(mode)])).toEqual([
			['token', false],
			['signature', false],
			['none', true],
		]);
		expect(notice.displayName).toMatch(/anyone who learns this URL/);
	});
});

describe('Vozo duplicate and out-of-order callbacks', () => {
	const ref = (reference: string) => withToken({ [VOZO_CALLBACK_REFERENCE_PARAM]: reference });

	it('starts one execution when "done" arrives twice and a stale "processing" after it', async () => {
		const trigger = vozoTrigger();
		const first = await trigger.receive({ body: done, query: ref('ref-twice') });
		const again = await trigger.receive({ body: done, query: ref('ref-twice') });
		const stale = await trigger.receive({ body: JSON.stringify({ status: 'processing' }), query: ref('ref-twice') });
		expect(first.items).toHaveLength(1);
		expect([again, stale].map((r) => [r.statusCode, r.items])).toEqual([
			[200, undefined],
			[200, undefined],
		]);
		expect(again.body).toMatchObject({ received: true, note: expect.stringMatching(/already finished/) });
	});

	it('ignores a "failed" arriving after "done" for the same job (a job ends once)', async () => {
		const trigger = vozoTrigger();
		expect((await trigger.receive({ body: done, query: ref('ref-end-once') })).items).toHaveLength(1);
		const late = await trigger.receive({ body: JSON.stringify({ status: 'failed', err_code: 999 }), query: ref('ref-end-once') });
		expect(late.statusCode).toBe(200);
		expect(late.items).toBeUndefined();
	});

	it('remembers across deliveries of one workflow, each with a fresh Workflow object as n8n builds them', async () => {
		expect((await vozoTrigger({}, 'vozo-wf-fresh').receive({ body: done, query: ref('ref-fresh') })).items).toHaveLength(1);
		const retry = await vozoTrigger({}, 'vozo-wf-fresh').receive({ body: done, query: ref('ref-fresh') });
		expect(retry.statusCode).toBe(200);
		expect(retry.items).toBeUndefined();
	});

	it('catches two copies delivered at the same moment', async () => {
		const results = await Promise.all([
			vozoTrigger({}, 'vozo-wf-twins').receive({ body: done, query: ref('ref-twins') }),
			vozoTrigger({}, 'vozo-wf-twins').receive({ body: done, query: ref('ref-twins') }),
		]);
		expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
		expect(results.filter((r) => r.items?.length === 1)).toHaveLength(1);
	});

	it('keeps different jobs (references) and different workflows apart', async () => {
		const trigger = vozoTrigger({}, 'vozo-wf-apart');
		expect((await trigger.receive({ body: done, query: ref('ref-a') })).items).toHaveLength(1);
		expect((await trigger.receive({ body: done, query: ref('ref-b') })).items).toHaveLength(1);
		expect((await vozoTrigger({}, 'vozo-wf-other').receive({ body: done, query: ref('ref-a') })).items).toHaveLength(1);
	});

	it('with "Include Intermediate Statuses": each status once, nothing after the final one', async () => {
		const trigger = vozoTrigger({ includeIntermediate: true });
		const send = async (status: string) =>
			(await trigger.receive({ body: JSON.stringify(status === 'done' ? JSON.parse(done) : { status }), query: ref('ref-steps') })).items?.length ?? 0;
		expect([await send('pending'), await send('processing'), await send('processing'), await send('done'), await send('processing'), await send('done')]).toEqual([
			1, 1, 0, 1, 0, 0,
		]);
	});

	it('a rejected token remembers nothing: the genuine callback still starts', async () => {
		const trigger = vozoTrigger({}, 'vozo-wf-forged-first');
		expect((await trigger.receive({ body: done, query: { token: 'wrong', [VOZO_CALLBACK_REFERENCE_PARAM]: 'ref-x' } })).statusCode).toBe(401);
		expect((await trigger.receive({ body: done, query: ref('ref-x') })).items).toHaveLength(1);
	});
});

describe('Vozo statuses', () => {
	it('starts the workflow with the normalized job and the callback reference for "done"', async () => {
		const url = withCallbackReference(`https://n8n.example.test/webhook/abc/callback?token=${TOKEN}`, 'ref-123');
		const query = Object.fromEntries(new URL(url).searchParams);
		expect(query[VOZO_CALLBACK_REFERENCE_PARAM]).toBe('ref-123');

		const result = await vozoTrigger().receive({ body: done, query });
		expect(result.items).toEqual([
			{
				provider: 'vozo',
				jobId: '',
				callbackReference: 'ref-123',
				status: 'succeeded',
				providerStatus: 'done',
				videoUrl: 'https://cdn.vozo.test/out/1.mp4',
				raw: JSON.parse(done),
				verified: false,
				verification: 'no Vozo credential is selected on the trigger',
			},
		]);
	});

	it('reads "completed" as success too', async () => {
		const body = JSON.stringify({ status: 'completed', video_url: 'https://cdn.vozo.test/2.mp4' });
		const result = await vozoTrigger().receive({ body, query: withToken() });
		expect(result.items?.[0]).toMatchObject({ status: 'succeeded', providerStatus: 'completed' });
	});

	it('starts the workflow for "failed" with the error', async () => {
		const body = JSON.stringify({ status: 'failed', err_code: 20601, err_message: 'no face' });
		const result = await vozoTrigger().receive({ body, query: withToken({ [VOZO_CALLBACK_REFERENCE_PARAM]: 'ref-f' }) });
		expect(result.items?.[0]).toMatchObject({
			status: 'failed',
			callbackReference: 'ref-f',
			error: { code: 20601, message: 'no face' },
		});
	});

	it('treats "done" without a video URL as a failed job (shared status rule)', async () => {
		const result = await vozoTrigger().receive({ body: JSON.stringify({ status: 'done' }), query: withToken() });
		expect(result.items?.[0]).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/video URL/) } });
	});

	it.each(['pending', 'processing', 'warming_up'])(
		'answers 200 but starts nothing for the intermediate status "%s"',
		async (status) => {
			const result = await vozoTrigger().receive({ body: JSON.stringify({ status }), query: withToken() });
			expect(result.statusCode).toBe(200);
			expect(result.items).toBeUndefined();
		},
	);

	it('lets intermediate statuses through with "Include Intermediate Statuses", unconfirmed', async () => {
		const trigger = vozoTrigger({ includeIntermediate: true });
		const pending = await trigger.receive({ body: JSON.stringify({ status: 'pending' }), query: withToken() });
		const processing = await trigger.receive({ body: JSON.stringify({ status: 'processing' }), query: withToken() });
		expect(pending.items?.[0]).toMatchObject({ provider: 'vozo', status: 'queued', providerStatus: 'pending', verified: false });
		expect(processing.items?.[0]).toMatchObject({ status: 'processing', verification: expect.stringMatching(/only final statuses/) });
	});
});

describe('Vozo bad input', () => {
	it('answers 400 to a body that is not JSON', async () => {
		const result = await vozoTrigger().receive({ body: '<xml>done</xml>', headers: { 'content-type': 'text/plain' }, query: withToken() });
		expect(result.statusCode).toBe(400);
		expect(JSON.stringify(result.body)).toMatch(/not valid JSON/);
		expect(result.items).toBeUndefined();
	});

	it('answers 400 to a body over 1 MB', async () => {
		const body = JSON.stringify({ status: 'done', video_url: 'https://x.test/v.mp4', pad: 'p'.repeat(1024 * 1024) });
		const result = await vozoTrigger().receive({ body, query: withToken() });
		expect(result.statusCode).toBe(400);
		expect(result.items).toBeUndefined();
	});

	it.each([
		['an object without status', '{"video_url":"https://x.test/v.mp4"}'],
		['a JSON string', '"done"'],
		['an array', '[{"status":"done"}]'],
	])('answers 400 to an unknown shape: %s', async (_label, body) => {
		const result = await vozoTrigger().receive({ body, query: withToken() });
		expect(result.statusCode).toBe(400);
		expect(result.items).toBeUndefined();
	});
});
