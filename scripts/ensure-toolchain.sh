#!/usr/bin/env bash
# Makes sure a Node >= 22.15 and the pinned pnpm are on PATH, installing them into ./.tools (git-ignored) from the
# npm registry when the machine's own are too old. Source it (`. scripts/ensure-toolchain.sh`) so PATH carries over.
# Why: the machines ship Node 20 (end of life); node:zlib has zstd and better-sqlite3 ships prebuilt binaries only
# from Node 22.15 on. The `node` registry package brings the binary itself, so nothing downloads from elsewhere.

_repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_tools="$_repo_root/.tools"
_pnpm_version=$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$_repo_root/package.json")

_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=15)?0:1)'
}

export PATH="$_tools/node_modules/.bin:$PATH"
if ! _node_ok; then
  echo "ensure-toolchain: installing Node 24 into .tools (the machine's node is $(node --version 2>/dev/null || echo missing))" >&2
  npm install --prefix "$_tools" --no-audit --no-fund --loglevel=error node@24 >&2
  hash -r
fi
if [ "$(pnpm --version 2>/dev/null || true)" != "$_pnpm_version" ]; then
  echo "ensure-toolchain: installing pnpm $_pnpm_version into .tools" >&2
  npm install --prefix "$_tools" --no-audit --no-fund --loglevel=error "pnpm@$_pnpm_version" >&2
  hash -r
fi
_node_ok || { echo "ensure-toolchain: Node >= 22.15 is still not on PATH; install Node 24 and retry" >&2; exit 1; }
export UV_THREADPOOL_SIZE=${UV_THREADPOOL_SIZE:-$(( $(nproc) > 4 ? $(nproc) : 4 ))}
