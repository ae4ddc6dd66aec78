/** `npm run sandbox`: the sandbox on 127.0.0.1:$SANDBOX_PORT (default 4010); Ctrl-C stops it. */
import { startSandbox, VENDORS } from './index';

async function main(): Promise<void> {
	const port = Number(process.env.SANDBOX_PORT ?? 4010);
	const jobDurationMs = Number(process.env.SANDBOX_JOB_MS ?? 20000);
	const sandbox = await startSandbox({
		port,
		jobDurationMs,
		jitterMs: Math.round(jobDurationMs * 0.2),
		webhookDuplicateProbability: Number(process.env.SANDBOX_DUPLICATE_PROBABILITY ?? 0.05),
	});
	const lines = VENDORS.map((vendor) => `  ${vendor.padEnd(10)} ${sandbox.baseUrl(vendor).padEnd(36)} key: ${sandbox.keys[vendor]}`);
	process.stdout.write(
		[
			`Lip-sync provider sandbox on ${sandbox.url} (jobs take ~${jobDurationMs / 1000} s)`,
			...lines,
			`  big video  ${sandbox.videoUrl(200 * 1024 * 1024)}`,
			`  control    ${sandbox.url}/__sandbox/info  (see test/sandbox/README.md)`,
			'Ctrl-C to stop.',
			'',
		].join('\n'),
	);
	const stop = () => {
		void sandbox.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
