// The PostgreSQL suite's commands: the benchmark database (built by ../shared/bench/make-pg-bench.sh or reused),
// pg_dump / psql \copy / pg_restore as references, and dbbackup's backup and restore.
import { join } from 'node:path';
import { ensureBenchDatabase } from './bench-database.mjs';
import { postgresCliFlags, postgresConnection, postgresToolEnvironment } from './connections.mjs';
import { dbbackupCommand, ourRestoreCommand, prepareDbbackupArchive, restoreTargetOf } from './dbbackup-cli.mjs';
import { runChecked, runCheckedAsync } from './processes.mjs';
import { checkServerSetup } from './server-setup.mjs';

const TOOLS = ['psql', 'pg_dump', 'pg_restore', 'createdb', 'dropdb', 'pgbench'];

export function createPostgresBench({ sharedDir, log }) {
  const connection = postgresConnection();
  const env = postgresToolEnvironment(connection);
  const where = `${connection.host}:${connection.port} as ${connection.user}`;
  const query = (database, sql) =>
    runChecked(`psql on ${database}`, 'psql', ['-XAtq', '-v', 'ON_ERROR_STOP=1', '-d', database, '-c', sql], {
      env,
    }).trim();
  // --force (PostgreSQL 13+) ends the sessions of a restore that was interrupted, which would block a plain DROP.
  const dropDatabase = (name) => runChecked(`dropdb ${name}`, 'dropdb', ['--if-exists', '--force', name], { env });
  const cli = (args, outDir) => dbbackupCommand(args, { outDir, env });
  const ourFlags = ['-d', 'postgres', ...postgresCliFlags(connection)];

  /** A database built at this SCALE is recognised by its row counts and its three events indexes (built last). */
  function isComplete(name, scale) {
    const exists = query('postgres', `SELECT count(*) FROM pg_database WHERE datname = '${name}'`) === '1';
    if (!exists) return false;
    try {
      const sql =
        `SELECT (SELECT count(*) FROM pgbench_accounts) = ${scale * 100000}` +
        ` AND (SELECT count(*) FROM pgbench_branches) = ${scale}` +
        ` AND (SELECT count(*) FROM events) = ${scale * 33333}` +
        ` AND (SELECT count(*) FROM pg_indexes WHERE tablename = 'events') = 3`;
      return query(name, sql) === 't';
    } catch {
      return false; // a table is missing: an interrupted build
    }
  }

  const oursBackup = (database, { id, label, extraArgs }) => ({
    id,
    label,
    kind: 'backup',
    ours: true,
    build: (outDir) => cli(['backup', 'single', database, ...ourFlags, '--backup-dir', outDir, ...extraArgs], outDir),
  });

  const restoreTarget = (database) => restoreTargetOf(database, dropDatabase);
  const oursRestore = (database, archive) => ourRestoreCommand({ database, archive, cli, ourFlags, dropDatabase });

  return {
    key: 'pg',
    title: 'PostgreSQL',

    checkSetup() {
      return checkServerSetup({
        tools: TOOLS,
        env,
        clientPackage: 'postgresql-client',
        probe: () => query('postgres', 'SHOW server_version'),
        server: 'PostgreSQL',
        where,
        connectionVariables: 'PGHOST/PGPORT/PGUSER',
      });
    },

    async ensureDatabase(scale) {
      const { name, built } = await ensureBenchDatabase({
        key: 'pg',
        script: 'make-pg-bench.sh',
        sharedDir,
        scale,
        env,
        log,
        isComplete,
      });
      const sizeBytes = Number(query(name, 'SELECT pg_database_size(current_database())'));
      return { name, built, sizeBytes };
    },

    dropDatabase,

    /** Untimed: the pg_dump -Fd dump pg_restore reads and our archive. Reading every table also warms the cache. */
    prepareReferenceSource: async (database, dir) => {
      const path = join(dir, 'pg_dump-directory');
      await runCheckedAsync('pg_dump -Fd -j 2 (restore source)', 'pg_dump', ['-Fd', '-j', '2', '-f', path, database], {
        env,
      });
      return path;
    },
    prepareOursSource: (database, dir) =>
      prepareDbbackupArchive('dbbackup backup (restore source)', ['backup', 'single', database, ...ourFlags], {
        dir,
        env,
      }),

    oursBackup: (database) =>
      oursBackup(database, { id: 'ours_default', label: 'dbbackup backup (defaults)', extraArgs: [] }),
    oursRestore,

    backupCommands(database) {
      const tables = query(
        database,
        "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables" +
          " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
      ).split('\n');
      return [
        {
          id: 'pg_dump_fc',
          label: 'pg_dump -Fc',
          kind: 'backup',
          ours: false,
          build: (outDir) => ({
            file: 'pg_dump',
            args: ['-Fc', '-f', join(outDir, `${database}.dump`), database],
            env,
          }),
        },
        {
          id: 'pg_dump_fd_j2',
          label: 'pg_dump -Fd -j2',
          kind: 'backup',
          ours: false,
          build: (outDir) => ({
            file: 'pg_dump',
            args: ['-Fd', '-j', '2', '-f', join(outDir, database), database],
            env,
          }),
        },
        {
          // One psql session running \copy for every table in turn: how fast the server hands out rows through one
          // connection, with no compression and no writing. The sum of a sequential run, not a parallel one.
          id: 'copy_out_limit',
          label: 'COPY-out limit (psql \\copy of every table to /dev/null, one session, in turn)',
          kind: 'limit',
          ours: false,
          build: () => ({
            file: 'psql',
            args: [
              '-X',
              '-q',
              '-v',
              'ON_ERROR_STOP=1',
              '-d',
              database,
              ...tables.flatMap((table) => ['-c', `\\copy ${table} to /dev/null`]),
            ],
            env,
          }),
        },
        oursBackup(database, { id: 'ours_default', label: 'dbbackup backup (defaults)', extraArgs: [] }),
        oursBackup(database, {
          id: 'ours_gzip',
          label: 'dbbackup backup --compression-algorithm gzip',
          extraArgs: ['--compression-algorithm', 'gzip'],
        }),
      ];
    },

    restoreCommands(database, sources) {
      const { target, before, after } = restoreTarget(database);
      return [
        {
          // createdb is inside the timing because our --create is inside ours.
          id: 'pg_restore_j2',
          label: 'pg_restore -j2 (directory format, createdb first)',
          kind: 'restore',
          ours: false,
          unavailable: sources.reference ? undefined : 'no source: pg_dump -Fd failed',
          build: () => ({
            file: 'sh',
            args: ['-c', 'createdb -- "$1" && exec pg_restore -j 2 -d "$1" "$2"', 'sh', target, sources.reference],
            env,
          }),
          before,
          after,
        },
        oursRestore(database, sources.ours),
      ];
    },
  };
}
