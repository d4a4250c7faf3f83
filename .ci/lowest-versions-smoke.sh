#!/usr/bin/env bash
# The whole suite on the lowest versions the package accepts, all at once: Node 20.19.0 (engines)
# and the lower bound of every peer range in package.json: NestJS 11.0.7, rxjs 7.1.0,
# reflect-metadata 0.1.13, TypeORM 0.3.23 with @nestjs/typeorm 11.0.0, @nestjs/terminus 11.0.0,
# pg 8.11.0 and better-sqlite3 12.0.0 (rebuilt from source for that Node, as in node22-smoke.sh).
# The packages that are not peers follow NestJS: its adapters, transports and testing at 11.0.7,
# @nestjs/config 4.0.0 (its line for NestJS 11) for the sample app, and @nestjs/graphql,
# @nestjs/apollo and @nestjs/mercurius on their NestJS 11 line. Keep this list in step with
# package.json's ranges. In a temporary copy of the repository on that Node (.ci/copy-on-node.sh).
set -euo pipefail

source "$(dirname "$0")/copy-on-node.sh"
copy_on_node lowest-versions-smoke 20.19.0

nest=11.0.7
versions=(
  "@nestjs/common@$nest" "@nestjs/core@$nest" "@nestjs/platform-express@$nest" "@nestjs/platform-fastify@$nest"
  "@nestjs/testing@$nest" "@nestjs/microservices@$nest" "@nestjs/websockets@$nest" "@nestjs/platform-ws@$nest"
  "@nestjs/platform-socket.io@$nest"
  @nestjs/config@4.0.0 @nestjs/typeorm@11.0.0 @nestjs/terminus@11.0.0
  rxjs@7.1.0 reflect-metadata@0.1.13 typeorm@0.3.23 pg@8.11.0 better-sqlite3@12.0.0
)
# GraphQL for the GraphQL specs: its NestJS 11 line, whose first releases need Apollo Server 4.
companions=('@nestjs/graphql@^13' '@nestjs/apollo@^13' '@nestjs/mercurius@^13')
# Built before the swap: rxjs publishes no types for `module: nodenext` before 7.5.5 (README).
npm run build
npm install --no-save --no-audit --no-fund --legacy-peer-deps --ignore-scripts "${versions[@]}" "${companions[@]}"
npm rebuild better-sqlite3 --nodedir="$work/node"

# Fail loudly if a swap did not take: the suite below must run on exactly these versions.
node -e '
  const { readFileSync } = require("node:fs");
  const wanted = process.argv.slice(1).map((spec) => [spec.slice(0, spec.lastIndexOf("@")), spec.slice(spec.lastIndexOf("@") + 1)]);
  const wrong = wanted.filter(([name, version]) => JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")).version !== version);
  console.log("lowest-versions-smoke: running with", process.argv.slice(1).join(" "));
  if (wrong.length > 0) { console.error("lowest-versions-smoke: not installed as expected:", wrong); process.exit(1); }
' "${versions[@]}"
npm test
