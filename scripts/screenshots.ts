/**
 * `npm run screenshots`: the README's images (docs/*.png), taken from the real n8n editor with
 * this package installed from its packed tarball, the way users install it. Headless Chromium
 * (Debian's /usr/bin/chromium, or CHROMIUM_PATH) is driven by playwright-core; n8n is the
 * pinned 2.41.1 started by the e2e harness in a throw-away user folder.
 *
 * The workflows are the shipped examples (examples/*.json), so the pictures show what users
 * import. Their credentials point at the provider sandbox: the Data Table pipeline runs once
 * (as `npm start` sets it up, test/e2e/support/examples.ts) so its table can be shown after a run.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { packPackage, REPO_ROOT, startN8n, type N8nInstance, type WorkflowInput } from '../test/e2e/harness';
import { ensureExampleTables, findTable, PIPELINE_TABLE, tableRows } from '../test/e2e/support/exampleTables';
import { runFromTrigger } from '../test/e2e/support/examples';
import { startSandbox, VENDORS, type Sandbox, type Vendor } from '../test/sandbox';
import { adapterOf } from '../test/registry/registeredNodes';
import { vendorFiles } from '../test/registry/vendorFiles';

/** The little DOM the in-page callbacks touch (the project's tsconfig has no DOM lib). */
declare const document: {
	querySelectorAll(selector: string): ArrayLike<{ complete: boolean; naturalWidth: number }>;
	activeElement: { blur?: () => void } | null;
};

const DOCS_DIR = join(REPO_ROOT, 'docs');
const VIEWPORT = { width: 1440, height: 900 };
const MAX_PNG_BYTES = 400_000;
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];
/** Both our flows side by side: Lip Sync Trigger (Vozo callbacks) and Manual → Set → Vozo. */
const CANVAS_EXAMPLE = 'lipsync-trigger-vozo.json';
/** Its Vozo node is a Create and Wait with every field filled in. */
const PARAMETERS_EXAMPLE = 'vozo-create-and-wait.json';
/** Schedule → Data Table → JoggAI → Data Table: run once, then its table is shown. */
const PIPELINE_EXAMPLE = 'datatable-pipeline-joggai.json';
/** The Lip Sync node over every vendor: its fields, a credential per vendor. */
const LIP_SYNC_EXAMPLE = 'datatable-pipeline-lipsync.json';
const LIP_SYNC_TYPE = 'n8n-nodes-lipsync.lipSync';
const VENDOR_OF_CREDENTIAL: Record<string, Vendor> = Object.fromEntries(VENDORS.map((vendor) => [adapterOf(vendor).credentialName, vendor]));
/** What a user types to find the nodes. */
const NODE_SEARCH = 'lip sync';
const VENDOR_NODE_TYPES = VENDORS.map((vendor) => vendorFiles(adapterOf(vendor)).nodeType);

const startedAt = Date.now();
const say = (line: string) => process.stdout.write(`[${((Date.now() - startedAt) / 1000).toFixed(1)} s] ${line}\n`);

interface ExampleWorkflow extends WorkflowInput {
	nodes: Array<{ name: string; type: string; credentials?: Record<string, { id: string; name: string }> }>;
}

function loadExample(file: string): ExampleWorkflow {
	const path = join(REPO_ROOT, 'examples', file);
	if (!existsSync(path)) throw new Error(`examples/${file} is missing: the screenshots are taken from it`);
	return JSON.parse(readFileSync(path, 'utf8'));
}

/** The credentials the examples point at (same ids and names), pointing at the sandbox. */
async function createReferencedCredentials(n8n: N8nInstance, workflows: ExampleWorkflow[], sandbox: Sandbox) {
	const wanted = new Map<string, { id: string; name: string; type: string }>();
	for (const node of workflows.flatMap((w) => w.nodes)) {
		for (const [type, { id, name }] of Object.entries(node.credentials ?? {})) wanted.set(id, { id, name, type });
	}
	await n8n.importCredentials(
		[...wanted.values()].map((c) => {
			const vendor = VENDOR_OF_CREDENTIAL[c.type];
			return { ...c, data: { apiKey: sandbox.keys[vendor], baseUrl: sandbox.baseUrl(vendor) } };
		}),
	);
}

/** Display names of the package's node types, as the editor lists them. */
async function ourNodeNames(n8n: N8nInstance): Promise<string[]> {
	const types = await n8n.types('nodes');
	// usableAsTool adds "<Node> Tool" variants, which the node panel lists under AI tools only.
	const ours = types.filter((t) => t.name.startsWith('n8n-nodes-lipsync.') && !t.name.endsWith('Tool'));
	return [...new Set(ours.map((t) => t.displayName))];
}

async function logIn(page: Page, n8n: N8nInstance) {
	await page.goto(`${n8n.url}/signin`);
	await page.locator('[data-test-id="emailOrLdapLoginId"] input').fill(n8n.owner.email);
	await page.locator('[data-test-id="password"] input').fill(n8n.owner.password);
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
}

async function openWorkflow(page: Page, n8n: N8nInstance, workflowId: string) {
	await page.goto(`${n8n.url}/workflow/${workflowId}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
	await waitForImages(page, '[data-test-id="canvas-node"] img');
	// The canvas fits the view after the nodes appear; let that settle.
	await page.waitForTimeout(800);
}

/** Node icons are <img>s served by n8n: a picture taken before they load shows empty boxes. */
async function waitForImages(page: Page, selector: string) {
	await page.waitForFunction(
		(sel) => {
			const images = Array.from(document.querySelectorAll(sel));
			return images.length > 0 && images.every((img) => img.complete && img.naturalWidth > 0);
		},
		selector,
		{ timeout: 30_000 },
	);
}

/**
 * Toasts and first-run dialogs must not cover the picture. An error toast means the editor
 * could not do something (load a node type, say): the picture would lie, so it is an error.
 */
async function clearOverlays(page: Page) {
	const toasts = page.locator('.el-notification');
	for (const toast of await toasts.all()) {
		if (!(await toast.isVisible())) continue;
		const text = (await toast.innerText()).replace(/\s+/g, ' ').trim();
		if ((await toast.locator('.el-notification__icon.el-icon-error, .is-error').count()) > 0 || /error|problem/i.test(text)) {
			throw new Error(`the editor shows an error toast: ${text}`);
		}
		say(`closing a toast: ${text}`);
		await toast.locator('.el-notification__closeBtn').click();
	}
	// Any modal but the node details view (which the parameters picture is about).
	const dialogs = page.locator('.el-overlay:visible [role="dialog"]').filter({ hasNot: page.locator('[data-test-id="ndv"]') });
	for (const dialog of await dialogs.all()) {
		say(`closing a dialog: ${(await dialog.innerText()).slice(0, 80).replace(/\s+/g, ' ')}`);
		await page.keyboard.press('Escape');
	}
	// No hover or focus highlight on whatever was clicked last.
	await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height / 2);
	await page.evaluate(() => document.activeElement?.blur?.());
	await page.waitForTimeout(300);
}

async function save(page: Page, name: string) {
	await clearOverlays(page);
	const path = join(DOCS_DIR, name);
	await page.screenshot({ path });
	const bytes = statSync(path).size;
	if (bytes >= MAX_PNG_BYTES) throw new Error(`${name} is ${bytes} bytes, over the ${MAX_PNG_BYTES} limit`);
	say(`wrote ${relative(REPO_ROOT, path)} (${Math.round(bytes / 1024)} KB)`);
}

async function shootCanvas(page: Page, n8n: N8nInstance, workflowId: string, file: string) {
	await openWorkflow(page, n8n, workflowId);
	// One step out of "fit view" keeps the lowest node clear of the floating Execute button.
	await page.locator('[data-test-id="zoom-out-button"]').click();
	await page.waitForTimeout(600);
	await save(page, file);
}

/** The pipeline's Data Table in n8n's table view, after one run wrote every row back. */
async function shootDataTable(page: Page, n8n: N8nInstance) {
	const table = (await findTable(n8n, PIPELINE_TABLE.name)) as { id: string; projectId?: string } | undefined;
	if (!table?.projectId) throw new Error(`the data table "${PIPELINE_TABLE.name}" (with its project) was not found`);
	await page.goto(`${n8n.url}/projects/${table.projectId}/datatables/${table.id}`);
	await page.locator('[data-test-id="data-table-grid"]').waitFor({ timeout: 60_000 });
	await page.getByText('succeeded', { exact: true }).first().waitFor({ timeout: 30_000 });
	await page.waitForTimeout(800);
	await save(page, 'pipeline-data-table.png');
}

/**
 * The node panel matches a search against display names and codex aliases only: a node is
 * listed for "lip sync" only when its *.node.json has an alias containing those words.
 */
async function shootNodeSearch(page: Page, ourNodes: string[]) {
	await page.locator('[data-test-id="node-creator-plus-button"]').click();
	const search = page.locator('[data-test-id="node-creator-search-bar"]');
	await search.waitFor();
	await search.pressSequentially(NODE_SEARCH, { delay: 30 });
	await page.locator('[data-test-id="node-creator-node-item"]').first().waitFor();
	const found = await page.locator('[data-test-id="node-creator-item-name"]').allInnerTexts();
	say(`node search "${NODE_SEARCH}" lists: ${found.join(', ')}`);
	const missing = ourNodes.filter((name) => !found.includes(name));
	if (missing.length === ourNodes.length) throw new Error(`node search "${NODE_SEARCH}" lists none of our nodes`);
	if (missing.length) say(`warning: "${NODE_SEARCH}" does not list ${missing.join(', ')} (no matching codex alias)`);
	await waitForImages(page, '[data-test-id="node-creator-node-item"] img');
	await page.waitForTimeout(400);
	await save(page, 'node-search.png');
	await page.keyboard.press('Escape');
}

async function shootVozoParameters(page: Page, n8n: N8nInstance, workflowId: string, nodeName: string) {
	await openWorkflow(page, n8n, workflowId);
	await page.locator('[data-test-id="canvas-node"]', { hasText: nodeName }).dblclick();
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.waitFor();
	await ndv.getByText('Audio URL', { exact: true }).waitFor();
	await page.waitForTimeout(600);
	await save(page, 'vozo-parameters.png');
}

/**
 * The Lip Sync node as the example saves it (a credential per vendor, each labelled with it),
 * then the same node without its Vozo credential: optional, so n8n does not flag it (the node
 * refuses a Vozo row itself, before anything is sent).
 */
async function shootLipSyncParameters(page: Page, n8n: N8nInstance, example: ExampleWorkflow) {
	const node = example.nodes.find((n) => n.type === LIP_SYNC_TYPE);
	if (!node) throw new Error(`examples/${LIP_SYNC_EXAMPLE} has no ${LIP_SYNC_TYPE} node`);
	const open = async (workflowId: string) => {
		await openWorkflow(page, n8n, workflowId);
		await page.locator('[data-test-id="canvas-node"]', { hasText: node.name }).dblclick();
		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.waitFor();
		await ndv.getByText('Face Source').first().waitFor();
		await page.waitForTimeout(800);
	};
	await open((await n8n.importWorkflow(example)).id);
	await save(page, 'lipsync-parameters.png');
	const { vozoApi: _vozo, ...others } = node.credentials ?? {};
	const withoutVozo = { ...example, id: `${String(example.id).slice(0, -1)}2`, name: `${example.name} (no Vozo credential)`, nodes: example.nodes.map((n) => (n === node ? { ...n, credentials: others } : n)) };
	await open((await n8n.importWorkflow(withoutVozo)).id);
	await save(page, 'lipsync-missing-credential.png');
}

async function main() {
	mkdirSync(DOCS_DIR, { recursive: true });
	const canvasExample = loadExample(CANVAS_EXAMPLE);
	const parametersExample = loadExample(PARAMETERS_EXAMPLE);
	const pipelineExample = loadExample(PIPELINE_EXAMPLE);
	const lipSyncExample = loadExample(LIP_SYNC_EXAMPLE);
	const vozoNode = parametersExample.nodes.find((node) => VENDOR_NODE_TYPES.includes(node.type));
	if (!vozoNode) throw new Error(`examples/${PARAMETERS_EXAMPLE} has no vendor node`);

	say('building and packing the package ...');
	const packageTarball = await packPackage();
	say('starting the provider sandbox and n8n 2.41.1 with the package installed ...');
	const sandbox = await startSandbox({ jobDurationMs: 1_000, jitterMs: 0 });
	const n8n = await startN8n({ packageTarball });
	let browser: Browser | undefined;
	try {
		await createReferencedCredentials(n8n, [canvasExample, parametersExample, pipelineExample, lipSyncExample], sandbox);
		const canvasWorkflow = await n8n.importWorkflow(canvasExample);
		const parametersWorkflow = await n8n.importWorkflow(parametersExample);
		await ensureExampleTables(n8n, [PIPELINE_TABLE]);
		const pipelineWorkflow = await n8n.importWorkflow(pipelineExample);
		const run = await runFromTrigger(n8n, pipelineWorkflow.id, 'Run Now');
		const statuses = (await tableRows(n8n, PIPELINE_TABLE.name)).map((row) => row.status);
		say(`pipeline run ${run.id}: ${run.status}; table rows: ${statuses.join(', ')}`);
		if (run.status !== 'success' || statuses.some((status) => status !== 'succeeded')) throw new Error('the pipeline example did not finish every row');

		browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
		const page = await browser.newPage({ viewport: VIEWPORT });
		await logIn(page, n8n);
		say('logged in; taking the screenshots ...');
		if (process.env.SCREENSHOTS_ONLY === 'lipsync') {
			await shootLipSyncParameters(page, n8n, lipSyncExample);
			return;
		}
		await shootCanvas(page, n8n, canvasWorkflow.id, 'workflow-canvas.png');
		// The node panel opens from a canvas.
		await shootNodeSearch(page, await ourNodeNames(n8n));
		await shootCanvas(page, n8n, pipelineWorkflow.id, 'pipeline-canvas.png');
		await shootDataTable(page, n8n);
		await shootVozoParameters(page, n8n, parametersWorkflow.id, vozoNode.name);
		await shootLipSyncParameters(page, n8n, lipSyncExample);
	} finally {
		await browser?.close();
		await n8n.stop();
		await sandbox.close();
	}
	say('done');
}

main().catch((error) => {
	process.stderr.write(`screenshots failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
