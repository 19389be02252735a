// The MariaDB suite's commands: the benchmark database (built by ../shared/bench/make-mysql-bench.sh or reused),
// mydumper / mariadb-dump | gzip / myloader as references, and dbbackup's backup and restore.
import { join } from 'node:path';
import { ensureBenchDatabase } from './bench-database.mjs';
import { mariadbCliFlags, mariadbConnection, mariadbToolArgs, mariadbToolEnvironment } from './connections.mjs';
import { dbbackupCommand, ourRestoreCommand, prepareDbbackupArchive, restoreTargetOf } from './dbbackup-cli.mjs';
import { findExecutable, runChecked, runCheckedAsync } from './processes.mjs';
import { checkServerSetup } from './server-setup.mjs';

const TOOLS = ['mariadb', 'mariadb-dump', 'gzip', 'bash'];
const MYDUMPER_MISSING = 'not installed (apt-get install -y mydumper)';

export function createMariadbBench({ sharedDir, log }) {
  const connection = mariadbConnection();
  const env = mariadbToolEnvironment(connection);
  const toolArgs = mariadbToolArgs(connection);
  const where = `${connection.host}:${connection.port} as ${connection.user}`;
  const query = (sql, database) =>
    runChecked('mariadb', 'mariadb', [...toolArgs, '-N', '-B', '-e', sql, ...(database ? [database] : [])], {
      env,
    }).trim();
  const dropDatabase = (name) => query(`DROP DATABASE IF EXISTS \`${name}\``);
  const cli = (args, outDir) => dbbackupCommand(args, { outDir, env });
  const ourFlags = ['-d', 'mariadb', ...mariadbCliFlags(connection)];
  const hasMydumper = () => Boolean(findExecutable('mydumper', env) && findExecutable('myloader', env));

  /** A database built at this SCALE is recognised by the row counts of its two tables. */
  function isComplete(name, scale) {
    const exists = query(`SELECT count(*) FROM information_schema.schemata WHERE schema_name = '${name}'`) === '1';
    if (!exists) return false;
    try {
      const sql =
        `SELECT (SELECT count(*) FROM accounts) = ${scale * 50000}` +
        ` AND (SELECT count(*) FROM events) = ${scale * 16667}`;
      return query(sql, name) === '1';
    } catch {
      return false; // a table is missing: an interrupted build
    }
  }

  const oursBackup = (database) => ({
    id: 'ours_default',
    label: 'dbbackup backup (defaults)',
    kind: 'backup',
    ours: true,
    build: (outDir) => cli(['backup', 'single', database, ...ourFlags, '--backup-dir', outDir], outDir),
  });

  const restoreTarget = (database) => restoreTargetOf(database, dropDatabase);
  const oursRestore = (database, archive) => ourRestoreCommand({ database, archive, cli, ourFlags, dropDatabase });

  return {
    key: 'mysql',
    title: 'MariaDB',

    checkSetup() {
      return checkServerSetup({
        tools: TOOLS,
        env,
        clientPackage: 'mariadb-client',
        probe: () => query('SELECT version()'),
        server: 'MariaDB',
        where,
        connectionVariables: 'MYSQL_HOST/MYSQL_TCP_PORT/MYSQL_PWD',
      });
    },

    async ensureDatabase(scale) {
      const { name, built } = await ensureBenchDatabase({
        key: 'mysql',
        script: 'make-mysql-bench.sh',
        sharedDir,
        scale,
        env,
        log,
        isComplete,
      });
      // data_length + index_length after the script's ANALYZE TABLE: InnoDB's own figure of the space used.
      const sizeBytes = Number(
        query(`SELECT sum(data_length + index_length) FROM information_schema.tables WHERE table_schema = '${name}'`),
      );
      return { name, built, sizeBytes };
    },

    dropDatabase,

    /** Untimed: the mydumper dump myloader reads and our archive. Reading every table also warms the cache. */
    async prepareReferenceSource(database, dir) {
      if (!hasMydumper()) return null;
      const path = join(dir, 'mydumper');
      await runCheckedAsync(
        'mydumper (restore source)',
        'mydumper',
        [...toolArgs, '-B', database, '-t', '2', '-c', '-o', path],
        {
          env,
        },
      );
      return path;
    },
    prepareOursSource: (database, dir) =>
      prepareDbbackupArchive('dbbackup backup (restore source)', ['backup', 'single', database, ...ourFlags], {
        dir,
        env,
      }),

    oursBackup,
    oursRestore,

    backupCommands(database) {
      return [
        {
          id: 'mydumper',
          label: 'mydumper -t 2 -c',
          kind: 'backup',
          ours: false,
          unavailable: hasMydumper() ? undefined : MYDUMPER_MISSING,
          build: (outDir) => ({
            file: 'mydumper',
            args: [...toolArgs, '-B', database, '-t', '2', '-c', '-o', join(outDir, 'mydumper')],
            env,
          }),
        },
        {
          // pipefail: a failing mariadb-dump must fail the run, not leave a short .sql.gz that gzip made happily.
          id: 'mariadb_dump_gzip',
          label: 'mariadb-dump --single-transaction --quick | gzip',
          kind: 'backup',
          ours: false,
          build: (outDir) => ({
            file: 'bash',
            args: [
              '-c',
              'set -o pipefail; out=$1; shift; mariadb-dump "$@" | gzip > "$out"',
              'bash',
              join(outDir, `${database}.sql.gz`),
              ...toolArgs,
              '--single-transaction',
              '--quick',
              database,
            ],
            env,
          }),
        },
        oursBackup(database),
      ];
    },

    restoreCommands(database, sources) {
      const { target, before, after } = restoreTarget(database);
      let unavailable;
      if (!hasMydumper()) unavailable = MYDUMPER_MISSING;
      else if (!sources.reference) unavailable = 'no source: mydumper failed';
      return [
        {
          // myloader -B creates the database itself, as our --create does.
          id: 'myloader',
          label: 'myloader -t 2 (into a new database)',
          kind: 'restore',
          ours: false,
          unavailable,
          build: () => ({
            file: 'myloader',
            args: [...toolArgs, '-t', '2', '-d', sources.reference, '-B', target],
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
