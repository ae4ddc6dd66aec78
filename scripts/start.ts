/**
 * `npm start`: a local demo. Builds and packs the package, installs it into an isolated n8n
 * (user folder .tmp/demo/n8n, kept between runs), starts the provider sandbox, creates
 * credentials pointing at it and the Data Tables the examples use, imports examples/*.json and
 * starts n8n on 127.0.0.1.
 * Ctrl-C stops everything. Ports: N8N_PORT (default 5678), SANDBOX_PORT (default 4010),
 * SANDBOX_JOB_MS (default 20000).
 *
 * The nodes refuse callback URLs a vendor could not reach (localhost), as they must for real
 * vendors. So n8n presents itself under a public-looking address (DEMO_PUBLIC_URL) in its
 * webhook and resume URLs, and the sandbox delivers what it sends to that host to n8n's local
 * port: Vozo callbacks and JoggAI webhooks work in the demo as they do in production.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { freePort, packPackage, REPO_ROOT, startN8n, type N8nInstance } from '../test/e2e/harness';
import { startSandbox, VENDORS, type Sandbox } from '../test/sandbox';
import { ensureExampleTables, fillDemoInputs } from '../test/e2e/support/exampleTables';
import { adapterOf, hasCallbackSecret } from '../test/registry/registeredNodes';

const DEMO_DIR = join(REPO_ROOT, '.tmp', 'demo');
/** Never resolves on the internet (.test is reserved); only the sandbox delivers to it. */
const DEMO_PUBLIC_URL = 'https://lipsync-demo.example.test';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** The owner login of the demo instance: created once, kept with the demo folder. */
function demoOwner() {
	const file = join(DEMO_DIR, 'owner.json');
	if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
	const owner = {
		email: 'demo@example.com',
		// n8n wants 8-64 characters with a digit and an uppercase letter.
		password: `Demo-${randomBytes(6).toString('hex')}-1`,
		firstName: 'Demo',
		lastName: 'User',
	};
	writeFileSync(file, JSON.stringify(owner, null, 2), { mode: 0o600 });
	return owner;
}

/** `preferred` when it is free (stable URLs between runs), else any free port. */
async function portOr(preferred: number): Promise<number> {
	const free = await new Promise<boolean>((resolve) => {
		const server = createServer().once('error', () => resolve(false));
		server.listen(preferred, '127.0.0.1', () => server.close(() => resolve(true)));
	});
	if (free) return preferred;
	const other = await freePort();
	say(`port ${preferred} is busy, using ${other}`);
	return other;
}

/** One credential per vendor pointing at the sandbox; updated in place on later runs. */
async function upsertCredentials(n8n: N8nInstance, sandbox: Sandbox) {
	const existing = (await n8n.api<{ data: Array<{ id: string; name: string; type: string }> }>('GET', '/credentials')).data;
	const byType: Record<string, { id: string; name: string }> = {};
	for (const vendor of VENDORS) {
		const { displayName, credentialName: type } = adapterOf(vendor);
		const name = `${displayName} (sandbox)`;
		// The Lip Sync Trigger example (Vozo) needs a Callback Secret: a fresh random one per start.
		const callbackSecret = hasCallbackSecret(vendor) ? { callbackSecret: randomBytes(32).toString('hex') } : {};
		const data = { apiKey: sandbox.keys[vendor], baseUrl: sandbox.baseUrl(vendor), ...callbackSecret };
		const found = existing.find((c) => c.name === name && c.type === type);
		if (found) {
			await n8n.api('PATCH', `/credentials/${found.id}`, { name, type, data });
			byType[type] = { id: found.id, name };
		} else {
			const [created] = await n8n.importCredentials([{ name, type, data }]);
			byType[type] = { id: created.id, name };
		}
	}
	return byType;
}

/** examples/*.json not yet in the instance (by name), wired to the sandbox credentials. */
async function importExamples(n8n: N8nInstance, credentials: Record<string, { id: string; name: string }>, sandbox: Sandbox) {
	const dir = join(REPO_ROOT, 'examples');
	if (!existsSync(dir)) return [];
	const present = new Set(
		(await n8n.api<{ data: Array<{ name: string }> }>('GET', '/workflows?limit=250')).data.map((w) => w.name),
	);
	const imported: string[] = [];
	for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
		const workflow = fillDemoInputs(JSON.parse(readFileSync(join(dir, file), 'utf8')), sandbox);
		if (present.has(workflow.name)) continue;
		for (const node of workflow.nodes ?? []) {
			for (const type of Object.keys(node.credentials ?? {})) {
				if (credentials[type]) node.credentials[type] = credentials[type];
			}
		}
		try {
			await n8n.importWorkflow(workflow);
			imported.push(workflow.name);
		} catch (error) {
			say(`could not import examples/${file}: ${(error as Error).message}`);
		}
	}
	return imported;
}

async function main() {
	mkdirSync(DEMO_DIR, { recursive: true });
	say('building and packing n8n-nodes-lipsync ...');
	const packageTarball = await packPackage();

	const jobDurationMs = Number(process.env.SANDBOX_JOB_MS ?? 20_000);
	const sandbox = await startSandbox({
		port: await portOr(Number(process.env.SANDBOX_PORT ?? 4010)),
		jobDurationMs,
		jitterMs: Math.round(jobDurationMs * 0.2),
	});
	let n8n: N8nInstance | undefined;
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		say('\nstopping n8n and the sandbox ...');
		await n8n?.stop();
		await sandbox.close();
		process.exit(code);
	};
	process.once('SIGINT', () => void stop(0));
	process.once('SIGTERM', () => void stop(0));

	say('starting n8n (the first start creates its database; it takes a while) ...');
	const owner = demoOwner();
	n8n = await startN8n({
		packageTarball,
		userFolder: join(DEMO_DIR, 'n8n'),
		port: await portOr(Number(process.env.N8N_PORT ?? 5678)),
		owner,
		webhookUrl: `${DEMO_PUBLIC_URL}/`,
	});
	sandbox.setOptions({ webhookHostRewrite: { [DEMO_PUBLIC_URL]: n8n.webhookBase } });
	const credentials = await upsertCredentials(n8n, sandbox);
	const tables = await ensureExampleTables(n8n);
	const imported = await importExamples(n8n, credentials, sandbox);

	say(
		[
			'',
			`n8n         ${n8n.url}`,
			`login       ${owner.email} / ${owner.password}`,
			`sandbox     ${sandbox.url} (jobs take ~${Math.round(jobDurationMs / 1000)} s; credentials "<Vendor> (sandbox)")`,
			`examples    ${imported.length ? `imported: ${imported.join(', ')}` : 'nothing new to import'}`,
			`data tables ${tables.created.length ? `created: ${tables.created.join(', ')} (rows with status "pending")` : 'already there'}`,
			`callbacks   n8n's webhook and resume URLs read ${DEMO_PUBLIC_URL}; the sandbox delivers them to n8n`,
			`binary      links to binary files (e.g. "Lip sync: text to speech → Vozo") read ${DEMO_PUBLIC_URL} too; the sandbox fetches them from n8n`,
			`logs        ${join(n8n.dir, 'main.log')}`,
			'Ctrl-C stops n8n and the sandbox.',
		].join('\n'),
	);
	const main = n8n.processes.find((p) => p.name === 'main');
	const code = await main?.exited;
	if (!stopping) {
		say(`n8n exited unexpectedly (${code}); see ${main?.logFile}`);
		await stop(1);
	}
}

main().catch((error) => {
	process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
