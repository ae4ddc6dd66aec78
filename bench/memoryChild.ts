/**
 * One memory case in its own process (an n8n-core execution, see ../test/harness): downloads a
 * sandbox result into n8n binary data (filesystem mode) and prints the peak RSS growth as JSON.
 *   mode `ours`:     our Personate node, Get with Download Video (streamed)
 *   mode `buffered`: what other nodes do, httpRequest(encoding 'arraybuffer') → prepareBinaryData(buffer)
 *   mode `plain`:    no n8n at all, node:http → fs.createWriteStream (what any Node stream costs)
 * `warm`: a 1 MiB download through the same path first (an n8n that has run workflows before);
 * otherwise the measured download is the process's first. `minorGcEveryMs`: a young-generation
 * collection that often during the download, which frees dead chunks at once and so leaves
 * only what the path really holds. Run with --expose-gc. Input through BENCH_MEMORY (JSON); peak
 * from /proc/self/status VmHWM, reset through /proc/self/clear_refs right before the download.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { IBinaryData, IExecuteFunctions, INodeType } from 'n8n-workflow';

import { binaryFilePath, runNode } from '../test/harness';
import { disposeN8nRuntime } from '../test/harness/runtime';
import { requireGc } from './child';
import { outputOf, runVendorNode } from './nodeRun';

interface MemoryInput {
	mode: 'ours' | 'buffered' | 'plain';
	warm: boolean;
	minorGcEveryMs: number;
	baseUrl: string;
	apiKey: string;
	jobId: string;
	resultUrl: string;
	warmUrl: string;
	/** The sandbox's own URL, for its control API. */
	sandboxUrl: string;
	size: number;
}

const input = JSON.parse(process.env.BENCH_MEMORY ?? '{}') as MemoryInput;

const statusKb = (field: 'VmHWM' | 'VmRSS'): number => {
	const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
	if (!match) throw new Error(`no ${field} in /proc/self/status`);
	return Number(match[1]) * 1024;
};

/** A minimal node doing the buffered download most media nodes do. */
const bufferingNode: INodeType = {
	description: {
		displayName: 'Buffered Download',
		name: 'bufferedDownload',
		group: ['transform'],
		version: 1,
		description: 'Downloads a URL into memory, then into binary data',
		defaults: { name: 'Buffered Download' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	},
	async execute(this: IExecuteFunctions) {
		const url = String(this.getInputData()[0].json.url);
		const body = (await this.helpers.httpRequest({ url, encoding: 'arraybuffer', json: false })) as ArrayBuffer;
		const data = await this.helpers.prepareBinaryData(Buffer.from(body), 'video.mp4', 'video/mp4');
		return [[{ json: {}, binary: { data }, pairedItem: { item: 0 } }]];
	},
};

const plainDir = mkdtempSync(join(tmpdir(), 'bench-plain-'));

/** Runs the download and returns the size of the stored binary file (checked against the result). */
async function download(url: string): Promise<number> {
	if (input.mode === 'plain') {
		const file = join(plainDir, `video-${Date.now()}.mp4`);
		await new Promise<void>((resolve, reject) => {
			get(url, (res) => pipeline(res, createWriteStream(file)).then(resolve, reject)).on('error', reject);
		});
		const size = statSync(file).size;
		rmSync(file);
		return size;
	}
	const result =
		input.mode === 'buffered'
			? await runNode({ nodeType: bufferingNode, inputItems: [{ json: { url } }], mode: 'trigger' })
			: await runVendorNode('personate', { baseUrl: input.baseUrl, apiKey: input.apiKey }, 'get', [{ json: {} }], {
					downloadVideo: true,
				}, undefined, { jobId: input.jobId });
	outputOf(result, `${input.mode} download`);
	const binary = result.output?.[0]?.[0]?.binary?.data as IBinaryData | undefined;
	if (!binary) throw new Error(`${input.mode} download produced no binary`);
	return statSync(binaryFilePath(binary)).size;
}

async function setResultSize(bytes: number) {
	const res = await fetch(`${input.sandboxUrl}/__sandbox/options`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ resultVideoBytes: bytes }),
	});
	if (!res.ok) throw new Error(`sandbox options: HTTP ${res.status}`);
	await res.arrayBuffer();
}

async function main() {
	const gc = requireGc();
	const viaNode = input.mode === 'ours';
	if (input.warm) {
		// The same download of a 1 MiB file first: every module of the path is loaded and the
		// baseline is a warm process.
		if (viaNode) await setResultSize(1024 ** 2);
		await download(viaNode ? '' : input.warmUrl);
	}
	if (viaNode) await setResultSize(input.size);
	gc();
	writeFileSync('/proc/self/clear_refs', '5'); // resets VmHWM to the current RSS
	const baseline = statusKb('VmRSS');
	const started = Date.now();
	const minorGc = () => (gc as (options: { type: 'minor' }) => void)({ type: 'minor' });
	const collector = input.minorGcEveryMs > 0 ? setInterval(minorGc, input.minorGcEveryMs) : undefined;
	const bytes = await download(viaNode ? '' : input.resultUrl);
	if (collector) clearInterval(collector);
	const peak = statusKb('VmHWM');
	if (input.mode !== 'plain') await disposeN8nRuntime();
	rmSync(plainDir, { recursive: true, force: true });
	const { mode, warm, minorGcEveryMs, size } = input;
	process.stdout.write(`${JSON.stringify({ mode, warm, minorGcEveryMs, size, bytes, baseline, peak, growth: peak - baseline, ms: Date.now() - started })}\n`);
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`${(error as Error).stack ?? error}\n`);
		process.exit(1);
	},
);
