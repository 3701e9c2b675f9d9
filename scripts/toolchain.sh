#!/usr/bin/env bash
# Makes a supported toolchain available and puts it first on PATH. Sourced by ./pnpmw and .ci/run.
#   Node >= 22.12: the system one when new enough, otherwise Node 22 LTS from the npm registry
#                  (package node-linux-<arch>) into .tools/node — the machine's only route to a Node binary.
#   pnpm:          the version pinned in package.json "packageManager", from the npm registry into .tools/pnpm.
# Idempotent and quiet when everything is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_PACKAGE_VERSION="22.23.3"
PNPM_VERSION="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$ROOT/package.json")"

die() { echo "toolchain: $*" >&2; exit 1; }

node_is_supported() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [M,m]=process.versions.node.split(".").map(Number); process.exit(M>22||(M===22&&m>=12)?0:1)'
}

if ! node_is_supported; then
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) die "no Node package for architecture $(uname -m); install Node >= 22.12 yourself" ;;
  esac
  node_bin="$TOOLS/node/node_modules/node-linux-$arch/bin"
  if [ ! -x "$node_bin/node" ]; then
    command -v npm >/dev/null 2>&1 || die "neither Node >= 22.12 nor npm (to fetch it) is installed"
    echo "toolchain: installing Node $NODE_PACKAGE_VERSION (node-linux-$arch from the npm registry) into .tools/node" >&2
    npm install --silent --no-save --no-audit --no-fund --prefix "$TOOLS/node" "node-linux-$arch@$NODE_PACKAGE_VERSION" >&2 \
      || die "npm could not install node-linux-$arch@$NODE_PACKAGE_VERSION"
  fi
  export PATH="$node_bin:$PATH"
  node_is_supported || die "Node at $node_bin is not >= 22.12"
fi

[ -n "$PNPM_VERSION" ] || die "package.json has no packageManager pnpm@<version>"
if ! { command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; }; then
  pnpm_bin="$TOOLS/pnpm/node_modules/.bin"
  if [ ! -x "$pnpm_bin/pnpm" ] || [ "$("$pnpm_bin/pnpm" --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
    echo "toolchain: installing pnpm $PNPM_VERSION into .tools/pnpm" >&2
    npm install --silent --no-save --no-audit --no-fund --prefix "$TOOLS/pnpm" "pnpm@$PNPM_VERSION" >&2 \
      || die "npm could not install pnpm@$PNPM_VERSION"
  fi
  export PATH="$pnpm_bin:$PATH"
fi
export COREPACK_ENABLE_STRICT=0
