#!/usr/bin/env node
// Older Node versions fail later in confusing ways (better-sqlite3's binary is built for a newer ABI and can crash
// the process), so say what is needed before loading anything.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 15)) {
  process.stderr.write(
    `dbbackup-exporter: needs Node.js 22.15 or newer, this is ${process.versions.node}; install Node 24 LTS (in this repository: . scripts/ensure-toolchain.sh)\n`,
  );
  process.exit(2);
}
// A committed launcher, so the bin link exists right after install, before the first build.
await import('../dist/main.js');
