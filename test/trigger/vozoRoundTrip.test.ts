/**
 * The Vozo pairing end to end through real HTTP: the Vozo node (through n8n-core) creates a job
 * with the trigger's URL as its Callback URL, the sandbox POSTs Vozo's status callbacks to that
 * URL, and the trigger starts the workflow once, with the reference the Vozo node output.
 */
import type { IDataObject } from 'n8n-workflow';

import { VozoApi } from '../../credentials/VozoApi.credentials';
import { Vozo } from '../../nodes/Vozo/Vozo.node';
import { runNode } from '../harness';
import { startSandbox } from '../sandbox';
import { TriggerUnderTest } from './triggerHarness';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: { vozo: 300 }, jitterMs: 0 });
});
afterAll(async () => await sb.close());

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
	const start = Date.now();
	while (!check()) {
		if (Date.now() - start > timeoutMs) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

it('starts once, on the final callback, with the Vozo node\'s callbackReference', async () => {
	const TOKEN = 'round-trip-token';
	const trigger = new TriggerUnderTest({ parameters: { vendor: 'vozo', token: TOKEN } });
	const server = await trigger.listen();
	try {
		const callbackUrl = `${server.url}/webhook/b3f4c1d2/callback?token=${TOKEN}`;
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
			credentials: { vozoApi: { apiKey: sb.keys.vozo, baseUrl: sb.baseUrl('vozo') } },
			credentialTypes: [new VozoApi()],
		});
		expect(created.error).toBeUndefined();
		const job = created.output![0][0].json as IDataObject;
		expect(job.callbackReference).toEqual(expect.any(String));

		await until(() => sb.deliveries.list().some((d) => (d.body as IDataObject)?.status === 'done'));
		const callbacks = sb.deliveries.list().filter((d) => d.kind === 'vozo-callback');
		expect(callbacks.length).toBeGreaterThanOrEqual(2); // processing, then done
		expect(callbacks.every((d) => d.statusCode === 200)).toBe(true);

		expect(server.started).toHaveLength(1);
		expect(server.started[0]).toMatchObject({
			provider: 'vozo',
			status: 'succeeded',
			providerStatus: 'done',
			callbackReference: job.callbackReference,
			videoUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/vozo\/results\//),
		});
	} finally {
		await server.close();
	}
});
