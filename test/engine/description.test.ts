import type { INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { VENDOR_MODULES } from '../../nodes/registry';
import { Vozo } from '../../nodes/Vozo/Vozo.node';
import { vendorFiles } from '../registry/vendorFiles';

/** Every registered vendor's node: [type name, description, credential]. */
const nodes: Array<[string, INodeTypeDescription, string]> = VENDOR_MODULES.map(({ adapter }) => {
	const files = vendorFiles(adapter);
	const NodeClass = (require(files.nodeFile) as Record<string, new () => INodeType>)[files.className];
	return [files.name, new NodeClass().description, adapter.credentialName];
});

describe.each(nodes)('%s node description', (name, description, credential) => {
	const byName = (n: string) => description.properties.filter((p) => p.name === n);

	it('is a tool-usable action node with its credential and the four operations', () => {
		expect(description).toMatchObject({ name, usableAsTool: true, credentials: [{ name: credential, required: true }] });
		expect(byName('operation')[0].options!.map((o) => (o as { value: string }).value)).toEqual([
			'create',
			'createAndWait',
			'get',
			'wait',
		]);
	});

	it('shows create fields for Create and Create and Wait only, and the job id for Get and Wait', () => {
		// Vozo's Wait By belongs to Create and Wait only (test/nodes/callbackWait.test.ts).
		const createFields = description.properties.filter((p) => !['operation', 'jobId', 'options', 'waitBy', 'simplify'].includes(p.name));
		expect(createFields.length).toBeGreaterThan(0);
		for (const field of createFields) expect(field.displayOptions?.show?.operation).toEqual(['create', 'createAndWait']);
		expect(byName('jobId')[0]).toMatchObject({ default: '={{ $json.jobId }}', displayOptions: { show: { operation: ['get', 'wait'] } } });
	});

	it('has exactly one Options collection with the wait settings', () => {
		expect(byName('options')).toHaveLength(1);
		const names = (byName('options')[0].options as INodeProperties[]).map((o) => o.name);
		expect(names).toEqual(expect.arrayContaining(['pollIntervalSeconds', 'waitLimitMinutes', 'onTimeout', 'downloadVideo', 'binaryPropertyName']));
		expect(new Set(description.properties.map((p) => `${p.name}|${JSON.stringify(p.displayOptions ?? {})}`)).size).toBe(description.properties.length);
	});
});

it("merges Vozo's Callback URL into the shared Options, for create operations", () => {
	const options = new Vozo().description.properties.find((p) => p.name === 'options')!.options as INodeProperties[];
	const callback = options.find((o) => o.name === 'callbackUrl')!;
	expect(callback.displayOptions?.show?.['/operation']).toEqual(['create', 'createAndWait']);
	const download = options.find((o) => o.name === 'downloadVideo')!;
	expect(download.default).toBe(false);
});
