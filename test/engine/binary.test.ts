/**
 * downloadToBinary's own proof that it stored the whole video, apart from what Node's HTTP client
 * already catches (a connection that dies early: test/nodes/pipeline.test.ts). Here the response
 * stream ends cleanly — as it does behind a proxy or a decoder that cut it short — so only the
 * count against Content-Length can tell.
 */
import { Readable } from 'node:stream';
import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { downloadToBinary } from '../../nodes/shared/binary';

/** A context whose download answers with `bytes` bytes and the given headers; the store counts what it reads. */
function downloadContext(bytes: number, headers: IDataObject) {
	const stored: number[] = [];
	const ctx = {
		getExecutionCancelSignal: () => undefined,
		helpers: {
			httpRequest: async () => ({
				statusCode: 200,
				headers,
				body: Readable.from([Buffer.alloc(Math.min(bytes, 1000), 1), Buffer.alloc(Math.max(0, bytes - 1000), 2)]),
			}),
			prepareBinaryData: async (body: Readable, fileName: string, mimeType: string): Promise<IBinaryData> => {
				let count = 0;
				for await (const chunk of body) count += (chunk as Buffer).length;
				stored.push(count);
				return { data: '', fileName, mimeType, bytes: count } as IBinaryData;
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, stored };
}

const limits = { timeoutMs: 10_000, maxBytes: 0 };

describe('downloadToBinary', () => {
	it('a body that ends cleanly after fewer bytes than its Content-Length fails before the store records it: an error naming both counts, never a binary', async () => {
		const { ctx, stored } = downloadContext(600, { 'content-type': 'video/mp4', 'content-length': '1500' });
		const result = await downloadToBinary(ctx, 'https://cdn.example.test/v.mp4', 'v.mp4', 'video/mp4', limits);
		// The stream errors instead of ending, so n8n's store discards what it wrote.
		expect(stored).toEqual([]);
		expect(result).toEqual({ ok: false, statusCode: 200, problem: 'the connection ended after 600 of 1500 bytes — the video is incomplete' });
	});

	it('a body of exactly its Content-Length is stored', async () => {
		const { ctx } = downloadContext(1500, { 'content-type': 'video/mp4', 'content-length': '1500' });
		const result = await downloadToBinary(ctx, 'https://cdn.example.test/v.mp4', 'v.mp4', 'video/mp4', limits);
		expect(result).toMatchObject({ ok: true, binary: { bytes: 1500, mimeType: 'video/mp4' } });
	});

	it('without a Content-Length, a body that ends is taken whole', async () => {
		const { ctx } = downloadContext(1200, { 'content-type': 'video/mp4' });
		const result = await downloadToBinary(ctx, 'https://cdn.example.test/v.mp4', 'v.mp4', 'video/mp4', limits);
		expect(result).toMatchObject({ ok: true, binary: { bytes: 1200 } });
	});

	it('a compressed answer is judged by what it decompressed to, not by its compressed Content-Length', async () => {
		// n8n's client decompresses: the store gets 1500 bytes while Content-Length says 300.
		const { ctx } = downloadContext(1500, { 'content-type': 'video/mp4', 'content-encoding': 'gzip', 'content-length': '300' });
		const result = await downloadToBinary(ctx, 'https://cdn.example.test/v.mp4', 'v.mp4', 'video/mp4', limits);
		expect(result).toMatchObject({ ok: true, binary: { bytes: 1500 } });
	});
});
