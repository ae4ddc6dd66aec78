/**
 * downloadToBinary against the sandbox over real HTTP, with the two ways n8n's binary store
 * consumes a stream: piped to a file (filesystem mode) or read with 'data' events into memory
 * (database / default mode, as n8n's streamToBuffer does).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, stat } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { downloadToBinary } from '../../nodes/shared/binary';
import { startSandbox, type Sandbox } from '../sandbox';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 100, jitterMs: 0 });
});
afterEach(() => sb.reset());
afterAll(async () => await sb.close());

type Store = (stream: Readable) => Promise<number>;

/** n8n's database mode: 'data' events into memory, rejected if the stream closes before 'end'. */
const intoMemory: Store = async (stream) =>
	await new Promise<number>((resolve, reject) => {
		let bytes = 0;
		let ended = false;
		stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
		stream.once('end', () => ((ended = true), resolve(bytes)));
		stream.once('error', reject);
		stream.once('close', () => ended || reject(new Error('Stream closed before completing')));
	});

/** n8n's filesystem mode: piped into a file. */
const intoFile: Store = async (stream) => {
	const file = path.join(await mkdtemp(path.join(tmpdir(), 'lipsync-dl-')), 'video.mp4');
	await pipeline(stream, createWriteStream(file));
	return (await stat(file)).size;
};

function contextStoring(store: Store): IExecuteFunctions {
	return {
		getNode: () => ({ name: 'Download' }),
		getExecutionCancelSignal: () => undefined,
		helpers: {
			// n8n's request helper hands over Node's response stream, as node:http gives it.
			httpRequest: async (options: { url: string; abortSignal?: AbortSignal }) =>
				await new Promise((resolve, reject) => {
					get(options.url, { signal: options.abortSignal }, (res) =>
						resolve({ statusCode: res.statusCode, headers: res.headers, body: res }),
					).on('error', reject);
				}),
			// Like n8n, it does some work of its own before it reads the stream.
			prepareBinaryData: async (stream: Readable, fileName: string, mimeType: string): Promise<IBinaryData> => {
				await new Promise((resolve) => setImmediate(resolve));
				const bytes = await store(stream);
				return { data: '', fileName, mimeType, bytes } as IBinaryData;
			},
		},
	} as unknown as IExecuteFunctions;
}

const limits = { timeoutMs: 10_000, maxBytes: 0 };

describe.each<[string, Store]>([
	['read with data events (database mode)', intoMemory],
	['piped to a file (filesystem mode)', intoFile],
])('a download %s', (_mode, store) => {
	it('gets every byte of a 5 MB video', async () => {
		const size = 5 * 1024 * 1024;
		const result = await downloadToBinary(contextStoring(store), `${sb.url}/files/video.mp4?size=${size}`, 'v.mp4', 'video/mp4', limits);
		expect(result).toMatchObject({ ok: true, binary: { bytes: size, mimeType: 'video/mp4' } });
	});

	it('stops a chunked 16 MB answer at Max Download Size 1 MB: the store gets an error (records nothing) and the sender is cut off', async () => {
		sb.setFault('files', { kind: 'unannounced' });
		const size = 16 * 1024 * 1024;
		const result = await downloadToBinary(contextStoring(store), `${sb.url}/files/video.mp4?size=${size}`, 'v.mp4', 'video/mp4', { ...limits, maxBytes: 1024 * 1024 });
		expect(result).toEqual({ ok: false, statusCode: 200, problem: expect.stringMatching(/^the video is more than Max Download Size \(1\.0 MB\): the download stopped after 1\.\d MB$/) });
		const [served] = sb.log.entries({ endpoint: 'download' });
		expect(served.bodyBytesSent).toBeLessThan(size / 2);
	});

	it('is a problem, never a binary, when the connection dies before Content-Length is reached', async () => {
		sb.setFault('files', { kind: 'shortBody', bytes: 100_000 });
		const result = await downloadToBinary(contextStoring(store), `${sb.url}/files/video.mp4?size=${1024 * 1024}`, 'v.mp4', 'video/mp4', limits);
		expect(result.ok).toBe(false);
		expect('problem' in result && result.problem).toMatch(/connection (broke|ended)/);
	});
});
