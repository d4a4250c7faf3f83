#!/usr/bin/env bash
# The package as a user installs it. Packs the built dist/ (run `npm run build` first), checks
# what the tarball holds (.ci/package-smoke/check-tarball.mjs), then installs it into a fresh
# NestJS 11 app with none of the optional peers (typeorm, pg, better-sqlite3, @nestjs/terminus,
# @nestjs/typeorm) and with the TypeScript 5 that `nest new` brings, and builds and runs that app
# as CommonJS (`module: commonjs`, the node10 resolution of `nest new`; and `module: nodenext`)
# and as ESM, and type-checks every entry point under node10, node16, nodenext and bundler.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
fixture="$repo/.ci/package-smoke"
work="$(mktemp -d "${TMPDIR:-/tmp}/package-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT

[ -f "$repo/dist/lib/index.js" ] || { echo "package-smoke: no dist/lib: run npm run build first" >&2; exit 1; }
tarball="$work/$(cd "$repo" && npm pack --silent --pack-destination "$work" | tail -n 1)"
node "$fixture/check-tarball.mjs" "$tarball"

app="$work/app"
cp -r "$fixture/app" "$app"
cd "$app"
echo '{ "name": "package-smoke-app", "private": true }' > package.json
npm install --no-audit --no-fund --loglevel=error \
  '@nestjs/common@^11' '@nestjs/core@^11' '@nestjs/platform-express@^11' reflect-metadata 'rxjs@^7' \
  'typescript@^5.8' '@types/node@^20' "$tarball"

node -e '
  const optional = ["typeorm", "pg", "better-sqlite3", "@nestjs/terminus", "@nestjs/typeorm"];
  const present = optional.filter((name) => { try { require.resolve(`${name}/package.json`); return true; } catch { return false; } });
  if (present.length > 0) { console.error(`package-smoke: optional peers installed after all: ${present}`); process.exit(1); }
'

step() { echo "package-smoke: $1"; shift; "$@"; }
step 'CommonJS app, module commonjs (moduleResolution node10)' npx tsc -p tsconfig.json
step 'runs' node dist/main.js
step 'CommonJS app, module nodenext' npx tsc -p tsconfig.nodenext.json
step 'runs' node dist-nodenext/main.js

mkdir -p esm
cp -r src esm/src
echo '{ "type": "module" }' > esm/package.json
step 'ESM app, module nodenext' npx tsc -p tsconfig.esm.json
step 'runs' node esm/dist/main.js
step 'ESM app, types under node16' npx tsc -p tsconfig.esm.json --module node16 --moduleResolution node16 --noEmit
step 'types under moduleResolution bundler' npx tsc -p tsconfig.bundler.json
echo 'package-smoke: all passed'
