# Sourced by the smokes that run the repository on another Node (node22-smoke.sh,
# lowest-versions-smoke.sh). `copy_on_node LABEL VERSION` makes a temporary directory $work
# (removed on exit), unpacks Node VERSION into $work/node from the npm registry (node-linux-<arch>
# is the package the `node` package installs from, and the registry is all a CI machine here can
# reach), copies the repository into $work/copy, puts that Node first on PATH and enters the copy.
# The checkout itself is never touched.

copy_on_node() {
  local label="$1" version="$2" repo arch
  repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "$label: no Node binary package for $(uname -m)" >&2; exit 1 ;;
  esac
  work="$(mktemp -d "${TMPDIR:-/tmp}/$label.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "node-linux-$arch@$version" > /dev/null)
  mkdir "$work/node" "$work/copy"
  tar -xzf "$work/node-linux-$arch-$version.tgz" -C "$work/node" --strip-components=1
  echo "$label: copying $repo to $work/copy"
  bash "$repo/.ci/copy-repo.sh" "$work/copy"
  export PATH="$work/node/bin:$PATH"
  cd "$work/copy"
  # Fail loudly if the swap did not take: what follows must run on that Node.
  [ "$(node --version)" = "v$version" ] || { echo "$label: node is $(node --version), not v$version" >&2; exit 1; }
  echo "$label: running with node $(node --version)"
}
