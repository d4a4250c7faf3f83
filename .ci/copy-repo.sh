#!/usr/bin/env bash
# Copies the repository into the directory $1 for a smoke test that swaps something in a copy (a
# dependency, the Node version): sources and the installed node_modules, without .git and without
# build, sample-app or test output. The checkout itself is never touched.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
tar -C "$repo" --exclude=./.git --exclude=./dist --exclude=./data --exclude=./coverage --exclude=./test/artifacts -cf - . | tar -C "$1" -xf -
