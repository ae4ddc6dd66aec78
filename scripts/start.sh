#!/usr/bin/env bash
# npm start: Node 24 on PATH (n8n 2.41 needs it), then the local demo in scripts/start.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/toolchain.sh
# One process (tsx as a loader, not its wrapper): the wrapper relays Ctrl-C and ends before our
# async shutdown has stopped n8n, which then outlived the demo.
exec node --import tsx scripts/start.ts "$@"
