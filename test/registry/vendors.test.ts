/**
 * A vendor is a folder: every vendor in nodes/registry.ts has all of its parts, and nothing in
 * the package, the sandbox or nodes/ names a vendor the registry lacks. CONTRIBUTING.md's
 * "Adding a vendor" lists exactly what this test checks.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ICredentialType, INodeType } from 'n8n-workflow';

import { LipSync } from '../../nodes/LipSync/LipSync.node';
import { VENDOR_MODULES } from '../../nodes/registry';
import { buildLipSyncProperties } from '../../nodes/shared/operations/description';
import { startSandbox, VENDORS, type Vendor } from '../sandbox';
import {
	FIXTURE_CREDENTIAL_TYPES,
	FIXTURE_NODE_TYPES,
	LIP_SYNC_DIST_NODE,
	NON_VENDOR_FOLDERS,
	ROOT,
	sourceFilesOutsideNodes,
	TRIGGER_DIST_NODE,
	vendorFiles,
	vendorNamesIn,
} from './vendorFiles';

const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};
const relative = (file: string) => path.relative(ROOT, file);
const exportsOf = (file: string) => require(file) as Record<string, unknown>;

/** Every node type used by the workflows in examples/. */
const exampleNodeTypes = readdirSync(path.join(ROOT, 'examples'))
	.filter((file) => file.endsWith('.json'))
	.flatMap((file) => {
		const workflow = JSON.parse(readFileSync(path.join(ROOT, 'examples', file), 'utf8')) as { nodes?: Array<{ type: string }> };
		return (workflow.nodes ?? []).map((node) => node.type);
	});

const vendorsDoc = readFileSync(path.join(ROOT, 'docs', 'vendors.md'), 'utf8');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

const vendors = VENDOR_MODULES.map((module) => ({ ...module, files: vendorFiles(module.adapter) }));

it('the registry lists each vendor once, with a credential type named <name>Api', () => {
	expect(vendors.length).toBeGreaterThan(0);
	expect(new Set(vendors.map((v) => v.adapter.provider)).size).toBe(vendors.length);
	expect(new Set(vendors.map((v) => v.adapter.credentialName)).size).toBe(vendors.length);
	for (const { adapter } of vendors) expect(adapter.credentialName).toMatch(/^[a-z][A-Za-z0-9]*Api$/);
});

describe.each(vendors.map((v) => [v.adapter.provider, v] as const))('%s', (_provider, { adapter, trigger, files }) => {
	it(`has its node: ${relative(files.nodeFile)}, class ${files.className}, built from the registered adapter`, () => {
		const NodeClass = exportsOf(files.nodeFile)[files.className] as new () => INodeType;
		expect(typeof NodeClass).toBe('function');
		const { description } = new NodeClass();
		expect(description).toMatchObject({
			name: files.name,
			displayName: adapter.displayName,
			usableAsTool: true,
			icon: { light: `file:${files.name}.svg`, dark: `file:${files.name}.dark.svg` },
		});
		expect(description.credentials?.map((c) => c.name)).toEqual([adapter.credentialName]);
		expect(JSON.stringify(description.properties)).toBe(JSON.stringify(buildLipSyncProperties(adapter)));
	});

	it(`has its adapter (${relative(files.adapterFile)}) and its assumptions (${relative(files.assumptionsFile)})`, () => {
		expect(Object.values(exportsOf(files.adapterFile))).toContain(adapter);
		expect(readFileSync(files.assumptionsFile, 'utf8')).toContain('ASSUMPTION');
	});

	it('has its codex file and its light and dark SVG icons', () => {
		const codex = JSON.parse(readFileSync(files.codexFile, 'utf8')) as { node: string };
		expect(codex.node).toBe(files.nodeType);
		for (const icon of [files.icons.light, files.icons.dark]) expect(readFileSync(icon, 'utf8')).toMatch(/<svg[\s>]/);
	});

	it(`has its credential: ${relative(files.credentialFile)}, class ${files.credentialClassName}, named ${adapter.credentialName}, which its adapter holds`, () => {
		const CredentialClass = exportsOf(files.credentialFile)[files.credentialClassName] as new () => ICredentialType;
		expect(typeof CredentialClass).toBe('function');
		const credential = new CredentialClass();
		expect(credential.name).toBe(adapter.credentialName);
		// The transport renders the auth from the adapter's instance: it must be this class's.
		expect(adapter.credentialType).toBeInstanceOf(CredentialClass);
		expect(adapter.credentialType).toEqual(credential);
		expect(credential.icon).toEqual({
			light: `file:../nodes/${files.className}/${files.name}.svg`,
			dark: `file:../nodes/${files.className}/${files.name}.dark.svg`,
		});
	});

	it("is listed in package.json's n8n section: node and credential, dist paths", () => {
		expect(packageJson.n8n.nodes).toContain(files.distNode);
		expect(packageJson.n8n.credentials).toContain(files.distCredential);
	});

	it(`has its sandbox module (${relative(files.sandboxModule)}), wired into the sandbox`, async () => {
		expect(existsSync(files.sandboxModule)).toBe(true);
		expect(VENDORS).toContain(adapter.provider);
		// A vendor the sandbox serves answers an unknown path in its own not-found shape.
		const sandbox = await startSandbox();
		try {
			const answer = await fetch(`${sandbox.baseUrl(adapter.provider as Vendor)}/no-such-path`);
			expect(await answer.text()).not.toContain('no such sandbox path');
		} finally {
			await sandbox.close();
		}
	});

	it(`has its adapter tests (${relative(files.adapterTest)}), its example examples/<provider>-create-and-wait.json, its section in docs/vendors.md, its row under Nodes and its credential section in README.md`, () => {
		expect(existsSync(files.adapterTest)).toBe(true);
		expect(exampleNodeTypes).toContain(files.nodeType);
		expect(existsSync(path.join(ROOT, 'examples', `${adapter.provider}-create-and-wait.json`))).toBe(true);
		expect(vendorsDoc).toMatch(new RegExp(`^## ${adapter.displayName}\\b`, 'm'));
		expect(readme).toMatch(new RegExp(`^\\| \\*\\*${adapter.displayName}\\*\\* \\|`, 'm'));
		expect(readme).toMatch(new RegExp(`^#### ${adapter.displayName}$`, 'm'));
	});

	it('is offered by the Lip Sync node: as a row vendor, a fallback and a job\'s vendor, with its credential (labelled, not required), its settings its own create fields', () => {
		const lipSync = new LipSync().description;
		const optionValues = (name: string) =>
			((lipSync.properties.find((p) => p.name === name)?.options ?? []) as Array<{ value: unknown }>).map((o) => o.value);
		expect(optionValues('vendor')).toContain(adapter.provider);
		expect(optionValues('jobVendor')).toContain(adapter.provider);
		expect(lipSync.credentials).toContainEqual({ name: adapter.credentialName, displayName: `${adapter.displayName} Credential`, required: false });
		const fallback = lipSync.properties.find((p) => p.name === 'fallbackVendors')?.options?.[0] as { values: Array<{ options: Array<{ value: unknown }> }> };
		expect(fallback.values[0].options.map((o) => o.value)).toContain(adapter.provider);
		const ownFields = adapter.createProperties.map((p) => p.name);
		for (const setting of adapter.coreInput.settings) expect(ownFields).toContain(setting);
		for (const source of ['videoUrl', 'binary'] as const) {
			const mapped = adapter.coreInput.parameters({
				face: { source, url: 'https://cdn.example.test/face.mp4', binaryPropertyName: 'face' },
				speech: { source: 'audioUrl', url: 'https://cdn.example.test/voice.mp3', binaryPropertyName: '' },
			});
			expect(Object.keys(mapped).filter((name) => !ownFields.includes(name))).toEqual([]);
		}
	});

	if (trigger) {
		it(`keeps its Lip Sync Trigger mode in its folder (${relative(files.triggerFile)}), for its own provider id`, () => {
			expect(Object.values(exportsOf(files.triggerFile))).toContain(trigger);
			expect(trigger.vendor).toBe(adapter.provider);
		});
	}
});

describe('nothing names a vendor the registry lacks', () => {
	it("package.json's n8n section lists the registry's nodes and credentials, the Lip Sync Trigger and the Lip Sync node, nothing else", () => {
		expect([...packageJson.n8n.nodes].sort()).toEqual([...vendors.map((v) => v.files.distNode), TRIGGER_DIST_NODE, LIP_SYNC_DIST_NODE].sort());
		expect([...packageJson.n8n.credentials].sort()).toEqual(vendors.map((v) => v.files.distCredential).sort());
	});

	it('every folder under nodes/ but shared/, LipSyncTrigger/ and LipSync/ is a registered vendor', () => {
		const folders = readdirSync(path.join(ROOT, 'nodes'), { withFileTypes: true })
			.filter((entry) => entry.isDirectory())
			.map((entry) => entry.name);
		expect(folders.sort()).toEqual([...vendors.map((v) => v.files.className), ...NON_VENDOR_FOLDERS].sort());
	});

	it('every file in credentials/ is a registered vendor\'s credential', () => {
		const files = readdirSync(path.join(ROOT, 'credentials')).map((file) => path.join(ROOT, 'credentials', file));
		expect(files.sort()).toEqual(vendors.map((v) => v.files.credentialFile).sort());
	});

	it('the sandbox fakes exactly the registered vendors', () => {
		expect([...VENDORS].sort()).toEqual(vendors.map((v) => v.adapter.provider).sort());
	});
});

describe('no test, script, benchmark or example names a vendor the registry lacks', () => {
	const sources = sourceFilesOutsideNodes().map((file) => ({ file: relative(file), names: vendorNamesIn(readFileSync(file, 'utf8')) }));
	const unregistered = (pick: (names: ReturnType<typeof vendorNamesIn>) => string[], known: string[]) =>
		sources.flatMap(({ file, names }) => pick(names).filter((name) => !known.includes(name)).map((name) => `${file}: ${name}`));

	it('every n8n-nodes-lipsync.<name> node type is a registered vendor\'s node, the Lip Sync Trigger or the Lip Sync node', () => {
		const known = [...vendors.map((v) => v.files.name), 'lipSyncTrigger', 'lipSync', ...FIXTURE_NODE_TYPES];
		expect([...new Set(unregistered((names) => names.nodeTypes, known))]).toEqual([]);
	});

	it('every <name>Api credential type is a registered vendor\'s credential', () => {
		const known = [...vendors.map((v) => v.adapter.credentialName), ...FIXTURE_CREDENTIAL_TYPES];
		expect([...new Set(unregistered((names) => names.credentialTypes, known))]).toEqual([]);
	});

	it('every import from nodes/<Folder>/ and credentials/ is of a registered vendor (or the engine, or the trigger)', () => {
		const folders = [...vendors.map((v) => v.files.className), ...NON_VENDOR_FOLDERS];
		expect([...new Set(unregistered((names) => names.folders, folders))]).toEqual([]);
		const credentials = vendors.map((v) => v.files.credentialClassName);
		expect([...new Set(unregistered((names) => names.credentialClasses, credentials))]).toEqual([]);
	});

	it("every module in test/sandbox/vendors/ is a registered vendor's (named by its provider id)", () => {
		const modules = readdirSync(path.join(ROOT, 'test', 'sandbox', 'vendors'));
		const providers = vendors.map((v) => v.adapter.provider);
		expect(modules.filter((module) => !providers.some((provider) => module.startsWith(provider)))).toEqual([]);
	});
});
