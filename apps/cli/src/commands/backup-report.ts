import type { BackupResult, CompressionSettings, SampleSpec, VerifyRestoreResult } from '@dbbackup/archive';
import { formatBytes } from '@dbbackup/pipeline';
import { renderKeyValues, renderTable } from '../output/render-table.js';

export interface TableVerificationReport {
  /** Cluster backups: the database the table belongs to. */
  database?: string;
  schema: string;
  name: string;
  expected_rows: number;
  actual_rows: number;
  expected_checksum: string;
  actual_checksum: string;
  checksum_ok: boolean;
  ok: boolean;
}

/** What `backup sample`, `backup cluster` and `backup single --dump-format sql` add to the document. */
export interface BackupReportExtras {
  /** backup cluster: the databases in the archive, in backup order. */
  databases?: string[];
  /** backup sample: the sample taken. */
  sample?: SampleSpec;
  /** backup single --dump-format sql (absent for archives). */
  dump_format?: 'sql';
  /** --cloud: the full URI of the uploaded archive. */
  cloud_uri?: string;
}

/**
 * The JSON document of every backup command (snake_case keys; verify_restore only with --verify-restore). `bytes`
 * and `sha256` describe the file as written.
 */
export interface BackupReport extends BackupReportExtras {
  path: string;
  bytes: number;
  sha256: string;
  /** null for a cluster backup. */
  database: string | null;
  tables: number;
  rows: number;
  duration_ms: number;
  engine: string;
  server_version: string;
  compression: CompressionSettings;
  encrypted: boolean;
  warnings: string[];
  /** `database`: the temporary database the check restored into (already dropped). */
  verify_restore?: { ok: boolean; database: string; tables: TableVerificationReport[] };
}

export function backupReport(
  result: BackupResult,
  facts: {
    engine: string;
    database: string | null;
    warnings: string[];
    verification: VerifyRestoreResult | undefined;
    extras: BackupReportExtras;
  },
): BackupReport {
  const { manifest } = result;
  return {
    path: result.path ?? '',
    bytes: result.bytes,
    sha256: result.sha256,
    database: facts.database,
    tables: result.tables,
    rows: result.rows,
    duration_ms: result.durationMs,
    engine: facts.engine,
    server_version: manifest.serverVersion,
    compression: manifest.compression,
    encrypted: manifest.encryption !== null,
    warnings: facts.warnings,
    ...facts.extras,
    ...(facts.verification
      ? {
          verify_restore: {
            ok: facts.verification.ok,
            database: facts.verification.database,
            tables: facts.verification.tables.map((table) => ({
              ...(table.database !== undefined ? { database: table.database } : {}),
              schema: table.schema,
              name: table.name,
              expected_rows: table.expectedRows,
              actual_rows: table.actualRows,
              expected_checksum: table.expectedChecksum,
              actual_checksum: table.actualChecksum,
              checksum_ok: table.expectedChecksum === table.actualChecksum,
              ok: table.ok,
            })),
          },
        }
      : {}),
  };
}

/**
 * The summary for people: path, what it holds, size, tables, rows, duration, throughput, then the verify-restore
 * table. `plainBytes`: table data for an archive, the uncompressed script for a SQL script.
 */
export function renderBackupReport(report: BackupReport, plainBytes: number): string {
  const seconds = report.duration_ms / 1000;
  const compression =
    report.compression.algorithm === 'none'
      ? 'none'
      : `${report.compression.algorithm} level ${report.compression.level}`;
  const plain = report.dump_format === 'sql' ? 'SQL' : 'table data';
  const summary = renderKeyValues([
    ['backup', report.path],
    ...describeContents(report),
    ['size', `${formatBytes(report.bytes)} (${formatBytes(plainBytes)} of ${plain}, ${compression})`],
    ['tables', report.tables],
    ['rows', report.rows.toLocaleString('en-US')],
    ['duration', `${seconds.toFixed(1)} s`],
    ['speed', seconds > 0 ? `${formatBytes(plainBytes / seconds)}/s` : '-'],
    ['encrypted', report.encrypted ? 'yes' : 'no'],
    ['sha256', report.sha256],
  ]);
  if (!report.verify_restore) return summary;
  const verdict = report.verify_restore.ok
    ? `verify-restore: all ${report.verify_restore.tables.length} tables match`
    : `verify-restore: ${report.verify_restore.tables.filter((table) => !table.ok).length} tables DIFFER`;
  const tables = renderTable(report.verify_restore.tables, [
    {
      header: 'TABLE',
      value: (table) => `${table.database !== undefined ? `${table.database}: ` : ''}${table.schema}.${table.name}`,
    },
    { header: 'ROWS EXPECTED', value: (table) => table.expected_rows, align: 'right' },
    { header: 'ROWS ACTUAL', value: (table) => table.actual_rows, align: 'right' },
    { header: 'CHECKSUM', value: (table) => (table.checksum_ok ? 'ok' : 'MISMATCH') },
    { header: 'RESULT', value: (table) => (table.ok ? 'ok' : 'FAIL') },
  ]);
  return `${summary}\n${verdict}\n${tables}`;
}

/** The lines that say what kind of backup this is, when it is not a plain archive of one database. */
function describeContents(report: BackupReport): Array<readonly [string, string]> {
  const lines: Array<readonly [string, string]> = [];
  if (report.databases) lines.push(['databases', `${report.databases.join(', ') || 'none'} (and the roles)`]);
  if (report.sample) {
    const { strategy, value } = report.sample;
    const own = strategy === 'percent' ? `${value}% of each table` : `the first ${value} rows of each table`;
    lines.push(['sample', `${own}, plus the rows they reference`]);
  }
  if (report.dump_format === 'sql') lines.push(['format', 'SQL script for psql']);
  return lines;
}
