#!/usr/bin/env bash
# npm run bench: Node 24 on PATH (n8n 2.41 needs it), then the bench orchestrator.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/toolchain.sh
exec node_modules/.bin/tsx bench/run.ts "$@"
