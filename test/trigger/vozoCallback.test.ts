/**
 * Vozo callbacks through the trigger's webhook(): the optional URL token, terminal vs
 * intermediate statuses, the correlation reference and bad input.
 */
import { VOZO_CALLBACK_REFERENCE_PARAM, withCallbackReference } from '../../nodes/Vozo/vozo.adapter';
import { TriggerUnderTest } from './triggerHarness';

const vozoTrigger = (parameters: Record<string, unknown> = {}) =>
	new TriggerUnderTest({ parameters: { vendor: 'vozo', ...parameters } });

const done = JSON.stringify({ status: 'done', video_url: 'https://cdn.vozo.test/out/1.mp4' });

describe('Vozo token', () => {
	const TOKEN = 's3cret-token-value';

	it('starts the workflow when the URL carries the right token', async () => {
		const result = await vozoTrigger({ token: TOKEN }).receive({ body: done, query: { token: TOKEN } });
		expect(result.statusCode).toBe(200);
		expect(result.items).toHaveLength(1);
	});

	it.each([
		['a wrong token of the same length', 's3cret-token-valuX'],
		['a shorter token', 's3cret'],
		['a longer token', `${TOKEN}-and-more`],
		['an empty token', ''],
	])('answers 401 and starts nothing for %s', async (_label, token) => {
		const result = await vozoTrigger({ token: TOKEN }).receive({ body: done, query: { token } });
		expect(result.statusCode).toBe(401);
		expect(result.items).toBeUndefined();
		expect(JSON.stringify(result.body)).toMatch(/token/);
	});

	it('answers 401 when the token is missing from the URL', async () => {
		const result = await vozoTrigger({ token: TOKEN }).receive({ body: done });
		expect(result.statusCode).toBe(401);
		expect(result.items).toBeUndefined();
	});

	it('checks the token before reading the body', async () => {
		const result = await vozoTrigger({ token: TOKEN }).receive({ body: 'not json', query: { token: 'nope' } });
		expect(result.statusCode).toBe(401);
	});

	it('needs no token when none is configured', async () => {
		const result = await vozoTrigger().receive({ body: done, query: { token: 'anything' } });
		expect(result.statusCode).toBe(200);
		expect(result.items).toHaveLength(1);
	});
});

describe('Vozo statuses', () => {
	it('starts the workflow with the normalized job and the callback reference for "done"', async () => {
		const url = withCallbackReference('https://n8n.example.test/webhook/abc/callback', 'ref-123');
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
			},
		]);
	});

	it('reads "completed" as success too', async () => {
		const body = JSON.stringify({ status: 'completed', video_url: 'https://cdn.vozo.test/2.mp4' });
		const result = await vozoTrigger().receive({ body });
		expect(result.items?.[0]).toMatchObject({ status: 'succeeded', providerStatus: 'completed' });
	});

	it('starts the workflow for "failed" with the error', async () => {
		const body = JSON.stringify({ status: 'failed', err_code: 20601, err_message: 'no face' });
		const result = await vozoTrigger().receive({ body, query: { [VOZO_CALLBACK_REFERENCE_PARAM]: 'ref-f' } });
		expect(result.items?.[0]).toMatchObject({
			status: 'failed',
			callbackReference: 'ref-f',
			error: { code: 20601, message: 'no face' },
		});
	});

	it('treats "done" without a video URL as a failed job (shared status rule)', async () => {
		const result = await vozoTrigger().receive({ body: JSON.stringify({ status: 'done' }) });
		expect(result.items?.[0]).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/video URL/) } });
	});

	it.each(['pending', 'processing', 'warming_up'])(
		'answers 200 but starts nothing for the intermediate status "%s"',
		async (status) => {
			const result = await vozoTrigger().receive({ body: JSON.stringify({ status }) });
			expect(result.statusCode).toBe(200);
			expect(result.items).toBeUndefined();
		},
	);

	it('lets intermediate statuses through with "Include Intermediate Statuses"', async () => {
		const trigger = vozoTrigger({ includeIntermediate: true });
		const pending = await trigger.receive({ body: JSON.stringify({ status: 'pending' }) });
		const processing = await trigger.receive({ body: JSON.stringify({ status: 'processing' }) });
		expect(pending.items?.[0]).toMatchObject({ provider: 'vozo', status: 'queued', providerStatus: 'pending' });
		expect(processing.items?.[0]).toMatchObject({ status: 'processing' });
	});
});

describe('Vozo bad input', () => {
	it('answers 400 to a body that is not JSON', async () => {
		const result = await vozoTrigger().receive({ body: '<xml>done</xml>', headers: { 'content-type': 'text/plain' } });
		expect(result.statusCode).toBe(400);
		expect(JSON.stringify(result.body)).toMatch(/not valid JSON/);
		expect(result.items).toBeUndefined();
	});

	it('answers 400 to a body over 1 MB', async () => {
		const body = JSON.stringify({ status: 'done', video_url: 'https://x.test/v.mp4', pad: 'p'.repeat(1024 * 1024) });
		const result = await vozoTrigger().receive({ body });
		expect(result.statusCode).toBe(400);
		expect(result.items).toBeUndefined();
	});

	it.each([
		['an object without status', '{"video_url":"https://x.test/v.mp4"}'],
		['a JSON string', '"done"'],
		['an array', '[{"status":"done"}]'],
	])('answers 400 to an unknown shape: %s', async (_label, body) => {
		const result = await vozoTrigger().receive({ body });
		expect(result.statusCode).toBe(400);
		expect(result.items).toBeUndefined();
	});
});
