import type { Command } from 'commander';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { databaseSourceUri } from '../../dedup-io/database-source-uri.js';
import { resolveDedupLocation } from '../../dedup-io/dedup-location.js';
import { dumpIntoStore } from '../../dedup-io/dump-into-store.js';
import { withDedupStore } from '../../dedup-io/open-dedup-store.js';
import { engineOperation } from '../../engines/engine-operation.js';
import { operationOptions } from '../../engines/operation-options.js';
import { selectEngineForDbType } from '../../engines/select-engine.js';
import { counted } from '../../output/counted.js';
import { runInterruptible } from '../guarded-write.js';
import { type DedupBackupReport, dedupBackupReport, renderDedupBackupReport } from './dedup-backup-report.js';
import { refuseDryRun } from './dedup-dry-run.js';
import { addDedupDirOption, dedupStoreOptions } from './dedup-store-option.js';

/** The JSON document of `dedup backup-db`: dedup backup's, plus what the engine reports about the dump. */
interface DedupBackupDbReport extends DedupBackupReport {
  server_version: string;
  tables: number;
  rows: number;
  warnings: string[];
}

/** `dbbackup dedup backup-db DB --db-type T`: the engine's plain SQL script of DB, streamed into the store. */
export function registerDedupBackupDb(dedup: Command): void {
  const command = dedup
    .command('backup-db')
    .description(
      "dump a database (one consistent snapshot, rows in primary-key order so that consecutive days share chunks) as the engine's plain SQL script straight into the store; restore the script with psql or the mariadb/mysql client",
    )
    .argument('<database>', 'the database to back up');
  addDedupDirOption(command);
  addExamples(command, [
    {
      description: 'a PostgreSQL database into a local store (run daily: each run adds what changed)',
      command: 'dbbackup dedup backup-db shop --db-type postgres --host db1 --dedup-dir /srv/dedup',
    },
    {
      description: 'a MariaDB database into an encrypted store in S3',
      command:
        'dbbackup dedup backup-db shop --db-type mariadb --user backup --cloud s3://backups/dedup/ --encryption-key-file /etc/dbbackup/dedup.key',
    },
    {
      description: 'restore the latest snapshot into a new PostgreSQL database',
      command: 'dbbackup dedup restore latest - --dedup-dir /srv/dedup | psql -X -v ON_ERROR_STOP=1 -d shop_copy',
    },
  ]);
  command.action(commandAction((context, database: string) => dedupBackupDb(context, database)));
}

async function dedupBackupDb(context: CommandContext, database: string): Promise<void> {
  const options = context.options(dedupStoreOptions);
  refuseDryRun(context, 'backup-db');
  const location = resolveDedupLocation(context, options.dedupDir, 'backup-db');
  const selected = await selectEngineForDbType(context.config.dbType);
  const writeSqlScript = engineOperation(selected, 'writeSqlScript');
  const engineOptions = operationOptions(context, 'dedup backup-db');
  // First, so an unreachable server fails before a store is created or locked.
  const server = await selected.engine.serverVersion(engineOptions.connection);
  const source = databaseSourceUri(selected.name, engineOptions.connection, database);

  const report = await withDedupStore(context, { location, create: true }, (store, created) =>
    runInterruptible(context, async (signal) => {
      const startedAt = performance.now();
      try {
        const { script, backup } = await dumpIntoStore({
          store,
          writeSqlScript,
          script: { ...engineOptions, database },
          snapshot: {
            source,
            database,
            engine: selected.name,
            meta: { server_version: server.version, format: 'sql', row_order: 'primary key' },
          },
          signal,
        });
        return {
          ...dedupBackupReport(store, created, backup, startedAt),
          server_version: server.version,
          tables: script.tables,
          rows: script.rows,
          warnings: script.warnings,
        } satisfies DedupBackupDbReport;
      } finally {
        context.progress.stop();
      }
    }),
  );
  for (const warning of report.warnings) context.logger.warn(warning);
  context.output.result(report, (document) =>
    renderDedupBackupReport(document, [
      ['database', `${document.database} (${document.engine} ${document.server_version})`],
      ['contents', `${counted(document.tables, 'table')}, ${counted(document.rows, 'row')}`],
    ]),
  );
  await context.saveConfigAfterSuccess();
}
