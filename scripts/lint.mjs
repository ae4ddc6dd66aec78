#!/usr/bin/env node
// Lints the package with exactly the rule set of n8n's community-package scanner
// (@n8n/scan-community-package), over the same two legs the scanner runs:
//   1. the source: package.json + {nodes,credentials}/**/*.{js,ts,json}
//   2. the published artifact: `npm pack`, extract, lint **/*.js + package.json
// Stricter than the scanner on purpose: any warning fails too, so nothing drifts towards a
// rejection. It also checks the packed package.json against n8n's packaging rules.
// Needs a built dist/ (`npm run lint` builds first).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scannerPath = path.join(
	repoRoot,
	'node_modules/@n8n/scan-community-package/scanner/scanner.mjs',
);
// Resolve ESLint and the glob library the way the scanner itself resolves them.
const requireFromScanner = createRequire(scannerPath);
const importFromScanner = (name) => import(pathToFileURL(requireFromScanner.resolve(name)).href);

// Importing the scanner creates a temp dir (for registry downloads we never make); let `tmp`
// remove it when this process exits.
(await importFromScanner('tmp')).default.setGracefulCleanup();
const { buildScanConfig, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(scannerPath).href);
const { ESLint } = await importFromScanner('eslint');
const glob = (await importFromScanner('fast-glob')).default;

const DIST_FILE_PATTERNS = ['**/*.js', 'package.json'];
const INSTALL_LIFECYCLE_SCRIPTS = [
	'preinstall',
	'install',
	'postinstall',
	'prepare',
	'preprepare',
	'postprepare',
	'prepublish',
];

/** Lints like the scanner's analyzePackage, but returns every result (warnings included). */
async function lintLeg(label, cwd, patterns) {
	const eslint = new ESLint({
		cwd,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await buildScanConfig(),
	});
	const files = glob.sync(patterns, {
		cwd,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	const results = await eslint.lintFiles(files);
	const errors = results.reduce((n, r) => n + r.errorCount + r.fatalErrorCount, 0);
	const warnings = results.reduce((n, r) => n + r.warningCount, 0);
	const formatted = await (await eslint.loadFormatter('stylish')).format(results);
	console.log(`lint ${label}: ${files.length} files, ${errors} errors, ${warnings} warnings`);
	if (formatted.trim()) console.log(formatted);
	return errors + warnings;
}

function run(command, args, cwd) {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr || result.stdout}`);
	}
	return result.stdout;
}

/** `npm pack` into a temp dir and extract, as the scanner does with the registry tarball. */
function packAndExtract(tempDir) {
	const out = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tempDir], repoRoot);
	const [{ filename }] = JSON.parse(out);
	const packageDir = path.join(tempDir, 'package');
	fs.mkdirSync(packageDir);
	run('tar', ['-xzf', path.join(tempDir, path.basename(filename)), '-C', packageDir, '--strip-components=1'], tempDir);
	return packageDir;
}

/** n8n's packaging rules for the published package.json; returns a list of problems. */
function checkPackedManifest(packageDir) {
	const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const problems = [];
	if (manifest.dependencies && Object.keys(manifest.dependencies).length > 0) {
		problems.push(`"dependencies" must be empty (found ${Object.keys(manifest.dependencies).join(', ')})`);
	}
	const peers = Object.keys(manifest.peerDependencies ?? {});
	if (peers.length !== 1 || peers[0] !== 'n8n-workflow') {
		problems.push(`"peerDependencies" must be exactly n8n-workflow (found ${peers.join(', ') || 'none'})`);
	}
	if (JSON.stringify(manifest.files) !== JSON.stringify(['dist'])) {
		problems.push(`"files" must be ["dist"] (found ${JSON.stringify(manifest.files)})`);
	}
	for (const script of INSTALL_LIFECYCLE_SCRIPTS) {
		if (manifest.scripts?.[script]) problems.push(`lifecycle script "${script}" is not allowed`);
	}
	const n8n = manifest.n8n ?? {};
	if (n8n.n8nNodesApiVersion !== 1) problems.push('"n8n.n8nNodesApiVersion" must be 1');
	if (!Array.isArray(n8n.nodes) || n8n.nodes.length === 0) problems.push('"n8n.nodes" is empty');
	for (const key of ['nodes', 'credentials']) {
		for (const file of n8n[key] ?? []) {
			if (!fs.existsSync(path.join(packageDir, file))) {
				problems.push(`n8n.${key} entry "${file}" is not in the packed tarball`);
			}
		}
	}
	return problems;
}

let failures = await lintLeg('source', repoRoot, SOURCE_FILE_PATTERNS);

const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lipsync-lint-'));
try {
	const packageDir = packAndExtract(tempDir);
	failures += await lintLeg('packed tarball', packageDir, DIST_FILE_PATTERNS);
	const problems = checkPackedManifest(packageDir);
	console.log(`package.json (packed): ${problems.length} problems`);
	for (const problem of problems) console.log(`  error  ${problem}`);
	failures += problems.length;
} finally {
	fs.rmSync(tempDir, { recursive: true, force: true });
}

if (failures > 0) {
	console.log(`lint failed: ${failures} problems (warnings count as failures)`);
	process.exit(1);
}
console.log('lint passed: no errors, no warnings');
