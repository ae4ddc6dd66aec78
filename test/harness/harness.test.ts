/**
 * Proves the harness runs nodes through n8n-core's real machinery: generic credential auth,
 * expressions, Retry On Fail with getContext('node'), On Error, streamed binary out and in,
 * cancellation (signal and in-flight HTTP), put-to-wait and workflow issues. The test-only nodes
 * are in testNodes.ts; the vendor stand-in is a node:http server on 127.0.0.1 (testServer.ts).
 */
import { createHash } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { INodeType } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	binaryFilePath,
	ensureN8nRuntime,
	makeBinaryInputItem,
	readBinary,
	runNode,
} from './index';
import {
	API_KEY,
	authNode,
	binaryNode,
	describeNode,
	flakyNode,
	HarnessTestApi,
	plainGetNode,
	sleeperNode,
	waitingNode,
	whenSleeperStarts,
} from './testNodes';
import { startTestServer, type TestServer } from './testServer';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => await server.close());

describe('credentials and expressions', () => {
	test('generic authenticate puts the resolved credential (with its defaults) on the request', async () => {
		const result = await runNode({
			nodeType: authNode,
			parameters: { url: `={{ "${server.url}/echo/" + $json.user }}` },
			credentials: { harnessTestApi: { apiKey: API_KEY } },
			credentialTypes: [new HarnessTestApi()],
			inputItems: [{ json: { user: 'ada' } }, { json: { user: 'bob' } }],
		});
		expect(result.error).toBeUndefined();
		expect(result.executionStatus).toBe('success');
		const echoes = result.output![0].map((item) => item.json);
		expect(echoes.map((e) => e.path)).toEqual(['/echo/ada?client=n8n', '/echo/bob?client=n8n']);
		expect(echoes[0].headers).toMatchObject({ 'x-api-key': API_KEY, 'x-region': 'eu' });
		expect(result.output![0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('an HTTP error becomes a NodeApiError without the API key in it', async () => {
		const result = await runNode({
			nodeType: authNode,
			parameters: { url: `${server.url}/status/401` },
			credentials: { harnessTestApi: { apiKey: API_KEY } },
			credentialTypes: [new HarnessTestApi()],
		});
		expect(result.executionStatus).toBe('error');
		expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode: '401' });
		expect(JSON.stringify(result.error)).not.toContain(API_KEY);
	});

	test('a missing credential type fails loudly instead of sending an unauthenticated request', async () => {
		const result = await runNode({
			nodeType: authNode,
			parameters: { url: `${server.url}/echo/x` },
			credentials: { harnessTestApi: { apiKey: API_KEY } },
		});
		expect(result.error?.message).toMatch(/credentialTypes/);
	});
});

describe('node settings run by WorkflowExecute', () => {
	test('Retry On Fail re-runs the node and getContext("node") persists across tries', async () => {
		const result = await runNode({
			nodeType: flakyNode,
			retryOnFail: true,
			maxTries: 3,
			waitBetweenTries: 10,
		});
		expect(result.error).toBeUndefined();
		expect(result.output![0][0].json).toEqual({ tries: 3 });
	});

	test('without Retry On Fail the first failure ends the execution', async () => {
		const result = await runNode({ nodeType: flakyNode });
		expect(result.executionStatus).toBe('error');
		expect(result.error).toMatchObject({ name: 'NodeOperationError', message: 'try 1 failed' });
	});

	test('On Error: Continue reaches the node through continueOnFail()', async () => {
		const result = await runNode({ nodeType: flakyNode, continueOnFail: true });
		expect(result.executionStatus).toBe('success');
		expect(result.output![0][0].json).toEqual({ error: 'handled' });
	});

	test('a node that throws under On Error: Continue passes its input on, and n8n records the error', async () => {
		const result = await runNode({
			nodeType: authNode,
			parameters: { url: `${server.url}/status/500` },
			credentials: { harnessTestApi: { apiKey: API_KEY } },
			credentialTypes: [new HarnessTestApi()],
			inputItems: [{ json: { job: 'a' } }],
			continueOnFail: true,
		});
		expect(result.output![0].map((item) => item.json)).toEqual([{ job: 'a' }]);
		expect(result.runData.authCall[0].executionStatus).toBe('error');
		// WorkflowExecute keeps the last node's error: the run as a whole reports 'error'.
		expect(result.executionStatus).toBe('error');
		expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode: '500' });
	});

	test('a missing required parameter is refused before the node runs', async () => {
		const strict: INodeType = {
			...sleeperNode,
			description: describeNode('strict', {
				properties: [
					{ displayName: 'Model', name: 'model', type: 'string', default: '', required: true },
				],
			}),
		};
		const result = await runNode({ nodeType: strict });
		expect(result.error?.name).toBe('WorkflowHasIssuesError');
		expect(result.runData).toEqual({});
	});
});

describe('binary data in filesystem mode', () => {
	test('a streamed response lands on disk through prepareBinaryData', async () => {
		const result = await runNode({
			nodeType: binaryNode,
			parameters: { url: `${server.url}/video?bytes=3000000` },
		});
		expect(result.error).toBeUndefined();
		const item = result.output![0][0];
		const binary = item.binary!.data;
		expect(item.json.bodyIsStream).toBe(true);
		expect(binary).toMatchObject({ mimeType: 'video/mp4', fileName: 'clip.mp4', bytes: 3_000_000 });
		expect(binary.id).toMatch(/^filesystem-v2:/);
		expect(statSync(binaryFilePath(binary)).size).toBe(3_000_000);
		expect((await readBinary(binary)).equals(server.videoBytes(3_000_000))).toBe(true);
	});

	test('binary input from a file and from a buffer reaches getBinaryStream/getBinaryMetadata', async () => {
		// The harness's temporary n8n folder is removed after the file's tests.
		const filePath = path.join((await ensureN8nRuntime()).userFolder, 'face.mp4');
		const fileBytes = Buffer.alloc(200_000, 7);
		writeFileSync(filePath, fileBytes);
		const audio = Buffer.from('RIFF....WAVE');
		const result = await runNode({
			nodeType: binaryNode,
			parameters: { url: `${server.url}/video?bytes=10` },
			inputItems: [
				await makeBinaryInputItem({ n: 1 }, { filePath, mimeType: 'video/mp4' }),
				await makeBinaryInputItem(
					{ n: 2 },
					{ buffer: audio, mimeType: 'audio/wav', fileName: 'voice.wav' },
				),
			],
		});
		expect(result.error).toBeUndefined();
		const [first, second] = result.output![0].map((item) => item.json);
		expect(first.inputSha256).toBe(createHash('sha256').update(fileBytes).digest('hex'));
		expect(first.inputMeta).toMatchObject({
			fileName: 'face.mp4',
			mimeType: 'video/mp4',
			fileSize: 200_000,
		});
		expect(second.inputSha256).toBe(createHash('sha256').update(audio).digest('hex'));
		expect(second.inputMeta).toMatchObject({ fileName: 'voice.wav', mimeType: 'audio/wav' });
	});
});

describe('stopping and waiting', () => {
	test('aborting the test signal cancels the execution and reaches getExecutionCancelSignal()', async () => {
		const controller = new AbortController();
		void whenSleeperStarts().then(() => controller.abort());
		// The node sleeps until it sees the abort (or 10 s): `sawAbort` says which ended it.
		const result = await runNode({ nodeType: sleeperNode, abortSignal: controller.signal });
		expect(result.executionStatus).toBe('canceled');
		expect(result.runData.sleeper[0].data?.main[0]?.[0].json).toEqual({ sawAbort: true });
	});

	test('a stop aborts an in-flight httpRequestWithAuthentication (n8n passes the signal)', async () => {
		const controller = new AbortController();
		const hang = server.expectHangingRequest();
		void hang.arrived.then(() => controller.abort());
		const result = await runNode({
			nodeType: authNode,
			parameters: { url: `${server.url}/hang` },
			credentials: { harnessTestApi: { apiKey: API_KEY } },
			credentialTypes: [new HarnessTestApi()],
			abortSignal: controller.signal,
		});
		await hang.closed;
		expect(result.executionStatus).toBe('canceled');
		expect(result.error).toMatchObject({ name: 'NodeApiError', message: 'canceled' });
	}, 10_000);

	test('plain httpRequest is aborted only when the node passes getExecutionCancelSignal()', async () => {
		const controller = new AbortController();
		const hang = server.expectHangingRequest();
		void hang.arrived.then(() => controller.abort());
		const result = await runNode({
			nodeType: plainGetNode,
			parameters: { url: `${server.url}/hang`, passSignal: true },
			abortSignal: controller.signal,
		});
		await hang.closed;
		expect(result.executionStatus).toBe('canceled');
	}, 10_000);

	test('plain httpRequest without the signal runs on after a stop (n8n behaviour)', async () => {
		const controller = new AbortController();
		const hang = server.expectHangingRequest();
		let stillOpenAfterStop = false;
		void hang.arrived.then(async () => {
			controller.abort();
			await sleep(300);
			stillOpenAfterStop = !hang.isClosed();
			hang.release();
		});
		const result = await runNode({
			nodeType: plainGetNode,
			parameters: { url: `${server.url}/hang` },
			abortSignal: controller.signal,
		});
		expect(stillOpenAfterStop).toBe(true);
		expect(result.executionStatus).toBe('canceled');
		expect(result.output![0][0].json).toEqual({ body: { released: true } });
	}, 10_000);

	test('putExecutionToWait returns waitTill and the resume URL the node saw', async () => {
		const result = await runNode({ nodeType: waitingNode, inputItems: [{ json: { job: 'a' } }] });
		expect(result.executionStatus).toBe('waiting');
		expect(result.waitTill).toEqual(new Date('2100-01-01T00:00:00Z'));
		expect(result.output![0][0].json).toEqual({ job: 'a', resumeUrl: result.resumeUrl });
		expect(result.resumeUrl).toMatch(/\/webhook-waiting\/\d+\?signature=[0-9a-f]+$/);
	});
});
