// `pnpm bench` options. Plain node:util parseArgs: no dependency, and unknown options are errors, not ignored.
import { parseArgs } from 'node:util';
import { BenchUsageError } from './errors.mjs';

export const SUITES = ['pipeline', 'dedup', 'pg', 'mysql'];
export const DATABASE_SUITES = ['pg', 'mysql'];

export const HELP = `Usage: pnpm bench [options] [suite...]

Benchmarks dbbackup against the tools a user would otherwise pick, side by side in one run, and prints markdown
tables (progress goes to stderr). The database suites write bench/results/<UTC date-time>.json.

Suites (default: all):
  pipeline   compression/encryption/hash stages of @dbbackup/pipeline (in-process)
  dedup      the FastCDC chunker of @dbbackup/dedup-store (in-process)
  pg         PostgreSQL: pg_dump -Fc, pg_dump -Fd -j2, psql \\copy of every table (the COPY-out limit) and
             pg_restore -j2, against dbbackup backup (defaults and gzip) and restore --jobs 2
  mysql      MariaDB: mydumper -t 2 -c, mariadb-dump | gzip and myloader -t 2, against dbbackup backup and
             restore --jobs 2

Options:
  --only <suite>    run only this suite (repeatable, or comma-separated; a bare suite name works too)
  --scale <n>       SCALE of the benchmark databases (default 60; dbbackup_bench_s<n>, built by
                    ../shared/bench/make-pg-bench.sh and make-mysql-bench.sh, reused when complete)
  --runs <n>        runs per command, interleaved with its references; the median is reported (default 2)
  --scaling         also measure dbbackup's backup and restore at each of --scales
  --scales <list>   SCALEs for --scaling (default 15,60,120)
  --keep            keep the benchmark databases for the next run (the default: building them is the slow part)
  --no-keep         drop the benchmark databases this run used when it ends
  -h, --help        show this help

Connection: PGHOST/PGPORT/PGUSER/PGPASSWORD (default 127.0.0.1:5432, postgres) and MYSQL_HOST/MYSQL_TCP_PORT/
MYSQL_PWD (default 127.0.0.1:3306, root, no password). Needs the built CLI (pnpm turbo run build --filter
@dbbackup/cli...) and GNU time at /usr/bin/time for peak RSS (Debian package "time"); mydumper/myloader are
optional (Debian package "mydumper": without it those rows say "not installed").

Examples:
  pnpm bench --only pg --runs 3
  pnpm bench --only pg --only mysql --scale 15 --scaling --scales 15,60
`;

function positiveInteger(name, text) {
  if (!/^[1-9]\d*$/.test(text)) throw new BenchUsageError(`--${name} must be a positive integer, got "${text}"`);
  return Number(text);
}

/** Returns the options, or { help: true }; throws BenchUsageError for anything it does not understand. */
export function parseOptions(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      // pnpm passes a literal "--" through when it is given one (`pnpm bench -- --only pg`).
      args: argv.filter((arg) => arg !== '--'),
      allowPositionals: true,
      allowNegative: true,
      options: {
        only: { type: 'string', multiple: true },
        scale: { type: 'string', default: '60' },
        runs: { type: 'string', default: '2' },
        scaling: { type: 'boolean', default: false },
        scales: { type: 'string', default: '15,60,120' },
        keep: { type: 'boolean', default: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new BenchUsageError(error.message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const named = [...(values.only ?? []).flatMap((value) => value.split(',')), ...positionals].filter(Boolean);
  const unknown = named.find((name) => !SUITES.includes(name));
  if (unknown) throw new BenchUsageError(`unknown suite "${unknown}"; known suites: ${SUITES.join(', ')}`);
  const only = named.length > 0 ? SUITES.filter((suite) => named.includes(suite)) : SUITES;
  const scaling = values.scaling;
  if (scaling && !only.some((suite) => DATABASE_SUITES.includes(suite))) {
    throw new BenchUsageError('--scaling measures the pg and mysql suites; select at least one of them');
  }
  return {
    help: false,
    only,
    scale: positiveInteger('scale', values.scale),
    runs: positiveInteger('runs', values.runs),
    scaling,
    scales: [...new Set(values.scales.split(',').map((text) => positiveInteger('scales', text.trim())))],
    keep: values.keep,
  };
}
