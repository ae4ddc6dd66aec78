/**
 * The engine (nodes/shared/**) knows no vendor: no provider id, display name, folder, node or
 * credential name appears in it, not even in a comment, so a vendor can only be added or
 * removed through nodes/registry.ts and its own folder.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { VENDOR_MODULES } from '../../nodes/registry';
import { ROOT, vendorFiles } from './vendorFiles';

function filesUnder(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const file = path.join(dir, entry.name);
		return entry.isDirectory() ? filesUnder(file) : [file];
	});
}

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

it('nodes/shared names no vendor of the registry', () => {
	const words = new Set(
		VENDOR_MODULES.flatMap(({ adapter }) => {
			const files = vendorFiles(adapter);
			return [adapter.provider, adapter.displayName, adapter.credentialName, files.name, files.className];
		}),
	);
	// A vendor word anywhere, in any case, not inside a longer word ("personate" in "impersonate").
	const pattern = new RegExp(`(?<![a-z])(${[...words].map(escape).join('|')})`, 'i');
	const hits = filesUnder(path.join(ROOT, 'nodes', 'shared')).flatMap((file) =>
		readFileSync(file, 'utf8')
			.split('\n')
			.map((line, index) => ({ line, at: `${path.relative(ROOT, file)}:${index + 1}` }))
			.filter(({ line }) => pattern.test(line))
			.map(({ line, at }) => `${at}: ${line.trim()}`),
	);
	expect(hits).toEqual([]);
});
