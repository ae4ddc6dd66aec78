/**
 * A vendor's callbacks at the resume URL of a parked Create and Wait, for every registered vendor
 * whose adapter has `callback` (callbackVendors.ts): the resume side in n8n-core's real
 * WebhookContext over the persisted waiting run (resumeWebhookKit). Parking: callbackWait.test.ts.
 */
import { readBinary } from '../harness';
import { FIXTURE } from '../sandbox';
import { startReceiver, waitFor } from '../sandbox/testHelpers';
import { callbackVendors } from './callbackVendors';
import { callbackWaitKit, parkedJobId, PUBLIC_N8N } from './callbackWaitKit';
import { FAILING_AUDIO, useNodeSandbox } from './nodeKit';

const sb = useNodeSandbox();
const WRONG_KEY = 'sk-revoked-key-0000';

describe.each(callbackVendors().map((v) => [v.adapter.displayName, v] as const))('%s', (name, vendorUnderTest) => {
	const { vendor, setup } = vendorUnderTest;
	const { park, deliver } = callbackWaitKit(sb, vendorUnderTest);
	const statusChecks = () => sb.log.count({ vendor, endpoint: 'status' });
	const done = (jobId: string) => setup.body(jobId, 'succeeded');

	describe(`${name}'s callbacks at the resume URL`, () => {
		it('arrive at the resume URL verbatim; only the final one resumes, confirmed by one status request', async () => {
			const n8n = await startReceiver();
			try {
				sb.setOptions({ webhookHostRewrite: { [PUBLIC_N8N]: n8n.url } });
				const parked = await park();
				const jobId = parkedJobId(parked);
				const expected = setup.sentForSuccess;
				await waitFor(() => n8n.requests.length >= expected.length || undefined, 5000);
				const resume = new URL(parked.resumeUrl);
				expect(n8n.requests.map((r) => [r.method, r.path])).toEqual(expected.map(() => ['POST', resume.pathname + resume.search]));
				const bodies = n8n.requests.map((r) => JSON.parse(r.rawBody) as Record<string, unknown>);
				expected.forEach((outcome, i) => expect(bodies[i]).toMatchObject(setup.body(jobId, outcome)));

				for (const early of bodies.slice(0, -1)) {
					expect(await deliver(parked, early)).toEqual({ statusCode: 200, body: { received: true }, items: undefined });
				}
				expect(statusChecks()).toBe(0);

				const final = await deliver(parked, bodies.at(-1));
				expect(final.statusCode).toBe(200);
				expect(final.body).toEqual({ received: true });
				expect(final.items).toEqual([
					{
						json: expect.objectContaining({
							provider: vendor,
							jobId,
							status: 'succeeded',
							videoUrl: expect.stringContaining(`${sb.baseUrl(vendor)}/results/${jobId}.mp4`),
						}),
						pairedItem: { item: 0 },
					},
				]);
				expect(statusChecks()).toBe(1);
			} finally {
				await n8n.close();
			}
		});

		it(`never trusts the callback: an unconfirmed end keeps waiting, and the video URL comes from ${name}`, async () => {
			sb.setFault(vendor, { kind: 'neverFinish' });
			const parked = await park();
			const forged = setup.body(parkedJobId(parked), 'succeeded', 'https://attacker.example.test/fake.mp4');

			const early = await deliver(parked, forged);
			expect(early).toEqual({ statusCode: 200, body: { received: true }, items: undefined });
			expect(statusChecks()).toBe(1);

			sb.jobs.finish(vendor, parkedJobId(parked), 'succeeded');
			const final = await deliver(parked, forged);
			expect(final.items![0].json.status).toBe('succeeded');
			expect(final.items![0].json.videoUrl).toMatch(new RegExp(`^${sb.baseUrl(vendor)}/results/`));
			expect(JSON.stringify(final.items)).not.toContain('attacker');
		});

		it(`resumes a failed job with status failed and ${name}'s error`, async () => {
			const parked = await park(undefined, { inputItems: [{ json: { audio: FAILING_AUDIO } }] });
			sb.jobs.finish(vendor, parkedJobId(parked));
			const final = await deliver(parked, setup.body(parkedJobId(parked), 'failed'));
			expect(final.items![0].json).toMatchObject({ status: 'failed', error: expect.any(String), errorCode: setup.failedJobCode });
		});

		it('streams the video into binary data when Download Video is on', async () => {
			const options = { waitLimitMinutes: 5, downloadVideo: true, binaryPropertyName: 'video' };
			const parked = await park(options);
			sb.jobs.finish(vendor, parkedJobId(parked), 'succeeded');
			const final = await deliver(parked, done(parkedJobId(parked)), options);
			expect(final).toMatchObject({ statusCode: 200, body: { received: true } });
			const item = final.items![0];
			expect(item.json.status).toBe('succeeded');
			expect(item.binary?.video).toMatchObject({ mimeType: 'video/mp4' });
			expect((await readBinary(item.binary!.video)).equals(FIXTURE)).toBe(true);
		});

		it('answers 503 and keeps waiting when the outcome cannot be confirmed', async () => {
			const parked = await park();
			sb.jobs.finish(vendor, parkedJobId(parked), 'succeeded');
			const answer = await deliver(parked, done(parkedJobId(parked)), {}, WRONG_KEY);
			expect(answer.statusCode).toBe(503);
			expect(answer.items).toBeUndefined();
			expect(answer.body).toMatchObject({ received: false, error: expect.stringContaining(parkedJobId(parked)) });
			expect(JSON.stringify(answer.body)).not.toContain(WRONG_KEY);
		});

		it('answers 400 to a body that is not a status callback, and keeps waiting', async () => {
			const parked = await park();
			const answer = await deliver(parked, { hello: 'world' });
			expect(answer).toMatchObject({ statusCode: 400, items: undefined });
			expect(statusChecks()).toBe(0);
		});

		it('finds the job without custom data (n8n keeps at most 10 keys) from the parked item', async () => {
			const parked = await park();
			parked.run!.data.resultData.metadata = {};
			sb.jobs.finish(vendor, parkedJobId(parked), 'succeeded');
			const final = await deliver(parked, done(parkedJobId(parked)));
			expect(final.items![0].json).toMatchObject({ jobId: parkedJobId(parked), status: 'succeeded' });
		});
	});

	describe('the same callback more than once (a vendor may send the end twice)', () => {
		const DOWNLOAD = { waitLimitMinutes: 5, downloadVideo: true };

		it('two final callbacks at once: one status check and one download; the other is answered 200 without either, and only one resumes', async () => {
			const parked = await park(DOWNLOAD);
			sb.jobs.finish(vendor, parkedJobId(parked), 'succeeded');
			const body = done(parkedJobId(parked));
			const answers = await Promise.all([deliver(parked, body, DOWNLOAD), deliver(parked, body, DOWNLOAD)]);
			expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
			const resumed = answers.filter((answer) => answer.items !== undefined);
			expect(resumed).toHaveLength(1);
			expect(resumed[0].items![0].binary?.data).toMatchObject({ mimeType: 'video/mp4' });
			expect(answers.find((answer) => answer.items === undefined)!.body).toEqual({ received: true, alreadyHandled: true });
			expect(statusChecks()).toBe(1);
			expect(sb.log.count({ vendor, endpoint: 'download' })).toBe(1);
		});

		it('a final callback arriving after one that resumed (before n8n marks the execution running) does no second status check', async () => {
			const parked = await park();
			sb.jobs.finish(vendor, parkedJobId(parked), 'succeeded');
			const first = await deliver(parked, done(parkedJobId(parked)));
			expect(first.items).toHaveLength(1);
			const again = await deliver(parked, done(parkedJobId(parked)));
			expect(again).toMatchObject({ statusCode: 200, items: undefined });
			expect(statusChecks()).toBe(1);
		});

		it('a callback that could not confirm the job leaves the next one free to do the work', async () => {
			const parked = await park();
			sb.jobs.finish(vendor, parkedJobId(parked), 'succeeded');
			const failed = await deliver(parked, done(parkedJobId(parked)), {}, WRONG_KEY);
			expect(failed.statusCode).toBe(503);
			const retried = await deliver(parked, done(parkedJobId(parked)));
			expect(retried.items![0].json).toMatchObject({ jobId: parkedJobId(parked), status: 'succeeded' });
		});
	});

	// A vendor that checks its callback URL first (Vozo's challenge, an assumption) gets GET/HEAD webhooks.
	const checkMethods = (vendorUnderTest.description.webhooks ?? []).map((w) => String(w.httpMethod)).filter((m) => m !== 'POST');
	for (const method of checkMethods) {
		it(`a ${method} check of the resume URL is answered 200 and resumes nothing, with no status request, even after the job ended`, async () => {
			const parked = await park({ waitLimitMinutes: 5, downloadVideo: true });
			sb.jobs.finish(vendor, parkedJobId(parked), 'succeeded');
			const answer = await deliver(parked, {}, {}, sb.keys[vendor], method);
			expect(answer).toEqual({ statusCode: 200, body: { ok: true }, items: undefined });
			expect(statusChecks()).toBe(0);
			// The callback that follows still resumes.
			const final = await deliver(parked, done(parkedJobId(parked)));
			expect(final.items![0].json).toMatchObject({ status: 'succeeded' });
		});
	}
});
