#!/usr/bin/env bash
# The whole suite again on Node 22.12.0, the lowest Node 22 the package's engines accept
# (^20.19.0 || >=22.12.0); CI itself runs on Node 20. The binary comes from the npm registry
# (.ci/node-binary.sh), and better-sqlite3 is rebuilt for it from source against that binary's
# own headers (build-essential and python3, from .ci/run), in a temporary copy of the repository.
# The checkout itself is never touched.
set -euo pipefail

version=22.12.0
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/node22-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT

bash "$repo/.ci/node-binary.sh" "$version" "$work/node"
mkdir "$work/copy"
echo "node22-smoke: copying $repo to $work/copy"
bash "$repo/.ci/copy-repo.sh" "$work/copy"

export PATH="$work/node/bin:$PATH"
cd "$work/copy"
# Fail loudly if the swap did not take: the suite below must run on that Node.
[ "$(node --version)" = "v$version" ] || { echo "node22-smoke: node is $(node --version), not v$version" >&2; exit 1; }
echo "node22-smoke: running with node $(node --version)"
npm rebuild better-sqlite3 --nodedir="$work/node"
npm run build
npm test
