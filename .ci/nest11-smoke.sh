#!/usr/bin/env bash
# The specs that run against NestJS itself, again on NestJS 11: API tracking on Express and
# Fastify (end to end and its parts), microservices, gateways and GraphQL, the decorators, the
# module, health, the TypeORM module and the sample app. In a temporary copy of the repository
# (sources and the installed node_modules), every @nestjs/* package is swapped for its NestJS 11
# line, then the copy is built and those specs run there. The checkout itself is never touched. @nestjs/config has no 11.x: its NestJS
# 11 line is 4.x; @nestjs/graphql's, @nestjs/apollo's and @nestjs/mercurius's is 13.x.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/nest11-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "nest11-smoke: copying $repo to $work"
bash "$repo/.ci/copy-repo.sh" "$work"
cd "$work"

npm install --no-save --no-audit --no-fund \
  '@nestjs/common@^11' '@nestjs/core@^11' '@nestjs/platform-express@^11' '@nestjs/platform-fastify@^11' \
  '@nestjs/testing@^11' '@nestjs/config@^4' '@nestjs/typeorm@^11' '@nestjs/terminus@^11' \
  '@nestjs/microservices@^11' '@nestjs/websockets@^11' '@nestjs/platform-ws@^11' '@nestjs/platform-socket.io@^11' \
  '@nestjs/graphql@^13' '@nestjs/apollo@^13' '@nestjs/mercurius@^13'

# Fail loudly if the swap did not take: the test below must run on NestJS 11.
node -e '
  const major = (name) => Number(require(`${name}/package.json`).version.split(".")[0]);
  const versions = Object.fromEntries(["@nestjs/common", "@nestjs/core", "@nestjs/platform-express", "@nestjs/typeorm", "@nestjs/terminus", "@nestjs/config", "@nestjs/microservices", "@nestjs/websockets", "@nestjs/graphql"].map((n) => [n, require(`${n}/package.json`).version]));
  console.log("nest11-smoke: running with", versions);
  if (["@nestjs/common", "@nestjs/core", "@nestjs/platform-express", "@nestjs/microservices", "@nestjs/websockets"].some((n) => major(n) !== 11)) process.exit(1);
'

npm run build
npm test -- test/e2e test/http test/decorators test/module test/health test/typeorm test/sample-app
