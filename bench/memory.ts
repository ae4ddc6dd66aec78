/**
 * Measurement 3: peak RSS growth of an n8n(-core) process downloading a large result into binary
 * data, one child process per case (memoryChild.ts says what each mode does):
 *   ours, warm      the number the target is about: memory a download of that size takes in a
 *                   process that has downloaded before (an n8n that has run workflows)
 *   ours, cold      the same as the process's first download (module loading included)
 *   ours, held      warm, with a young-generation gc every 10 ms: what the path really holds
 *   plain Node      node:http → fs stream with no n8n: the floor any Node stream shows
 *   buffered        what buffering nodes do, for comparison
 * plus a 1 MiB download cold and warm, which separates the fixed first-use cost from the part
 * that depends on the file. The streamed cases run `memoryRepeats` times; the table keeps medians.
 */
import { startSandbox } from '../test/sandbox';
import { runChild } from './child';
import { memoryRows } from './memoryRows';
import type { PartContext, Row } from './parts';

export type MemoryMode = 'ours' | 'buffered' | 'plain';

export interface MemoryCase {
	mode: MemoryMode;
	warm: boolean;
	minorGcEveryMs: number;
	size: number;
	bytes: number;
	baseline: number;
	peak: number;
	growth: number;
	ms: number;
}

type CaseSpec = Pick<MemoryCase, 'mode' | 'warm' | 'minorGcEveryMs' | 'size'>;

export const HELD_GC_EVERY_MS = 10;
export const TINY_SIZE = 1024 ** 2;

/** The cases in run order; the streamed ones `repeats` times (interleaved), the rest once. */
function casesFor(sizes: number[], repeats: number): CaseSpec[] {
	const largest = Math.max(...sizes);
	const specs: CaseSpec[] = [];
	for (let run = 0; run < repeats; run++) {
		specs.push({ mode: 'ours', warm: false, minorGcEveryMs: 0, size: TINY_SIZE });
		specs.push({ mode: 'ours', warm: true, minorGcEveryMs: 0, size: TINY_SIZE });
		for (const size of sizes) {
			specs.push({ mode: 'ours', warm: true, minorGcEveryMs: 0, size });
			specs.push({ mode: 'ours', warm: false, minorGcEveryMs: 0, size });
			specs.push({ mode: 'plain', warm: true, minorGcEveryMs: 0, size });
		}
	}
	// Comparisons, once: buffering 1 GiB takes 3 GiB of RAM.
	for (const size of sizes) specs.push({ mode: 'buffered', warm: true, minorGcEveryMs: 0, size });
	specs.push({ mode: 'ours', warm: true, minorGcEveryMs: HELD_GC_EVERY_MS, size: largest });
	return specs;
}

/** A fresh result URL: the sandbox keeps only the newest few tokens, and every Get mints one. */
async function resultUrlOf(baseUrl: string, apiKey: string, jobId: string): Promise<string> {
	const status = await fetch(`${baseUrl}/api/express_lipsync_video/${jobId}`, {
		headers: { authorization: `Bearer ${apiKey}` },
	}).then((res) => res.json() as Promise<{ output: string }>);
	return status.output;
}

async function finishedPersonateJob(baseUrl: string, apiKey: string, finish: (jobId: string) => void) {
	const created = await fetch(`${baseUrl}/api/express_lipsync_video`, {
		method: 'POST',
		headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({
			model: 'v2',
			actor: { use: 'video', video_url: 'https://cdn.example.test/face.mp4' },
			script: { use: 'audio', audio_url: 'https://cdn.example.test/voice.mp3' },
		}),
	}).then((res) => res.json() as Promise<{ job_id: string }>);
	finish(created.job_id);
	return created.job_id;
}

export async function runMemory({ config, log }: PartContext): Promise<Row[]> {
	const sb = await startSandbox({ jobDurationMs: 60_000 });
	const cases: MemoryCase[] = [];
	try {
		const baseUrl = sb.baseUrl('personate');
		const apiKey = sb.keys.personate;
		const jobId = await finishedPersonateJob(baseUrl, apiKey, (id) => sb.jobs.finish('personate', id, 'succeeded'));
		for (const spec of casesFor(config.memorySizes, config.memoryRepeats)) {
			// The child sets the size itself for `ours` (after its warm-up); the others read it from here.
			sb.setOptions({ resultVideoBytes: spec.size });
			const payload = {
				...spec,
				baseUrl,
				apiKey,
				jobId,
				resultUrl: await resultUrlOf(baseUrl, apiKey, jobId),
				warmUrl: sb.videoUrl(1024 ** 2),
				sandboxUrl: sb.url,
			};
			const result = await runChild<MemoryCase>('memoryChild.ts', { BENCH_MEMORY: JSON.stringify(payload) }, 10 * 60_000);
			if (result.bytes !== spec.size) throw new Error(`memory ${spec.mode}: stored ${result.bytes} bytes, expected ${spec.size}`);
			cases.push(result);
			const label = `${spec.mode}${spec.warm ? ' warm' : ' cold'}${spec.minorGcEveryMs ? ` gc/${spec.minorGcEveryMs}ms` : ''}`;
			log(`memory ${label} ${spec.size} B: growth ${(result.growth / 1024 ** 2).toFixed(1)} MiB in ${result.ms} ms`);
		}
	} finally {
		await sb.close();
	}
	return memoryRows(cases);
}
