#!/usr/bin/env bash
# A `nest new` app's own tests: Jest in CommonJS mode (ts-jest), the default of every NestJS
# project. Before Node 24.9 Jest cannot require() an ES module, so the app lets ts-jest compile
# this package to CommonJS (the two settings in .ci/package-smoke/app/jest.config.json, which the
# README gives users). Packs the built dist/ (run `npm run build` first) and runs
# .ci/package-smoke/app/test against it on NestJS 11.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/jest-cjs-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT

[ -f "$repo/dist/lib/index.js" ] || { echo "jest-cjs-smoke: no dist/lib: run npm run build first" >&2; exit 1; }
tarball="$work/$(cd "$repo" && npm pack --silent --pack-destination "$work" | tail -n 1)"
cp -r "$repo/.ci/package-smoke/app" "$work/app"
cd "$work/app"
echo '{ "name": "jest-cjs-smoke-app", "private": true }' > package.json
npm install --no-audit --no-fund --loglevel=error \
  '@nestjs/common@^11' '@nestjs/core@^11' '@nestjs/testing@^11' reflect-metadata 'rxjs@^7' \
  'typescript@^5.8' '@types/node@^20' 'jest@^30' 'ts-jest@^29' '@types/jest@^30' "$tarball"
npx jest --config jest.config.json
