/**
 * Measurement 3: peak RSS growth of an n8n(-core) process downloading a large result into binary
 * data, ours (streamed) next to a buffering download, one child process per case.
 */
import { startSandbox } from '../test/sandbox';
import { runChild } from './child';
import type { BenchConfig } from './config';

export interface MemoryCase {
	mode: 'ours' | 'buffered';
	size: number;
	bytes: number;
	baseline: number;
	peak: number;
	growth: number;
	ms: number;
}

export async function runMemory(config: BenchConfig, log: (line: string) => void): Promise<MemoryCase[]> {
	const sb = await startSandbox({ jobDurationMs: 60_000 });
	const cases: MemoryCase[] = [];
	try {
		for (const size of config.memorySizes) {
			sb.setOptions({ resultVideoBytes: size });
			const baseUrl = sb.baseUrl('personate');
			const apiKey = sb.keys.personate;
			const created = await fetch(`${baseUrl}/api/express_lipsync_video`, {
				method: 'POST',
				headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					model: 'v2',
					actor: { use: 'video', video_url: 'https://cdn.example.test/face.mp4' },
					script: { use: 'audio', audio_url: 'https://cdn.example.test/voice.mp3' },
				}),
			}).then((res) => res.json() as Promise<{ job_id: string }>);
			sb.jobs.finish('personate', created.job_id, 'succeeded');
			const status = await fetch(`${baseUrl}/api/express_lipsync_video/${created.job_id}`, {
				headers: { authorization: `Bearer ${apiKey}` },
			}).then((res) => res.json() as Promise<{ output: string }>);
			for (const mode of ['ours', 'buffered'] as const) {
				const payload = {
					mode,
					baseUrl,
					apiKey,
					jobId: created.job_id,
					resultUrl: status.output,
					warmUrl: sb.videoUrl(1024 ** 2),
					sandboxUrl: sb.url,
					size,
				};
				const result = await runChild<MemoryCase>('memoryChild.ts', { BENCH_MEMORY: JSON.stringify(payload) }, 10 * 60_000);
				if (result.bytes !== size) throw new Error(`memory ${mode}: stored ${result.bytes} bytes, expected ${size}`);
				cases.push(result);
				log(`memory ${mode} ${size} B: growth ${(result.growth / 1024 ** 2).toFixed(1)} MB in ${result.ms} ms`);
			}
		}
	} finally {
		await sb.close();
	}
	return cases;
}
