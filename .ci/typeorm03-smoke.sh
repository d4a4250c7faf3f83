#!/usr/bin/env bash
# The TypeORM specs (SQLite, PostgreSQL, MariaDB) again on TypeORM 0.3, which the package's peer
# range (^0.3.23 || ^1.0.0) promises: on its lowest version and on the newest 0.3 release. Each
# runs in a temporary copy of the repository (sources and the installed node_modules) with typeorm
# swapped; the checkout itself is never touched. 0.3.23 declares better-sqlite3 up to 11, so it is
# installed over the repository's better-sqlite3 12 with --legacy-peer-deps.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"

for version in 0.3.23 '^0.3'; do
  work="$(mktemp -d "${TMPDIR:-/tmp}/typeorm03-smoke.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  echo "typeorm03-smoke: typeorm@$version in $work"
  bash "$repo/.ci/copy-repo.sh" "$work"
  (
    cd "$work"
    npm install --no-save --no-audit --no-fund --legacy-peer-deps "typeorm@$version"
    # Fail loudly if the swap did not take: the specs below must run on TypeORM 0.3.
    node -e '
      const { readFileSync } = require("node:fs");
      const { version } = JSON.parse(readFileSync("node_modules/typeorm/package.json", "utf8"));
      console.log("typeorm03-smoke: running with typeorm", version);
      if (!version.startsWith("0.3.")) process.exit(1);
    '
    npm test -- test/typeorm
  )
  rm -rf "$work"
  trap - EXIT
done
