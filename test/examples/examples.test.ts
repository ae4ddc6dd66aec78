/**
 * The workflows in examples/ are what users import: they must work against the real vendors
 * once a credential is selected. So: no local host or port, nothing about the sandbox, the
 * vendors' own poll intervals and wait limits, our nodes at the version new nodes get, and
 * credentials named as n8n names new ones. (test/e2e/examples.e2e.test.ts runs them.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { VENDOR_MODULES } from '../../nodes/registry';
import { LIP_SYNC_DEFAULT_VERSION } from '../../nodes/shared/operations/description';
import { vendorFiles } from '../registry/vendorFiles';
import { documentedExamples } from './readmeExamples';

interface ExampleNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, any>;
	credentials?: Record<string, { id: string; name: string }>;
}

const DIR = join(__dirname, '..', '..', 'examples');
const examples = readdirSync(DIR)
	.filter((file) => file.endsWith('.json'))
	.map((file) => ({ file, raw: readFileSync(join(DIR, file), 'utf8') }))
	.map(({ file, raw }) => ({ file, raw, workflow: JSON.parse(raw) as { name: string; nodes: ExampleNode[] } }));
const VENDOR_TYPES = VENDOR_MODULES.map(({ adapter }) => vendorFiles(adapter).nodeType);
const CREDENTIAL_NAMES = VENDOR_MODULES.map(({ adapter }) => `${adapter.displayName} account`);

it("examples/ holds exactly the workflows README.md's Examples table lists, each vendor's create-and-wait among them", () => {
	const documented = documentedExamples(readFileSync(join(DIR, '..', 'README.md'), 'utf8'));
	expect(examples.map((e) => e.file).sort()).toEqual([...documented].sort());
	for (const { adapter } of VENDOR_MODULES) expect(documented).toContain(`${adapter.provider}-create-and-wait.json`);
});

it.each(examples.map((e) => [e.file, e]))('%s names no local host or port, no sandbox and no "<Vendor>" placeholder', (_file, { raw }) => {
	expect(raw).not.toMatch(/localhost|127\.0\.0\.1|:5678|:4010/);
	expect(raw).not.toMatch(/sandbox/i);
	expect(raw).not.toContain('<Vendor>');
});

it.each(examples.map((e) => [e.file, e]))('%s uses the vendors\' own poll intervals and wait limits (only Wait sets a short one on purpose)', (_file, { workflow }) => {
	for (const node of workflow.nodes.filter((n) => VENDOR_TYPES.includes(n.type))) {
		const options = node.parameters.options ?? {};
		expect({ node: node.name, pollIntervalSeconds: options.pollIntervalSeconds }).toEqual({ node: node.name, pollIntervalSeconds: undefined });
		if (node.parameters.operation !== 'wait') expect({ node: node.name, waitLimitMinutes: options.waitLimitMinutes }).toEqual({ node: node.name, waitLimitMinutes: undefined });
	}
});

it.each(examples.map((e) => [e.file, e]))('%s has our vendor nodes at the version new nodes get, with credentials named "<vendor> account"', (_file, { workflow }) => {
	for (const node of workflow.nodes.filter((n) => VENDOR_TYPES.includes(n.type))) {
		expect({ node: node.name, version: node.typeVersion }).toEqual({ node: node.name, version: LIP_SYNC_DEFAULT_VERSION });
	}
	for (const node of workflow.nodes) {
		for (const ref of Object.values(node.credentials ?? {})) expect(CREDENTIAL_NAMES).toContain(ref.name);
	}
});

it('the batch and Data Table examples keep each input row in its output row (Include Input Fields: All)', () => {
	for (const file of ['joggai-batch-10-rows.json', 'datatable-pipeline-joggai.json', 'vozo-create-now.json', 'vozo-wait-later.json']) {
		const { workflow } = examples.find((e) => e.file === file)!;
		const vendorNodes = workflow.nodes.filter((n) => VENDOR_TYPES.includes(n.type));
		expect(vendorNodes.map((n) => [file, n.parameters.options?.includeInputFields])).toEqual(vendorNodes.map(() => [file, 'all']));
	}
});

/** Fields and URL parts that would carry a callback or webhook secret in a workflow. */
const SECRET_PARAMETERS = ['token', 'secret', 'callbackSecret', 'apiKey'];
const SECRET_IN_URL = /[?&](token|lipsync_sig|signature)=|whsec_/i;

it.each(examples.map((e) => [e.file, e]))('%s holds no callback secret: no token or secret parameter, no signed or tokened URL', (_file, { raw, workflow }) => {
	const found: string[] = [];
	const walk = (value: unknown, path: string): void => {
		if (typeof value === 'string') {
			if (SECRET_IN_URL.test(value)) found.push(`${path}: ${value}`);
		} else if (value && typeof value === 'object') {
			for (const [key, inner] of Object.entries(value)) {
				if (SECRET_PARAMETERS.includes(key) && inner !== '') found.push(`${path}.${key}`);
				walk(inner, `${path}.${key}`);
			}
		}
	};
	for (const node of workflow.nodes) walk(node.parameters, node.name);
	expect(found).toEqual([]);
	expect(raw).not.toContain('replace-with-your-own-long-random-token');
});

it('the Vozo trigger example is a version 1.1 trigger in signed mode, its secret left to the Vozo credential', () => {
	const { workflow } = examples.find((e) => e.file === 'lipsync-trigger-vozo.json')!;
	const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-lipsync.lipSyncTrigger')!;
	expect(trigger.typeVersion).toBe(1.1);
	expect(trigger.parameters.callbackAuth ?? 'signature').toBe('signature');
	expect(Object.keys(trigger.credentials ?? {})).toEqual(['vozoApi']);
});
