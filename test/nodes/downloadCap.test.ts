/**
 * Max Download Size holds whatever the headers say: the bytes are counted while they stream, the
 * download stops as soon as the count passes the cap, and a refused or broken download leaves
 * nothing in n8n's binary data store (the harness runs n8n-core's BinaryDataService in
 * filesystem mode; its folder is listed before and after each run).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

import { ensureN8nRuntime } from '../harness';
import { type Fault } from '../sandbox';
import { audioItems, runVendor, useNodeSandbox } from './nodeKit';

const sb = useNodeSandbox();

const MB = 1024 * 1024;

/** Every file under the binary data folder (temporary files included), relative to it. */
async function storedFiles(): Promise<string[]> {
	const { binaryDataDir } = await ensureN8nRuntime();
	const entries = await readdir(binaryDataDir, { recursive: true, withFileTypes: true }).catch(() => []);
	return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(binaryDataDir, path.join(entry.parentPath, entry.name)));
}

async function downloadWith(fault: Fault | null, videoBytes: number, options: Record<string, unknown>) {
	sb.setOptions({ resultVideoBytes: videoBytes });
	sb.setFault('modellix', fault);
	const before = await storedFiles();
	const result = await runVendor(sb, 'modellix', {
		operation: 'createAndWait',
		inputItems: audioItems(1),
		options: { downloadVideo: true, ...options },
	});
	expect(result.error).toBeUndefined();
	const [item] = result.output![0];
	const newFiles = (await storedFiles()).filter((file) => !before.includes(file));
	const [download] = sb.log.entries({ vendor: 'modellix', endpoint: 'download' });
	return { item, newFiles, download };
}

const messageOf = (json: { error?: unknown }) => String(json.error ?? '');

describe('Max Download Size when no header tells the size', () => {
	it('a 64 MB chunked answer without Content-Length, cap 1 MB: stopped after a few MB, an error row with the job and its URL, no file left in the binary store', async () => {
		const { item, newFiles, download } = await downloadWith({ kind: 'unannounced', endpoint: 'download' }, 64 * MB, { maxDownloadSizeMb: 1 });
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({ status: 'succeeded', jobId: expect.any(String), videoUrl: expect.any(String) });
		expect(messageOf(item.json)).toMatch(/more than Max Download Size \(1\.0 MB\)/);
		expect(messageOf(item.json)).toContain('its URL is in the output');
		// The reader stopped at the cap: the sandbox never got to hand over most of the file.
		expect(download.bodyBytesSent).toBeLessThan(16 * MB);
		expect(newFiles).toEqual([]);
	});

	it('a gzip answer whose compressed bytes are far below the cap but whose video is 24 MB, cap 1 MB: an error row, no file left in the binary store', async () => {
		const { item, newFiles, download } = await downloadWith({ kind: 'unannounced', gzip: true, endpoint: 'download' }, 24 * MB, { maxDownloadSizeMb: 1 });
		// Zeros compress about a thousandfold: the whole compressed answer is smaller than the cap.
		expect(download.bodyBytesSent).toBeLessThan(1 * MB);
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({ status: 'succeeded', videoUrl: expect.any(String) });
		expect(messageOf(item.json)).toMatch(/more than Max Download Size \(1\.0 MB\)/);
		expect(newFiles).toEqual([]);
	});

	it('a chunked answer under the cap is stored whole (the count stops nothing it should not)', async () => {
		const { item, newFiles } = await downloadWith({ kind: 'unannounced', endpoint: 'download' }, 2 * MB, { maxDownloadSizeMb: 3 });
		expect(messageOf(item.json)).toBe('');
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', bytes: 2 * MB });
		expect(newFiles.filter((file) => !file.endsWith('.metadata'))).toHaveLength(1);
	});
});

describe('a download that breaks leaves nothing in the binary store', () => {
	it.each<[string, Fault]>([
		['fewer bytes than Content-Length announced', { kind: 'shortBody', bytes: 3 * MB, endpoint: 'download' }],
		['a chunked answer whose connection dies mid-file', { kind: 'shortBody', chunked: true, endpoint: 'download' }],
	])('%s: an error row, no file (not even a partial one) left in the binary store', async (_name, fault) => {
		const { item, newFiles } = await downloadWith(fault, 8 * MB, {});
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({ status: 'succeeded', videoUrl: expect.any(String) });
		expect(messageOf(item.json)).toMatch(/connection (broke|ended)/);
		expect(newFiles).toEqual([]);
	});
});
