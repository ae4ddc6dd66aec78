/** The measurements that need a real n8n 2.41 (test/e2e/harness): one instance for both. */
import { packPackage, startN8n } from '../test/e2e/harness';
import { startSandbox } from '../test/sandbox';
import type { BenchConfig } from './config';
import { runN8nLoop, type LoopRun } from './n8nLoop';
import { runTrigger, type TriggerResults } from './trigger';

export interface RealN8nResults {
	loop: LoopRun[];
	trigger: TriggerResults;
}

export async function runRealN8n(config: BenchConfig, log: (line: string) => void): Promise<RealN8nResults> {
	log('real n8n: packing the package and starting n8n…');
	const tarball = await packPackage();
	// JoggAI only registers public https URLs; requests still go straight to n8n's local port.
	const start = () => startN8n({ packageTarball: tarball, webhookUrl: 'https://n8n.example.test/' });
	// One retry: on a shared machine a freshly picked port can be taken before n8n binds it.
	const n8n = await start().catch((error: Error) => {
		log(`n8n did not start (${error.message.split('\n')[0]}); retrying once`);
		return start();
	});
	const sb = await startSandbox({ jobDurationMs: config.jobMs });
	try {
		const loop = await runN8nLoop(n8n, config, log);
		const trigger = await runTrigger(n8n, sb, config, log);
		return { loop, trigger };
	} finally {
		await sb.close();
		await n8n.stop();
	}
}
