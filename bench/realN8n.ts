/**
 * The real n8n 2.41 the bench parts share (test/e2e/harness, our packed tarball installed as users
 * install it): one regular-mode instance, started on first use and reused by every part, plus
 * helpers to read what it ran (executions, wall times, the main process's CPU and memory).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

import { packPackage, startN8n, type N8nInstance, type StartN8nOptions } from '../test/e2e/harness';
import type { Sandbox, Vendor } from '../test/sandbox';
import { CREDENTIAL_TYPES, type CredentialRefs } from '../test/e2e/support/lipsync';
import { sleep, until } from './stats';

/** JoggAI registers public https URLs only; requests still go straight to n8n's local port. */
export const PUBLIC_BASE = 'https://n8n.example.test';

/**
 * n8n's expression engine builds a V8 isolate only when an expression is evaluated, instead of one
 * per webhook call and per execution (docs/n8n.md, "Trigger under bursts").
 */
export const LAZY_ACQUIRE_ENV = { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' };

export async function startBenchN8n(options: Omit<StartN8nOptions, 'packageTarball'>, log: (line: string) => void): Promise<N8nInstance> {
	const tarball = await packPackage();
	const start = () => startN8n({ packageTarball: tarball, webhookUrl: `${PUBLIC_BASE}/`, ...options });
	// One retry: on a shared machine a freshly picked port can be taken before n8n binds it.
	return await start().catch((error: Error) => {
		log(`n8n did not start (${error.message.split('\n')[0]}); retrying once`);
		return start();
	});
}

/** One lazily started instance; a failed start is tried again by the next caller. */
class LazyN8n {
	private starting?: Promise<N8nInstance>;

	constructor(
		private readonly what: string,
		private readonly options: Omit<StartN8nOptions, 'packageTarball'>,
		private readonly log: (line: string) => void,
		private readonly packed: () => Promise<unknown>,
	) {}

	get(): Promise<N8nInstance> {
		if (!this.starting) {
			this.log(`real n8n: starting ${this.what}…`);
			this.starting = this.packed().then(() => startBenchN8n(this.options, this.log));
			this.starting.catch(() => (this.starting = undefined));
		}
		return this.starting;
	}

	async stop(): Promise<void> {
		const running = this.starting;
		this.starting = undefined;
		if (running) await (await running.catch(() => undefined))?.stop();
	}
}

/**
 * The regular-mode instance most parts share, and the one started with the legacy expression
 * engine for the trigger comparison. Both can be started ahead (`prestart`): an idle n8n costs
 * next to no CPU, and booting two at once saves a minute of the quick run.
 */
export class RealN8n {
	private readonly regular: LazyN8n;
	private readonly legacyEngine: LazyN8n;
	private readonly lazyAcquireEngine: LazyN8n;
	private packing?: Promise<string>;

	constructor(log: (line: string) => void) {
		// One pack for both: on a fresh clone two concurrent packs would each build the package.
		const packed = () => {
			this.packing ??= packPackage();
			this.packing.catch(() => (this.packing = undefined));
			return this.packing;
		};
		this.regular = new LazyN8n('n8n (regular mode)', {}, log, packed);
		this.legacyEngine = new LazyN8n('n8n with N8N_EXPRESSION_ENGINE=legacy', { env: { N8N_EXPRESSION_ENGINE: 'legacy' } }, log, packed);
		this.lazyAcquireEngine = new LazyN8n('n8n with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', { env: LAZY_ACQUIRE_ENV }, log, packed);
	}

	instance(): Promise<N8nInstance> {
		return this.regular.get();
	}

	legacy(): Promise<N8nInstance> {
		return this.legacyEngine.get();
	}

	/** The settings README recommends for the Lip Sync Trigger under bursts (the isolate only when an expression runs). */
	lazyAcquire(): Promise<N8nInstance> {
		return this.lazyAcquireEngine.get();
	}

	stopLazyAcquire(): Promise<void> {
		return this.lazyAcquireEngine.stop();
	}

	/** Starts them in the background; a failure surfaces in the part that uses the instance. */
	prestart(regular: boolean, legacy: boolean, lazyAcquire = false): void {
		if (regular) this.instance().catch(() => undefined);
		if (legacy) this.legacy().catch(() => undefined);
		if (lazyAcquire) this.lazyAcquire().catch(() => undefined);
	}

	stopLegacy(): Promise<void> {
		return this.legacyEngine.stop();
	}

	async stop(): Promise<void> {
		await Promise.all([this.regular.stop(), this.legacyEngine.stop(), this.lazyAcquireEngine.stop()]);
	}
}

let credentialCount = 0;

/** A credential of `vendor` pointing at this sandbox (its own name: parts never share one). */
export async function sandboxCredential(n8n: N8nInstance, sb: Sandbox, vendor: Vendor, key = sb.keys[vendor], extra: Record<string, unknown> = {}): Promise<CredentialRefs> {
	const type = CREDENTIAL_TYPES[vendor];
	const [created] = await n8n.importCredentials([
		{ name: `bench ${vendor} ${++credentialCount}`, type, data: { apiKey: key, baseUrl: sb.baseUrl(vendor), ...extra } },
	]);
	return { [type]: { id: created.id, name: created.name } };
}

export const FINISHED = ['success', 'error', 'crashed', 'canceled'];

/** The newest execution id of a workflow ('0' when none), to tell later ones apart. */
export async function latestId(n8n: N8nInstance, workflowId: string): Promise<string> {
	const list = await n8n.executions({ workflowId, limit: 1 });
	return String(list[0]?.id ?? '0');
}

/** Waits until `count` executions newer than `after` have finished; returns them with their data. */
export async function finishedExecutions(n8n: N8nInstance, workflowId: string, after: string, count: number, timeoutMs: number): Promise<any[]> {
	const list = await until(
		`${count} finished execution(s) of workflow ${workflowId}`,
		async () => {
			const newer = (await n8n.executions({ workflowId, limit: 100 })).filter((e) => Number(e.id) > Number(after));
			return newer.length >= count && newer.every((e) => FINISHED.includes(e.status)) ? newer : undefined;
		},
		timeoutMs,
		1_000,
	);
	const full = [];
	for (const e of list!) full.push(await n8n.api<any>('GET', `/executions/${e.id}?includeData=true`));
	return full;
}

/** n8n's own record of an execution's run time (startedAt → stoppedAt), ms. */
export const wallMs = (execution: { startedAt: string; stoppedAt: string }): number =>
	Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt);

/** The items a node output on its first output in its last run. */
export function outputItems(execution: any, node: string): Array<{ json: Record<string, any> }> {
	const runs = execution?.data?.resultData?.runData?.[node];
	if (!runs?.length) throw new Error(`node "${node}" did not run (execution ${execution?.id}, status ${execution?.status})`);
	return runs[runs.length - 1].data?.main?.[0] ?? [];
}

export const mainPid = (n8n: N8nInstance, name = 'main'): number => {
	const pid = n8n.processes.find((p) => p.name === name)?.child.pid;
	if (pid === undefined) throw new Error(`no pid for the n8n ${name} process`);
	return pid;
};

/** CPU seconds used so far by a process and its direct children (n8n's task runner). */
export function processTreeCpuSeconds(rootPid: number): number {
	const ticksPerSecond = 100;
	let total = 0;
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		let stat: string;
		try {
			stat = readFileSync(`/proc/${name}/stat`, 'utf8');
		} catch {
			continue; // the process ended while we listed them
		}
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(name) === rootPid || Number(fields[1]) === rootPid) total += (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
	}
	return total;
}

/** VmRSS or VmHWM (peak since the last reset) of a process, bytes. */
export function memoryOf(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
	return Number(match[1]) * 1024;
}

/** Resets a process's peak RSS (VmHWM) to its current RSS. */
export function resetPeak(pid: number): void {
	writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

export { sleep };
