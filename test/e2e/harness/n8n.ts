import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeWorkflowCli, type CliRun } from './cliExecute';
import { N8nClient, N8nHttpError, type HttpMethod, type OwnerLogin } from './client';
import { n8nEnv } from './n8nEnv';
import { ensureN8nInstalled, node24Env } from './paths';
import { freePort } from './ports';
import { runCommand, spawnLogged, tail, type ManagedProcess } from './processes';
import { startRedis } from './redis';
import { sleep, waitFor, waitForHttpOk } from './wait';

export interface StartN8nOptions {
	/** The packed package (packPackage()); installed into the user folder the way users do. */
	packageTarball?: string;
	/** Main + worker + webhook processes on a private redis (n8n's scaling mode). */
	queueMode?: boolean;
	/** Queue mode: how many `n8n worker` processes (default 1; named worker, worker2, …). */
	workers?: number;
	/**
	 * Public base URL n8n puts into webhook/resume URLs (e.g. https://n8n.example.test/). Default:
	 * the local URL that serves webhooks. Requests still go to `webhookBase`.
	 */
	webhookUrl?: string;
	/** Extra environment for every n8n process. */
	env?: Record<string, string>;
	/** An existing folder to use (and keep) as N8N_USER_FOLDER; default: a fresh temp folder. */
	userFolder?: string;
	/** Port for the main process; default: a free one. */
	port?: number;
	owner?: OwnerLogin;
	startTimeoutMs?: number;
}

export interface N8nInstance {
	/** Editor/REST/public API base, e.g. http://127.0.0.1:5678 (no trailing slash). */
	url: string;
	/** Where webhook calls go locally (the webhook process in queue mode), no trailing slash. */
	webhookBase: string;
	apiKey: string;
	cookie: string;
	owner: OwnerLogin;
	dir: string;
	env: NodeJS.ProcessEnv;
	processes: ManagedProcess[];
	rest<T = any>(method: HttpMethod, path: string, body?: unknown): Promise<T>;
	api<T = any>(method: HttpMethod, path: string, body?: unknown): Promise<T>;
	/** Node or credential types as the editor sees them. */
	types(kind: 'nodes' | 'credentials'): Promise<Array<{ name: string; displayName: string; [key: string]: any }>>;
	/** Creates credentials through the public API; `id` is kept when given. */
	importCredentials(credentials: CredentialInput[]): Promise<Array<{ id: string; name: string; type: string }>>;
	/** Creates a workflow through the public API; returns it with its new id. */
	importWorkflow(workflow: WorkflowInput): Promise<{ id: string; [key: string]: any }>;
	/** Publishes (activates) a workflow: its triggers and webhooks go live. */
	publish(workflowId: string): Promise<void>;
	/** Calls a production webhook (`webhook/<webhookId>/<path>`), retrying the 404 n8n answers right after publishing. */
	webhook(path: string, init?: RequestInit): Promise<Response>;
	/** `n8n execute --id=<id> --rawOutput` in a separate process (regular mode, own broker port). */
	execute(workflowId: string, options?: { timeoutMs?: number }): Promise<CliRun>;
	/** GET /api/v1/executions with the given query; returns `data`. */
	executions(query?: Record<string, string | number | boolean>): Promise<any[]>;
	waitForExecution(options: WaitForExecutionOptions): Promise<any>;
	/** The log of a process: 'main', 'worker', 'webhook', 'redis-server'. */
	log(name?: string): string;
	stop(): Promise<void>;
}

export interface CredentialInput {
	id?: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowInput {
	name: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	staticData?: unknown;
	[key: string]: unknown;
}

export interface WaitForExecutionOptions {
	workflowId: string;
	/** Statuses that count as done; default every finished one. */
	status?: string[];
	/** Only executions with a larger id (i.e. started later) count. */
	newerThan?: string;
	timeoutMs?: number;
}

const FINISHED = ['success', 'error', 'crashed', 'canceled'];

export const DEFAULT_OWNER: OwnerLogin = {
	email: 'e2e@example.com',
	password: 'E2e-password-1',
	firstName: 'E2E',
	lastName: 'Owner',
};

function testFailed(): boolean {
	return (globalThis as { __lipsyncE2eFailed?: boolean }).__lipsyncE2eFailed === true;
}

function printLogs(processes: ManagedProcess[], dir: string, why: string) {
	const parts = processes.map((p) => `--- ${p.name}: ${p.logFile} (last lines) ---\n${tail(p.log(), 60)}`);
	process.stderr.write(`\n[e2e] ${why}; n8n folder kept at ${dir}\n${parts.join('\n')}\n`);
}

/** Installs the packed package into `<userFolder>/.n8n/nodes` with npm, as n8n users do. */
async function installPackage(userFolder: string, tarball: string, dir: string) {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	// Without a package.json here npm would install into the nearest ancestor project, which
	// for a user folder inside this repository is the repository itself. n8n writes the same file.
	const manifest = join(nodesDir, 'package.json');
	if (!existsSync(manifest)) writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
	const args = ['install', '--prefix', nodesDir, '--omit=peer', '--no-audit', '--no-fund', tarball];
	const result = await runCommand('npm', args, {
		cwd: nodesDir,
		env: node24Env(),
		timeoutMs: 120_000,
	});
	if (result.code !== 0) {
		throw new Error(`npm install ${tarball} in ${nodesDir} failed (${dir}):\n${result.stdout}\n${result.stderr}`);
	}
}

/** Starts an isolated real n8n (docs/n8n.md, "Running a real n8n") with the package installed. */
export async function startN8n(options: StartN8nOptions = {}): Promise<N8nInstance> {
	const n8nBin = ensureN8nInstalled();
	const keepDir = options.userFolder !== undefined || process.env.E2E_KEEP === '1';
	const dir = options.userFolder ?? mkdtempSync(join(tmpdir(), 'lipsync-n8n-'));
	mkdirSync(dir, { recursive: true });
	const startTimeoutMs = options.startTimeoutMs ?? 180_000;
	const owner = options.owner ?? DEFAULT_OWNER;
	const processes: ManagedProcess[] = [];

	const stopAll = async () => {
		// Reverse start order: webhook/worker before main, redis last.
		for (const proc of [...processes].reverse()) await proc.stop();
	};

	try {
		if (options.packageTarball) await installPackage(dir, options.packageTarball, dir);
		const port = options.port ?? (await freePort());
		const url = `http://127.0.0.1:${port}`;
		const redis = options.queueMode ? await startRedis(dir) : undefined;
		if (redis) processes.push(redis.process);
		const webhookPort = options.queueMode ? await freePort() : port;
		const webhookBase = `http://127.0.0.1:${webhookPort}`;
		const envFor = async (extra: Record<string, string> = {}) =>
			n8nEnv({
				userFolder: dir,
				port,
				brokerPort: await freePort(),
				webhookUrl: options.webhookUrl ?? `${webhookBase}/`,
				queue: redis ? { redisPort: redis.port } : undefined,
				extra: { ...options.env, ...extra },
			});
		const start = async (name: string, args: string[], readinessUrl: string, extra?: Record<string, string>) => {
			const proc = spawnLogged(name, n8nBin, args, { cwd: dir, env: await envFor(extra), logFile: join(dir, `${name}.log`) });
			processes.push(proc);
			await waitForHttpOk(readinessUrl, { timeoutMs: startTimeoutMs, process: proc });
			return proc;
		};

		const env = await envFor();
		const main = spawnLogged('main', n8nBin, ['start'], { cwd: dir, env, logFile: join(dir, 'main.log') });
		processes.push(main);
		await waitForHttpOk(`${url}/healthz/readiness`, { timeoutMs: startTimeoutMs, process: main });
		if (options.queueMode) {
			// After main: it has run the database migrations the others rely on.
			const workers = Array.from({ length: options.workers ?? 1 }, async (_, i) => {
				const healthPort = await freePort();
				return await start(i === 0 ? 'worker' : `worker${i + 1}`, ['worker', '--concurrency=5'], `http://127.0.0.1:${healthPort}/healthz/readiness`, {
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				});
			});
			await Promise.all([...workers, start('webhook', ['webhook'], `${webhookBase}/healthz/readiness`, { N8N_PORT: String(webhookPort) })]);
		}

		const client = new N8nClient(url);
		try {
			await client.setUpOwner(owner);
		} catch (error) {
			// A kept user folder already has its owner.
			if (!(error instanceof N8nHttpError && error.status === 400)) throw error;
			await client.logIn(owner);
		}
		await client.createApiKey(`e2e-${Date.now()}`);

		const instance: N8nInstance = {
			url,
			webhookBase,
			apiKey: client.apiKey,
			cookie: client.cookie,
			owner,
			dir,
			env,
			processes,
			rest: (method, path, body) => client.rest(method, path, body),
			api: (method, path, body) => client.api(method, path, body),
			types: (kind) => client.types(kind),
			async importCredentials(credentials) {
				const created = [];
				for (const { id, name, type, data } of credentials) {
					const body = id === undefined ? { name, type, data } : { id, name, type, data };
					const cred = await client.api<{ id: string; name: string; type: string }>('POST', '/credentials', body);
					created.push({ id: cred.id, name: cred.name, type: cred.type });
				}
				return created;
			},
			async importWorkflow(workflow) {
				const { name, nodes, connections, settings, staticData } = workflow;
				return await client.api('POST', '/workflows', {
					name,
					nodes,
					connections,
					settings: settings ?? { executionOrder: 'v1' },
					...(staticData ? { staticData } : {}),
				});
			},
			async publish(workflowId) {
				await client.api('POST', `/workflows/${workflowId}/activate`, {});
			},
			async webhook(path, init) {
				const target = `${webhookBase}/${path.replace(/^\//, '')}`;
				for (let attempt = 0; ; attempt++) {
					const res = await fetch(target, { ...init, signal: init?.signal ?? AbortSignal.timeout(120_000) });
					if (res.status !== 404 || attempt >= 10) return res;
					await res.arrayBuffer();
					await sleep(500);
				}
			},
			async execute(workflowId, executeOptions = {}) {
				return await executeWorkflowCli(n8nBin, workflowId, {
					env: await envFor(),
					cwd: dir,
					timeoutMs: executeOptions.timeoutMs ?? 180_000,
				});
			},
			async executions(query = {}) {
				const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
				return (await client.api<{ data: any[] }>('GET', `/executions?${qs}`)).data;
			},
			async waitForExecution({ workflowId, status = FINISHED, newerThan, timeoutMs = 120_000 }) {
				const found = await waitFor(
					`an execution of workflow ${workflowId} with status ${status.join('/')}`,
					async () => {
						const list = await instance.executions({ workflowId, limit: 50 });
						return list.find(
							(e) => status.includes(e.status) && (newerThan === undefined || Number(e.id) > Number(newerThan)),
						);
					},
					{ timeoutMs, intervalMs: 500, process: main },
				);
				return await client.api('GET', `/executions/${found.id}?includeData=true`);
			},
			log: (name = 'main') => processes.find((p) => p.name === name)?.log() ?? '',
			async stop() {
				const failed = testFailed();
				if (failed) printLogs(processes, dir, 'a test failed');
				await stopAll();
				if (!failed && !keepDir) rmSync(dir, { recursive: true, force: true });
			},
		};
		return instance;
	} catch (error) {
		printLogs(processes, dir, `n8n did not start: ${(error as Error).message.split('\n')[0]}`);
		await stopAll();
		throw error;
	}
}
