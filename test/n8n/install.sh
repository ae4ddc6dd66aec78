#!/usr/bin/env bash
# Installs the pinned real n8n (test/n8n/package-lock.json) on first use and caches it: the
# install takes minutes and gigabytes, so it is skipped while the lockfile hash is unchanged.
# Usage: bash test/n8n/install.sh   (prints the path of the n8n binary on its last line)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Node 24 on PATH and npm_config_nodedir at its headers (sqlite3 must build against Node 24).
source "$here/../../scripts/toolchain.sh"
cd "$here"

lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
# sqlite3 is n8n's one native module: an install whose binding does not load is not an install.
sqlite_loads() { node -e "require('sqlite3')" >/dev/null 2>&1; }
# --ignore-scripts=false: under `npm test` npm exports our project's ignore-scripts=true to child
# processes as npm_config_ignore_scripts, which would make the rebuild a silent no-op.
rebuild_sqlite() { npm rebuild sqlite3 --ignore-scripts=false >&2; }
if [ -x node_modules/.bin/n8n ] && [ "$(cat .install-hash 2>/dev/null)" = "$lock_hash" ]; then
  sqlite_loads || rebuild_sqlite
  if sqlite_loads; then
    echo "$here/node_modules/.bin/n8n"
    exit 0
  fi
fi

echo "n8n-install: installing the pinned n8n into test/n8n (about 4 minutes, 2.6 GB, one time)" >&2
rm -f .install-hash
# --ignore-scripts: a Kafka library's native build fails otherwise; sqlite3 is the one native
# module n8n needs, rebuilt explicitly below.
npm ci --no-audit --no-fund --ignore-scripts >&2
rebuild_sqlite
[ -x node_modules/.bin/n8n ] || { echo "n8n-install: node_modules/.bin/n8n missing after npm ci" >&2; exit 1; }
sqlite_loads || { echo "n8n-install: sqlite3 was not built for $(node --version)" >&2; exit 1; }
echo "$lock_hash" > .install-hash
echo "$here/node_modules/.bin/n8n"
