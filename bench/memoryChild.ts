/**
 * One memory case in its own process (an n8n-core execution, see ../test/harness): downloads a
 * sandbox result into n8n binary data (filesystem mode) and prints the peak RSS growth as JSON.
 *   mode `ours`:     our Personate node, Get with Download Video (streamed)
 *   mode `buffered`: what other nodes do, httpRequest(encoding 'arraybuffer') → prepareBinaryData(buffer)
 * Run with --expose-gc. Input through BENCH_MEMORY (JSON); peak from /proc/self/status VmHWM,
 * reset through /proc/self/clear_refs right before the download.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { IBinaryData, IExecuteFunctions, INodeType } from 'n8n-workflow';

import { binaryFilePath, runNode } from '../test/harness';
import { disposeN8nRuntime } from '../test/harness/runtime';
import { outputOf, runVendorNode } from './nodeRun';

interface MemoryInput {
	mode: 'ours' | 'buffered';
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

/** Runs the download and returns the size of the stored binary file (checked against the result). */
async function download(url: string): Promise<number> {
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
	// Warm-up: the same download of a 1 MiB file first, so every module of the download path is
	// loaded and the baseline is a warm process (as an n8n that has run workflows before).
	if (input.mode === 'buffered') await download(input.warmUrl);
	else {
		await setResultSize(1024 ** 2);
		await download('');
		await setResultSize(input.size);
	}
	global.gc?.();
	writeFileSync('/proc/self/clear_refs', '5'); // resets VmHWM to the current RSS
	const baseline = statusKb('VmRSS');
	const started = Date.now();
	const bytes = await download(input.mode === 'buffered' ? input.resultUrl : '');
	const peak = statusKb('VmHWM');
	await disposeN8nRuntime();
	process.stdout.write(`${JSON.stringify({ mode: input.mode, size: input.size, bytes, baseline, peak, growth: peak - baseline, ms: Date.now() - started })}\n`);
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`${(error as Error).stack ?? error}\n`);
		process.exit(1);
	},
);
