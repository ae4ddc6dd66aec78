#!/usr/bin/env bash
# npm start: Node 24 on PATH (n8n 2.41 needs it), then the local demo in scripts/start.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/toolchain.sh
exec node_modules/.bin/tsx scripts/start.ts "$@"
