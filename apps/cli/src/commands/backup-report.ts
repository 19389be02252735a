import type { BackupResult, CompressionSettings, VerifyRestoreResult } from '@dbbackup/archive';
import { formatBytes } from '@dbbackup/pipeline';
import { renderKeyValues, renderTable } from '../output/render-table.js';

export interface TableVerificationReport {
  schema: string;
  name: string;
  expected_rows: number;
  actual_rows: number;
  expected_checksum: string;
  actual_checksum: string;
  checksum_ok: boolean;
  ok: boolean;
}

/** The JSON document of `backup single` (snake_case keys; verify_restore only with --verify-restore). */
export interface BackupReport {
  path: string;
  bytes: number;
  sha256: string;
  database: string;
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
  facts: { engine: string; database: string; warnings: string[]; verification: VerifyRestoreResult | undefined },
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
    ...(facts.verification
      ? {
          verify_restore: {
            ok: facts.verification.ok,
            database: facts.verification.database,
            tables: facts.verification.tables.map((table) => ({
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

/** The summary for people: path, size, tables, rows, duration, throughput, then the verify-restore table. */
export function renderBackupReport(report: BackupReport, dataBytes: number): string {
  const seconds = report.duration_ms / 1000;
  const compression =
    report.compression.algorithm === 'none'
      ? 'none'
      : `${report.compression.algorithm} level ${report.compression.level}`;
  const summary = renderKeyValues([
    ['backup', report.path],
    ['size', `${formatBytes(report.bytes)} (${formatBytes(dataBytes)} of table data, ${compression})`],
    ['tables', report.tables],
    ['rows', report.rows.toLocaleString('en-US')],
    ['duration', `${seconds.toFixed(1)} s`],
    ['speed', seconds > 0 ? `${formatBytes(dataBytes / seconds)}/s` : '-'],
    ['encrypted', report.encrypted ? 'yes' : 'no'],
    ['sha256', report.sha256],
  ]);
  if (!report.verify_restore) return summary;
  const verdict = report.verify_restore.ok
    ? `verify-restore: all ${report.verify_restore.tables.length} tables match`
    : `verify-restore: ${report.verify_restore.tables.filter((table) => !table.ok).length} tables DIFFER`;
  const tables = renderTable(report.verify_restore.tables, [
    { header: 'TABLE', value: (table) => `${table.schema}.${table.name}` },
    { header: 'ROWS EXPECTED', value: (table) => table.expected_rows, align: 'right' },
    { header: 'ROWS ACTUAL', value: (table) => table.actual_rows, align: 'right' },
    { header: 'CHECKSUM', value: (table) => (table.checksum_ok ? 'ok' : 'MISMATCH') },
    { header: 'RESULT', value: (table) => (table.ok ? 'ok' : 'FAIL') },
  ]);
  return `${summary}\n${verdict}\n${tables}`;
}
