#!/usr/bin/env node
// Older Node versions fail later in confusing ways (no zstd in node:zlib; better-sqlite3's binary is built for a
// newer ABI and can crash the process), so say what is needed before loading anything.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 15)) {
  process.stderr.write(
    `dbbackup: needs Node.js 22.15 or newer, this is ${process.versions.node}; install Node 24 LTS (in this repository: . scripts/ensure-toolchain.sh)\n`,
  );
  process.exit(2);
}
// V8's code cache on disk (NODE_COMPILE_CACHE, else the temp directory): the modules of a command are compiled
// once, not at every start (about a tenth of a second of each run).
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
// A committed launcher, so the `dbbackup` bin link exists right after install, before the first build.
// With --debug, stack traces point into src/*.ts: source maps must be on before the bundle loads, hence the
// dynamic import (the map ships next to dist/main.js).
if (process.argv.includes('--debug') || /^(1|true|yes|on)$/i.test(process.env.DBBACKUP_DEBUG ?? '')) {
  process.setSourceMapsEnabled(true);
}
await import('../dist/main.js');
