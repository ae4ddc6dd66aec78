/**
 * Node version 1.1 turns Simplify on for new nodes; workflows saved with version 1 keep their
 * `raw` field (n8n does not save a parameter that equals its default, so the default must stay
 * per version). Through n8n-core (parameter defaults filled as n8n fills them) and the sandbox.
 */
import { NodeHelpers } from 'n8n-workflow';

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

/** Create and Wait with Simplify left at the version's default; no version: as the editor adds a new node. */
const rowOf = async (vendor: Vendor, typeVersion?: number) =>
	jsonOf(await runVendor(sb, vendor, { operation: 'createAndWait', inputItems: audioItems(1), typeVersion, parameters: { simplify: undefined } }))[0];

it.each(VENDOR_LIST)('%s: a saved version 1 node keeps the vendor\'s raw body; a node added now (the default version) leaves it out', async (vendor) => {
	const saved = await rowOf(vendor, 1);
	expect(saved).toMatchObject({ status: 'succeeded', raw: expect.any(Object) });
	expect(Object.keys(saved.raw as object).length).toBeGreaterThan(0);
	const fresh = await rowOf(vendor);
	expect(fresh).toMatchObject({ status: 'succeeded', videoUrl: expect.any(String) });
	expect(fresh).not.toHaveProperty('raw');
});

it('Simplify off in a new node brings raw back', async () => {
	const [row] = jsonOf(await runVendor(sb, 'modellix', { operation: 'createAndWait', inputItems: audioItems(1), parameters: { simplify: false } }));
	expect(row.raw).toEqual(expect.any(Object));
});

it('Modellix: the editor shows a version 1 node the models it once offered directly; a new node Vidu and Other Model only', () => {
	const { description } = VENDOR_SETUP.modellix.node();
	// n8n's own display rule picks which Model list the editor shows for a node of each version.
	const shownModels = (typeVersion: number) =>
		description.properties
			.filter((p) => p.name === 'modelSlug' && NodeHelpers.displayParameter({ operation: 'create' }, p, { typeVersion }, description))
			.flatMap((p) => (p.options ?? []).map((o) => (o as { value: string }).value));
	expect(shownModels(1)).toEqual(expect.arrayContaining([...MODELLIX_LEGACY_MODEL_SLUGS, 'vidu/lip-sync', 'other']));
	expect(shownModels(description.defaultVersion!).sort()).toEqual(['other', 'vidu/lip-sync']);
});

it('Modellix: a saved version 1 node on pixverse/lipsync still runs, sent to that model\'s path', async () => {
	const [row] = jsonOf(await runVendor(sb, 'modellix', { operation: 'createAndWait', inputItems: audioItems(1), typeVersion: 1, parameters: { modelSlug: 'pixverse/lipsync' } }));
	expect(row).toMatchObject({ status: 'succeeded', videoUrl: expect.any(String) });
	expect(sb.log.entries({ vendor: 'modellix', method: 'POST' }).map((entry) => entry.path)).toEqual([expect.stringContaining('/api/v1/pixverse/lipsync/async')]);
});
