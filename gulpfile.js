// `tsc` emits only JavaScript; n8n also needs the icons and the codex (.node.json) files
// next to the compiled nodes and credentials, under the same paths in dist/.
const { src, dest, task } = require('gulp');

const ASSETS = [
	'nodes/**/*.{png,svg}',
	'credentials/**/*.{png,svg}',
	'nodes/**/*.node.json',
];

function copyAssets() {
	// encoding: false keeps PNG bytes intact (gulp 5 reads files as UTF-8 by default).
	return src(ASSETS, { base: '.', encoding: false }).pipe(dest('dist'));
}

task('build:icons', copyAssets);
