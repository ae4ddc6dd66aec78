/**
 * Signed Vozo callback URLs: the Vozo credential's Callback Secret signs each job's reference
 * (the Vozo node, through n8n-core, against the sandbox) and the trigger with the same credential
 * accepts only that signature for that reference. Plus what activation refuses (placeholders,
 * short secrets) and what saved version 1 workflows keep (the token).
 */
import type { IDataObject } from 'n8n-workflow';

import { VozoApi } from '../../credentials/VozoApi.credentials';
import { Vozo } from '../../nodes/Vozo/Vozo.node';
import { runNode } from '../harness';
import { startSandbox } from '../sandbox';
import { TriggerUnderTest } from './triggerHarness';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sb: Sandbox;

const SECRET = 'c0ffee5e7a1b9d2f4e6a8c0b1d3f5a7c9e2b4d6f';
const OTHER_SECRET = '9f8e7d6c5b4a39281706f5e4d3c2b1a0aa55bb66';
const PUBLIC_N8N = 'https://n8n.example.test';
/** The example workflow's former token: public, so it must never open a trigger. */
const OLD_EXAMPLE_TOKEN = 'replace-with-your-own-long-random-token';

beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: { vozo: 300 }, jitterMs: 0 });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.reset());

async function until<T>(check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
	const start = Date.now();
	for (;;) {
		const value = check();
		if (value !== undefined) return value;
		if (Date.now() - start > timeoutMs) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

const vozoCredential = (callbackSecret = SECRET) => ({ apiKey: sb.keys.vozo, baseUrl: sb.baseUrl('vozo'), callbackSecret });

/** A new (version 1.1) Vozo trigger: signed callback URLs by default. */
const signedTrigger = (callbackSecret: string | null = SECRET, parameters: IDataObject = {}) =>
	new TriggerUnderTest({
		parameters: { vendor: 'vozo', ...parameters },
		typeVersion: 1.1,
		...(callbackSecret === null ? {} : { vozo: vozoCredential(callbackSecret) }),
	});

async function createJob(callbackUrl: string, callbackSecret = SECRET): Promise<IDataObject> {
	const created = await runNode({
		nodeType: new Vozo(),
		parameters: {
			operation: 'create',
			generationMode: 'referenceFile',
			referenceFileType: 'video',
			referenceFileUrl: 'https://media.example.test/face.mp4',
			model: 'standard_v1',
			audioUrl: 'https://media.example.test/voice.mp3',
			options: { callbackUrl },
		},
		credentials: { vozoApi: vozoCredential(callbackSecret) },
		credentialTypes: [new VozoApi()],
	});
	expect(created.error).toBeUndefined();
	return created.output![0][0].json as IDataObject;
}

/** The callback URL Vozo was given for `job`, as the sandbox received it in the create request. */
const callbackUrlSentFor = (job: IDataObject): URL => {
	const create = sb.log.entries({ vendor: 'vozo', endpoint: 'create' }).find((entry) => JSON.stringify(entry.requestBody).includes(String(job.callbackReference)));
	return new URL(String((create!.requestBody as IDataObject).callback_url));
};

const done = JSON.stringify({ status: 'done', video_url: 'https://cdn.vozo.test/out/1.mp4' });

describe('signed Vozo callback URLs', () => {
	it('the Vozo node signs its reference into the Callback URL; the trigger with the same credential starts the workflow once, verified', async () => {
		const trigger = signedTrigger();
		await trigger.activate();
		const server = await trigger.listen();
		sb.setOptions({ webhookHostRewrite: { [PUBLIC_N8N]: server.url } });
		try {
			const job = await createJob(`${PUBLIC_N8N}/webhook/b3f4c1d2/callback`);
			const sent = callbackUrlSentFor(job);
			expect(sent.searchParams.get('lipsync_ref')).toBe(job.callbackReference);
			expect(sent.searchParams.get('lipsync_sig')).toMatch(/^[\w-]{43}$/);
			expect(sent.href).not.toContain(SECRET);
			await until(() => (server.started.length ? server.started : undefined));
			expect(server.started).toEqual([expect.objectContaining({ jobId: job.jobId, status: 'succeeded', callbackReference: job.callbackReference, verified: true })]);
		} finally {
			await server.close();
		}
	});

	it('a forged signature, or a genuine one moved to another reference, is answered 401 and starts nothing', async () => {
		const job = await createJob('https://closed.example.test/webhook/x/callback');
		const sent = callbackUrlSentFor(job);
		const reference = sent.searchParams.get('lipsync_ref')!;
		const signature = sent.searchParams.get('lipsync_sig')!;
		const trigger = signedTrigger();
		const forged: Array<Record<string, string>> = [
			{ lipsync_ref: reference, lipsync_sig: `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}` },
			{ lipsync_ref: 'another-job-reference', lipsync_sig: signature },
			{ lipsync_ref: reference },
			{},
		];
		for (const query of forged) {
			const result = await trigger.receive({ body: done, query });
			expect({ query, statusCode: result.statusCode, items: result.items }).toEqual({ query, statusCode: 401, items: undefined });
		}
		// The genuine URL of that one job opens that job only.
		sb.jobs.finish('vozo', String(job.jobId), 'succeeded');
		const genuine = await trigger.receive({ body: done, query: { lipsync_ref: reference, lipsync_sig: signature } });
		expect(genuine.statusCode).toBe(200);
		expect(genuine.items).toHaveLength(1);
	});

	it('a URL signed with another credential\'s secret is answered 401', async () => {
		const job = await createJob('https://closed.example.test/webhook/x/callback', OTHER_SECRET);
		const sent = callbackUrlSentFor(job);
		const result = await signedTrigger().receive({ body: done, query: Object.fromEntries(sent.searchParams) });
		expect(result.statusCode).toBe(401);
		expect(JSON.stringify(result.body)).toMatch(/lipsync_sig/);
	});

	it('a new trigger ignores a token: a ?token= URL is answered 401', async () => {
		const trigger = signedTrigger(SECRET, { token: 'a-legacy-token-of-enough-length' });
		const result = await trigger.receive({ body: done, query: { token: 'a-legacy-token-of-enough-length', lipsync_ref: 'r1' } });
		expect(result.statusCode).toBe(401);
	});

	it.each([
		['no Vozo credential', null, /Select a Vozo credential/],
		['a credential without a Callback Secret', '', /Callback Secret cannot be used: it is 0 characters/],
		['a Callback Secret shorter than 32 characters', 'abcdef0123456789', /at least 32/],
		['a placeholder Callback Secret', 'replace-with-a-long-random-secret-of-your-own', /placeholder/],
		['a Callback Secret of one repeated character', 'a'.repeat(40), /too few distinct characters/],
	])('refuses to activate with %s', async (_label, secret, reason) => {
		await expect(signedTrigger(secret).activate()).rejects.toThrow(reason);
	});

	it('the Callback Secret appears nowhere n8n stores: not in the trigger\'s saved parameters or answers, not in the Vozo node\'s execution', async () => {
		const trigger = signedTrigger();
		const refused = await trigger.receive({ body: done, query: { lipsync_ref: 'r', lipsync_sig: 'x' } });
		const creation = await runNode({
			nodeType: new Vozo(),
			parameters: {
				operation: 'createAndWait',
				generationMode: 'referenceFile',
				referenceFileType: 'video',
				referenceFileUrl: 'https://media.example.test/face.mp4',
				model: 'standard_v1',
				audioUrl: 'https://media.example.test/voice.mp3',
				options: { callbackUrl: 'https://closed.example.test/webhook/x/callback', pollIntervalSeconds: 0.1 },
			},
			credentials: { vozoApi: vozoCredential() },
			credentialTypes: [new VozoApi()],
		});
		expect(creation.executionStatus).toBe('success');
		const stored = JSON.stringify({ triggerNode: trigger.node, refused, run: creation.run, runData: creation.runData });
		expect(stored).toContain('lipsync_ref');
		expect(stored).not.toContain(SECRET);
	});
});

describe('saved version 1 triggers (Token in URL)', () => {
	it('keep working with their token: a ?token= callback starts the workflow', async () => {
		const trigger = new TriggerUnderTest({ parameters: { vendor: 'vozo', token: 'saved-token-0123456789abc' } });
		await trigger.activate();
		const result = await trigger.receive({ body: done, query: { token: 'saved-token-0123456789abc', lipsync_ref: 'r-legacy' } });
		expect(result.items).toHaveLength(1);
	});

	it('refuse to activate with the example\'s former placeholder token', async () => {
		const trigger = new TriggerUnderTest({ parameters: { vendor: 'vozo', callbackAuth: 'token', token: OLD_EXAMPLE_TOKEN } });
		await expect(trigger.activate()).rejects.toThrow(/placeholder/);
	});
});
