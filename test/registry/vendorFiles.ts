/**
 * Where each part of a vendor lives, derived from its adapter in nodes/registry.ts. The one naming
 * rule: the credential type `<name>Api` (e.g. `joggAiApi`) names everything else —
 * folder `nodes/<Name>/` (`JoggAi`), node class `<Name>` with type name `<name>`, files
 * `<name>.adapter.ts`, `<name>.assumptions.ts`, `<name>.svg`, `<name>.dark.svg`,
 * `<Name>.node.ts`, `<Name>.node.json`, credential class `<Name>Api` in
 * `credentials/<Name>Api.credentials.ts`. The sandbox module and the example files are named by
 * the adapter's provider id (`joggai`).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

import type { VendorAdapter } from '../../nodes/shared/adapter';

export const ROOT = path.resolve(__dirname, '../..');

export interface VendorFiles {
	provider: string;
	/** `joggAi`: the node type name, the lower-case file prefix. */
	name: string;
	/** `JoggAi`: the folder, the node class. */
	className: string;
	credentialClassName: string;
	folder: string;
	nodeFile: string;
	codexFile: string;
	adapterFile: string;
	assumptionsFile: string;
	triggerFile: string;
	icons: { light: string; dark: string };
	credentialFile: string;
	/** package.json `n8n` entries. */
	distNode: string;
	distCredential: string;
	sandboxModule: string;
	adapterTest: string;
	nodeType: string;
}

export function vendorFiles(adapter: VendorAdapter): VendorFiles {
	const name = adapter.credentialName.replace(/Api$/, '');
	const className = name.charAt(0).toUpperCase() + name.slice(1);
	const folder = path.join(ROOT, 'nodes', className);
	return {
		provider: adapter.provider,
		name,
		className,
		credentialClassName: `${className}Api`,
		folder,
		nodeFile: path.join(folder, `${className}.node.ts`),
		codexFile: path.join(folder, `${className}.node.json`),
		adapterFile: path.join(folder, `${name}.adapter.ts`),
		assumptionsFile: path.join(folder, `${name}.assumptions.ts`),
		triggerFile: path.join(folder, `${name}.trigger.ts`),
		icons: { light: path.join(folder, `${name}.svg`), dark: path.join(folder, `${name}.dark.svg`) },
		credentialFile: path.join(ROOT, 'credentials', `${className}Api.credentials.ts`),
		distNode: `dist/nodes/${className}/${className}.node.js`,
		distCredential: `dist/credentials/${className}Api.credentials.js`,
		sandboxModule: path.join(ROOT, 'test', 'sandbox', 'vendors', `${adapter.provider}.ts`),
		adapterTest: path.join(ROOT, 'test', 'adapters', `${name}.test.ts`),
		nodeType: `n8n-nodes-lipsync.${name}`,
	};
}

/** The package's trigger node: not a vendor, listed in package.json beside the vendors' nodes. */
export const TRIGGER_DIST_NODE = 'dist/nodes/LipSyncTrigger/LipSyncTrigger.node.js';
/** The node over every vendor (nodes/LipSync). */
export const LIP_SYNC_DIST_NODE = 'dist/nodes/LipSync/LipSync.node.js';
/** Folders under nodes/ that are not vendors. */
export const NON_VENDOR_FOLDERS = ['shared', 'LipSyncTrigger', 'LipSync'];

/**
 * Node type and credential type names the tests use for their own fixtures (a fake node, n8n's
 * OAuth2): not vendors, so not in the registry.
 */
export const FIXTURE_NODE_TYPES = ['fake', 'test'];
export const FIXTURE_CREDENTIAL_TYPES = ['fakeApi', 'harnessTestApi', 'renderTestApi', 'oAuth2Api'];

/** Every source file of the tests, scripts, benchmarks and examples (not the installed n8n). */
export function sourceFilesOutsideNodes(): string[] {
	const found: string[] = [];
	const walk = (dir: string): void => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const file = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				if (entry.name !== 'node_modules' && file !== path.join(ROOT, 'test', 'n8n')) walk(file);
			} else if (/\.(ts|js|mjs|json|sh)$/.test(entry.name)) found.push(file);
		}
	};
	for (const dir of ['test', 'scripts', 'bench', 'examples']) walk(path.join(ROOT, dir));
	return found;
}

/** The vendor-shaped names a source file uses: node types, credential types, node and credential imports. */
export function vendorNamesIn(source: string): { nodeTypes: string[]; credentialTypes: string[]; folders: string[]; credentialClasses: string[] } {
	const all = (pattern: RegExp) => [...source.matchAll(pattern)].map((match) => match[1]);
	return {
		nodeTypes: all(/n8n-nodes-lipsync\.([A-Za-z0-9]+?)(?:Tool)?\b/g),
		credentialTypes: all(/['"`]([a-z][A-Za-z0-9]*Api)['"`]/g),
		folders: all(/nodes\/([A-Za-z0-9]+)\//g),
		credentialClasses: all(/credentials\/([A-Za-z0-9]+)\.credentials/g),
	};
}
