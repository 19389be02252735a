#!/usr/bin/env bash
# One entry point for a fresh machine: provides Node/pnpm (scripts/ensure-toolchain.sh), installs the workspace with
# the frozen lockfile, builds it, then runs what was asked:
#   bash scripts/run.sh demo    a real backup and restore of a demo database on the local server
#   bash scripts/run.sh test    the whole test suite
#   bash scripts/run.sh bench   the benchmarks
#   bash scripts/run.sh <any pnpm arguments>
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/ensure-toolchain.sh
pnpm install --frozen-lockfile --prefer-offline --reporter=silent
pnpm run -s build >/dev/null
case "${1:-demo}" in
  demo) shift || true; exec bash scripts/demo.sh "$@" ;;
  test) exec pnpm run -s test ;;
  bench) exec pnpm run -s bench ;;
  *) exec pnpm "$@" ;;
esac
