#!/usr/bin/env bash
# Unpacks Node $1 into the directory $2 (bin/node, bin/npm, include/node for native rebuilds) from
# the npm registry: node-linux-<arch> is the package the `node` package installs from, and the
# registry is all a CI machine here can reach.
set -euo pipefail
version="$1"
dir="$2"
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "node-binary: no Node binary package for $(uname -m)" >&2; exit 1 ;;
esac
scratch="$(mktemp -d "${TMPDIR:-/tmp}/node-binary.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
(cd "$scratch" && npm pack --silent "node-linux-$arch@$version" > /dev/null)
mkdir -p "$dir"
tar -xzf "$scratch/node-linux-$arch-$version.tgz" -C "$dir" --strip-components=1
