#!/usr/bin/env bash
# The whole suite again on Node 24 (24.22.3, pinned: the LTS line most new deployments run), where
# AsyncLocalStorage is built on AsyncContextFrame instead of async_hooks, so request context
# propagates by other rules; CI itself runs on Node 20. In a temporary copy of the repository on
# that Node (.ci/copy-on-node.sh), with better-sqlite3 rebuilt for it from source against that
# binary's own headers (build-essential and python3, from .ci/run).
set -euo pipefail
source "$(dirname "$0")/copy-on-node.sh"
copy_on_node node24-smoke 24.22.3

npm rebuild better-sqlite3 --nodedir="$work/node"
npm run build
npm test
