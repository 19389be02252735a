#!/usr/bin/env node
// A committed launcher, so the `dbbackup` bin link exists right after install, before the first build.
// With --debug, stack traces point into src/*.ts: source maps must be on before the bundle loads, hence the
// dynamic import (the map ships next to dist/main.js).
if (process.argv.includes('--debug') || /^(1|true|yes|on)$/i.test(process.env.DBBACKUP_DEBUG ?? '')) {
  process.setSourceMapsEnabled(true);
}
await import('../dist/main.js');
