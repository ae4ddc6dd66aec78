#!/usr/bin/env bash
# The project's test command (`npm test`): typecheck and the community-scanner lint (which builds
# and packs the package) side by side, the unit/engine/node tests, then the real-n8n end-to-end
# suite when it exists. Every step runs even when an earlier one fails, so one run shows everything that is
# wrong; the exit status is non-zero if anything failed. The last line is always
# "N passed, N failed" over all jest tests.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=toolchain.sh
source scripts/toolchain.sh || exit 1

results_dir="$(mktemp -d "${TMPDIR:-/tmp}/lipsync-test-XXXXXX")"
trap 'rm -rf "$results_dir"' EXIT
failed_steps=()

step() {
	local name="$1" started=$SECONDS
	shift
	echo
	echo "=== $name: $*"
	if ! "$@"; then
		failed_steps+=("$name")
	fi
	timings+=("$name $((SECONDS - started)) s")
}
timings=()

# Typecheck and lint do not depend on each other and each keeps one core busy: they run side by
# side (each one's output is printed whole, in this order, once both ended).
started_in_background() {
	local name="$1"
	shift
	(
		local started=$SECONDS
		"$@" >"$results_dir/$name.out" 2>&1
		echo "$?" >"$results_dir/$name.rc"
		echo "$((SECONDS - started))" >"$results_dir/$name.seconds"
	) &
}
ended_in_background() {
	local name="$1"
	shift
	echo
	echo "=== $name: $*"
	cat "$results_dir/$name.out"
	[ "$(cat "$results_dir/$name.rc")" = 0 ] || failed_steps+=("$name")
	timings+=("$name $(cat "$results_dir/$name.seconds") s")
}
typecheck=(node_modules/.bin/tsc --noEmit -p tsconfig.json)
lint=(npm run lint --silent)
started_in_background typecheck "${typecheck[@]}"
started_in_background lint "${lint[@]}"
wait
ended_in_background typecheck "${typecheck[@]}"
ended_in_background lint "${lint[@]}"
step jest node_modules/.bin/jest --ci --json --outputFile="$results_dir/unit.json"
# SKIP_E2E=1 leaves out the slow real-n8n suite (for a quick local run; CI never sets it).
run_e2e=false
if [ -f test/e2e/jest.config.js ] && [ "${SKIP_E2E:-}" != 1 ]; then
	run_e2e=true
elif [ -f test/e2e/jest.config.js ]; then
	echo
	echo "=== e2e: skipped (SKIP_E2E=1)"
fi
if $run_e2e; then
	# The pinned real n8n (minutes on a bare machine, then cached by lockfile hash): installed as
	# its own step so a slow or failed install shows up as such, not as a jest hook timeout.
	step n8n-install bash test/n8n/install.sh
	step e2e node_modules/.bin/jest -c test/e2e/jest.config.js --runInBand --ci --json \
		--outputFile="$results_dir/e2e.json"
fi

# Sum jest's own counts; a suite that could not run at all (syntax error, failing beforeAll
# import) counts as one failure, and so does a jest run that wrote no result file.
summary="$(node -e '
const fs = require("fs");
let passed = 0, failed = 0;
for (const file of process.argv.slice(1)) {
	if (!fs.existsSync(file)) { failed += 1; continue; }
	const r = JSON.parse(fs.readFileSync(file, "utf8"));
	passed += r.numPassedTests;
	failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
}
console.log(`${passed} passed, ${failed} failed`);
' "$results_dir/unit.json" $($run_e2e && echo "$results_dir/e2e.json"))"

echo
echo "took: $(IFS=,; echo "${timings[*]}" | sed 's/,/, /g')"
if [ ${#failed_steps[@]} -gt 0 ]; then
	echo "failed steps: ${failed_steps[*]}"
fi
echo "$summary"
[ ${#failed_steps[@]} -eq 0 ]
