import { runCommand } from './processes';

/** What `n8n execute --id=<id> --rawOutput` reports about one run. */
export interface CliRun {
	exitCode: number | null;
	/** n8n's IRun: `status`, `data.resultData.{runData,error,lastNodeExecuted}`, ... */
	run: any;
	/** The workflow's error, when the run failed. */
	error?: { message: string; description?: string; node?: { name: string }; [key: string]: unknown };
	/** The JSON of the items the node named `nodeName` produced on `outputIndex` (last run). */
	output(nodeName: string, outputIndex?: number): Array<Record<string, any>>;
	/** Everything the process printed. */
	log: string;
}

/**
 * The run data of `n8n execute`: with N8N_LOG_FORMAT=json it is printed as the `message` of a
 * log line, itself JSON (on failure n8n logs it the same way before the error).
 */
export function parseExecuteOutput(exitCode: number | null, stdout: string, stderr: string): CliRun {
	let run: any;
	for (const line of stdout.split('\n')) {
		if (!line.startsWith('{')) continue;
		try {
			const entry = JSON.parse(line) as { message?: unknown };
			if (typeof entry.message === 'string' && entry.message.startsWith('{')) run = JSON.parse(entry.message);
		} catch {
			// A line of something else that happens to start with "{": not the run data.
		}
	}
	const log = `${stdout}\n${stderr}`;
	if (!run?.data?.resultData) {
		throw new Error(`n8n execute printed no run data (exit code ${exitCode}):\n${log.slice(-6000)}`);
	}
	return {
		exitCode,
		run,
		error: run.data.resultData.error,
		log,
		output(nodeName, outputIndex = 0) {
			const runs = run.data.resultData.runData[nodeName] as any[] | undefined;
			if (!runs?.length) {
				throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`);
			}
			const items = (runs[runs.length - 1].data?.main?.[outputIndex] ?? []) as Array<{ json: Record<string, any> }>;
			return items.map((item) => item.json);
		},
	};
}

export async function executeWorkflowCli(
	n8nBin: string,
	workflowId: string,
	options: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs: number },
): Promise<CliRun> {
	const result = await runCommand(n8nBin, ['execute', `--id=${workflowId}`, '--rawOutput'], options);
	return parseExecuteOutput(result.code, result.stdout, result.stderr);
}
