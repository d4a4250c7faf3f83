#!/usr/bin/env bash
# The whole suite again on Node 22.12.0, the lowest Node 22 the package's engines accept
# (^20.19.0 || >=22.12.0); CI itself runs on Node 20. In a temporary copy of the repository on
# that Node (.ci/copy-on-node.sh), with better-sqlite3 rebuilt for it from source against that
# binary's own headers (build-essential and python3, from .ci/run).
set -euo pipefail
source "$(dirname "$0")/copy-on-node.sh"
copy_on_node node22-smoke 22.12.0

npm rebuild better-sqlite3 --nodedir="$work/node"
npm run build
npm test
