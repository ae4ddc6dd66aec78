/**
 * The example files README.md's "Examples" table documents. A cell may list several files that
 * share an ending: `` `vozo-`, `personate-`, `joggai-create-and-wait.json` `` names three files,
 * each prefix completed with the last file's ending.
 */
export function documentedExamples(readme: string): string[] {
	const start = readme.indexOf('Import any file of `examples/`');
	if (start < 0) throw new Error('README.md has no Examples section ("Import any file of `examples/`")');
	const lines = readme.slice(start).split('\n');
	const first = lines.findIndex((line) => line.startsWith('|'));
	const end = lines.findIndex((line, index) => index > first && !line.startsWith('|'));
	const files: string[] = [];
	for (const row of lines.slice(first, end < 0 ? undefined : end)) {
		const firstCell = row.split('|')[1] ?? '';
		const names = [...firstCell.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
		const last = names.at(-1);
		if (!last?.endsWith('.json')) continue;
		const ending = last.slice(last.indexOf('-') + 1);
		for (const name of names) files.push(name.endsWith('-') ? `${name}${ending}` : name);
	}
	return files;
}
