/** Streamed video in and out: a result video into the binary store, JoggAI binary input upload. */
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { binaryFilePath, makeBinaryInputItem } from '../harness';
import { FIXTURE } from '../sandbox';

import { audioFor, jsonOf, runVendor, useNodeSandbox } from './nodeKit';

const sb = useNodeSandbox();

const MB = 1024 * 1024;

describe('download', () => {
	// How much memory a download holds is measured in the benchmark (bench/memory.ts, with gc
	// exposed and the peak RSS reset per case): a jest heap sampler depends on when V8 collects.
	it('streams a 20 MB result video into the filesystem binary store: the stored file is the video, byte for byte', async () => {
		const size = 20 * MB;
		sb.setOptions({ resultVideoBytes: size });
		const result = await runVendor(sb, 'modellix', {
			operation: 'createAndWait',
			inputItems: [{ json: { audio: audioFor(0) } }],
			options: { downloadVideo: true },
		});
		expect(result.error).toBeUndefined();
		const binary = result.output![0][0].binary!.data;
		expect(binary.mimeType).toBe('video/mp4');
		const file = binaryFilePath(binary);
		expect((await stat(file)).size).toBe(size);
		const head = Buffer.alloc(FIXTURE.length);
		const handle = await open(file);
		try {
			await handle.read(head, 0, FIXTURE.length, 0);
		} finally {
			await handle.close();
		}
		expect(head.equals(FIXTURE)).toBe(true);
	});
});

async function bigVideoItem(sizeBytes: number) {
	const dir = await mkdtemp(path.join(tmpdir(), 'lipsync-upload-'));
	const file = path.join(dir, 'presenter.mp4');
	await new Promise<void>((resolve, reject) => {
		const out = createWriteStream(file);
		out.on('error', reject);
		out.write(FIXTURE);
		out.end(Buffer.alloc(sizeBytes - FIXTURE.length), resolve);
	});
	return await makeBinaryInputItem({ audio: audioFor(0) }, { filePath: file, mimeType: 'video/mp4' });
}

describe('JoggAI binary input', () => {
	it("uploads the item's video as a stream with the real JoggAI node", async () => {
		const item = await bigVideoItem(30 * MB);
		const result = await runVendor(sb, 'joggai', {
			operation: 'createAndWait',
			inputItems: [item],
			parameters: { videoSource: 'binary', videoBinaryProperty: 'data' },
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)[0].status).toBe('succeeded');
		const puts = sb.log.entries({ vendor: 'joggai', endpoint: 'upload-put' });
		expect(puts).toHaveLength(1);
		expect(puts[0].statusCode).toBe(200);
		// Streamed with the length from the binary store's metadata, not buffered to measure it.
		expect(puts[0].headers['content-length']).toBe(String(30 * MB));
		const create = sb.log.entries({ vendor: 'joggai', endpoint: 'create' })[0];
		expect(String((create.requestBody as { video_url: string }).video_url)).toContain('/joggai/');
	}, 60_000);

	it('a create refused with 429 ("try later") and re-queued reuses its upload: one upload and one PUT per item, two creates, the second with the same asset URL', async () => {
		sb.setFault('joggai', { kind: 'rateLimit', endpoint: 'create', times: 1, retryAfterSeconds: 1 });
		const item = await bigVideoItem(4 * MB);
		const result = await runVendor(sb, 'joggai', {
			operation: 'createAndWait',
			inputItems: [item],
			parameters: { videoSource: 'binary', videoBinaryProperty: 'data' },
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)[0].status).toBe('succeeded');
		const creates = sb.log.entries({ vendor: 'joggai', endpoint: 'create' });
		expect(creates.map((c) => c.statusCode)).toEqual([429, 200]);
		expect(sb.log.count({ vendor: 'joggai', endpoint: 'upload' })).toBe(1);
		expect(sb.log.count({ vendor: 'joggai', endpoint: 'upload-put' })).toBe(1);
		const videoUrls = creates.map((c) => (c.requestBody as { video_url: string }).video_url);
		expect(videoUrls[1]).toBe(videoUrls[0]);
	}, 60_000);
});
