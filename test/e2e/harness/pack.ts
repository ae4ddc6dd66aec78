import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { node24Env, REPO_ROOT } from './paths';
import { runCommand } from './processes';

/** Folders that are not part of what `npm run build` + `npm pack` read. */
const NOT_PACKAGE_INPUT = new Set([
	'node_modules', '.git', '.tmp', '.tools', '.cache', 'dist', 'test', 'bench', 'bench-results',
	'coverage', 'docs', 'examples',
]);

const CACHE_DIR = join(REPO_ROOT, '.tmp', 'e2e-packages');

function packageInputs(): string[] {
	const files: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir).sort()) {
			const path = join(dir, name);
			if (dir === REPO_ROOT && (NOT_PACKAGE_INPUT.has(name) || /\.(tgz|log)$/.test(name))) continue;
			if (statSync(path).isDirectory()) walk(path);
			else files.push(path);
		}
	};
	walk(REPO_ROOT);
	return files;
}

/** Tarballs of earlier sources, once nobody can still be installing them. */
function pruneOldTarballs(keep: string) {
	for (const name of readdirSync(CACHE_DIR)) {
		const path = join(CACHE_DIR, name);
		if (path !== keep && name.endsWith('.tgz') && Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { force: true });
	}
}

/**
 * Builds the package and packs it the way it is published, returning the tarball path. The
 * build runs on a copy of the sources, so it neither races nor disturbs anyone else's `dist/`
 * in the shared tree. Tarballs are cached by the hash of their inputs: one build per change,
 * shared by every test file and run.
 */
export async function packPackage(): Promise<string> {
	const inputs = packageInputs();
	const hash = createHash('sha256');
	for (const file of inputs) hash.update(relative(REPO_ROOT, file)).update('\0').update(readFileSync(file));
	const key = hash.digest('hex').slice(0, 16);
	const cached = join(CACHE_DIR, `n8n-nodes-lipsync-${key}.tgz`);
	if (existsSync(cached)) return cached;

	mkdirSync(CACHE_DIR, { recursive: true });
	const stage = mkdtempSync(join(CACHE_DIR, 'stage-'));
	try {
		for (const file of inputs) cpSync(file, join(stage, relative(REPO_ROOT, file)));
		symlinkSync(join(REPO_ROOT, 'node_modules'), join(stage, 'node_modules'));
		const env = node24Env();
		const build = await runCommand('npm', ['run', 'build'], { cwd: stage, env, timeoutMs: 5 * 60_000 });
		if (build.code !== 0) throw new Error(`npm run build failed (${build.code}):\n${build.stdout}\n${build.stderr}`);
		const pack = await runCommand('npm', ['pack', '--json', '--pack-destination', stage], {
			cwd: stage,
			env,
			timeoutMs: 2 * 60_000,
		});
		if (pack.code !== 0) throw new Error(`npm pack failed (${pack.code}):\n${pack.stdout}\n${pack.stderr}`);
		const [{ filename }] = JSON.parse(pack.stdout) as Array<{ filename: string }>;
		// rename is atomic: a concurrent run either sees the whole tarball or none.
		renameSync(join(stage, filename), cached);
		pruneOldTarballs(cached);
		return cached;
	} finally {
		rmSync(stage, { recursive: true, force: true });
	}
}
