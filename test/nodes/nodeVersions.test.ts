/**
 * Node version 1.1 turns Simplify on for new nodes; workflows saved with version 1 keep their
 * `raw` field (n8n does not save a parameter that equals its default, so the default must stay
 * per version). Through n8n-core (parameter defaults filled as n8n fills them) and the sandbox.
 */
import type { INodeProperties } from 'n8n-workflow';

import { MODELLIX_LEGACY_MODEL_SLUGS } from '../../nodes/Modellix/modellix.assumptions';

import type { Vendor } from '../sandbox';
import { startSandbox, type Sandbox } from '../sandbox';
import { audioItems, jsonOf, runVendor, VENDOR_LIST, VENDOR_SETUP } from './nodeKit';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 200, jitterMs: 0 });
});
afterEach(() => sb.reset());
afterAll(async () => await sb.close());

/** Create and Wait with Simplify left at the version's default. */
const rowOf = async (vendor: Vendor, typeVersion: number) =>
	jsonOf(await runVendor(sb, vendor, { operation: 'createAndWait', inputItems: audioItems(1), typeVersion, parameters: { simplify: undefined } }))[0];

it.each(VENDOR_LIST)('%s: new nodes are version 1.1; Simplify defaults to on there and to off in version 1', (vendor) => {
	const { description } = VENDOR_SETUP[vendor].node();
	expect(description.version).toEqual([1, 1.1]);
	expect(description.defaultVersion).toBe(1.1);
	const simplify = description.properties.filter((p) => p.name === 'simplify');
	expect(simplify.map((p: INodeProperties) => [p.default, p.displayOptions?.show?.['@version']])).toEqual([
		[false, [1]],
		[true, [{ _cnd: { gte: 1.1 } }]],
	]);
});

it.each(VENDOR_LIST)('%s: a saved version 1 node keeps the vendor\'s raw body; a new node leaves it out', async (vendor) => {
	const saved = await rowOf(vendor, 1);
	expect(saved).toMatchObject({ status: 'succeeded', raw: expect.any(Object) });
	expect(Object.keys(saved.raw as object).length).toBeGreaterThan(0);
	const fresh = await rowOf(vendor, 1.1);
	expect(fresh).toMatchObject({ status: 'succeeded', videoUrl: expect.any(String) });
	expect(fresh).not.toHaveProperty('raw');
});

it('Simplify off in a new node brings raw back', async () => {
	const [row] = jsonOf(await runVendor(sb, 'modellix', { operation: 'createAndWait', inputItems: audioItems(1), parameters: { simplify: false } }));
	expect(row.raw).toEqual(expect.any(Object));
});

it('Modellix: a version 1 node still lists the models it once offered directly; a new node offers Vidu and Other Model only', () => {
	const { description } = VENDOR_SETUP.modellix.node();
	const models = description.properties.filter((p) => p.name === 'modelSlug');
	const valuesFor = (version: unknown) =>
		(models.find((p) => JSON.stringify(p.displayOptions?.show?.['@version']) === JSON.stringify(version))?.options ?? []).map((o) => (o as { value: string }).value);
	expect(valuesFor([1])).toEqual(expect.arrayContaining([...MODELLIX_LEGACY_MODEL_SLUGS, 'vidu/lip-sync', 'other']));
	expect(valuesFor([{ _cnd: { gte: 1.1 } }]).sort()).toEqual(['other', 'vidu/lip-sync']);
});

it('Modellix: a saved version 1 node on pixverse/lipsync still runs, sent to that model\'s path', async () => {
	const [row] = jsonOf(await runVendor(sb, 'modellix', { operation: 'createAndWait', inputItems: audioItems(1), typeVersion: 1, parameters: { modelSlug: 'pixverse/lipsync' } }));
	expect(row).toMatchObject({ status: 'succeeded', videoUrl: expect.any(String) });
	expect(sb.log.entries({ vendor: 'modellix', method: 'POST' }).map((entry) => entry.path)).toEqual([expect.stringContaining('/api/v1/pixverse/lipsync/async')]);
});
