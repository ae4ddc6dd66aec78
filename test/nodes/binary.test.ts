/** Streamed video in and out: a 200 MB result with bounded memory, JoggAI binary input upload. */
import { createWriteStream } from 'node:fs';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { binaryFilePath, makeBinaryInputItem } from '../harness';
import { FIXTURE, startSandbox, type Sandbox } from '../sandbox';

import { audioFor, jsonOf, runVendor } from './nodeKit';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 300, jitterMs: 0 });
});
afterEach(() => sb.reset());
afterAll(async () => await sb.close());

const MB = 1024 * 1024;

describe('download', () => {
	it('streams a 200 MB result video into binary data without holding it in memory', async () => {
		const size = 200 * MB;
		sb.setOptions({ resultVideoBytes: size });
		global.gc?.();
		// JS heap plus Buffers/ArrayBuffers: where a buffered download would show up. A buffered
		// 200 MB video would add at least 200 MB here.
		const used = () => {
			const m = process.memoryUsage();
			return m.heapUsed + m.external;
		};
		const baseline = used();
		let peak = baseline;
		const sampler = setInterval(() => {
			peak = Math.max(peak, used());
		}, 5);
		try {
			const result = await runVendor(sb, 'modellix', {
				operation: 'createAndWait',
				inputItems: [{ json: { audio: audioFor(0) } }],
				options: { downloadVideo: true },
			});
			expect(result.error).toBeUndefined();
			const binary = result.output![0][0].binary!.data;
			expect(binary.mimeType).toBe('video/mp4');
			expect((await stat(binaryFilePath(binary))).size).toBe(size);
		} finally {
			clearInterval(sampler);
		}
		expect(peak - baseline).toBeLessThan(100 * MB);
	}, 60_000);
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
});
