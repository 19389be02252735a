// A child process of concurrent-writers.test.ts: waits for "go" on stdin, then opens the catalog (a new file, so
// both children also race through the schema migration) and records `cycles` backups, each begun and finished
// separately, with a verification on every fifth and an upsert of a location both children share.
import { createInterface } from 'node:readline';

const [catalogPath, writer, cyclesText] = process.argv.slice(2);
const cycles = Number(cyclesText);
const { Catalog } = await import(new URL('../../dist/index.js', import.meta.url).href);

process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) if (line === 'go') break;

const catalog = await Catalog.open(catalogPath);
try {
  for (let cycle = 0; cycle < cycles; cycle++) {
    const startedAt = new Date(Date.UTC(2026, 0, 1, 0, cycle)).toISOString();
    const record = await catalog.beginBackup({
      database: `db_${writer}`,
      engine: 'postgresql',
      host: writer,
      kind: 'single',
      format: 'archive',
      location: `/backups/${writer}/${cycle}.dbb.tar`,
      startedAt,
      encrypted: false,
      compression: 'zstd:3',
    });
    await catalog.finishBackup(record.id, {
      finishedAt: new Date(Date.parse(startedAt) + 1000).toISOString(),
      bytes: 1000 + cycle,
      sha256: String(cycle).padStart(64, '0'),
      consistency: { writer, cycle },
      serverVersion: '15.0',
      tables: 1,
      rows: cycle,
    });
    if (cycle % 5 === 0) {
      await catalog.recordVerification(record.id, { at: startedAt, result: 'passed', kind: 'verify', detail: writer });
    }
    await catalog.upsertBackup({
      database: 'shared',
      engine: 'postgresql',
      host: null,
      kind: 'single',
      format: 'archive',
      location: `/backups/shared/${cycle}.dbb.tar`,
      startedAt,
      encrypted: false,
      compression: 'zstd:3',
      status: 'success',
      bytes: cycle,
    });
  }
} finally {
  await catalog.close();
}
process.stdout.write('done\n');
