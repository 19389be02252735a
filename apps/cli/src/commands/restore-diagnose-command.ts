import {
  type ArchiveDiagnosis,
  type DiagnosisCheck,
  type DumpInspection,
  detectDumpKind,
  diagnoseArchive,
  inspectDumpFile,
  type RandomAccessSource,
  type RowVerifierFactory,
  readArchiveHeader,
} from '@dbbackup/archive';
import { formatBytes } from '@dbbackup/pipeline';
import type { Command } from 'commander';
import { z } from 'zod';
import { commandAction } from '../cli/command-action.js';
import type { CommandContext } from '../cli/command-context.js';
import { addExamples } from '../cli/help-examples.js';
import { openCloudArchiveSource } from '../cloud-io/cloud-archive-source.js';
import { isCloudLocation, resolveBackupLocation } from '../cloud-io/cloud-object.js';
import { selectEngineForArchive } from '../engines/select-engine.js';
import { CliError } from '../errors/cli-errors.js';
import { archiveKeyProvider } from '../keys/archive-key-provider.js';
import { renderKeyValues, renderTable } from '../output/render-table.js';

const restoreDiagnoseOptions = z.object({ deep: z.boolean().optional() });

/** One check as printed (snake_case, like every JSON document of the CLI). */
interface CheckRow {
  check: string;
  member: string | null;
  table: string | null;
  database: string | null;
  status: 'ok' | 'failed' | 'skipped';
  detail: string;
}

/** The JSON document of `restore diagnose` for a dbbackup archive. */
interface ArchiveDiagnosisReport {
  path: string;
  type: 'dbbackup-archive';
  ok: boolean;
  incomplete: boolean;
  deep: boolean;
  engine: string | null;
  database: string | null;
  /** null when the manifest could not be read. */
  cluster: boolean | null;
  encrypted: boolean;
  members: number;
  damaged: string[];
  damaged_members: Array<{ member: string; table: string | null; database: string | null; problems: string[] }>;
  checks: CheckRow[];
}

/** The JSON document of `restore diagnose` for a pg_dump archive or a SQL dump. */
interface DumpDiagnosisReport {
  path: string;
  type: DumpInspection['kind'];
  ok: boolean;
  status: DumpInspection['status'];
  reason: string | null;
  signature: string;
  producer: string | null;
  format_version: string | null;
  server_version: string | null;
  tool_version: string | null;
  database: string | null;
  created_at: string | null;
  compression: string | null;
  toc_entries: number | null;
  data_entries: number | null;
  bytes: number;
  plain_bytes: number | null;
  checks: CheckRow[];
}

/** `dbbackup restore diagnose PATH [--deep]`: every check of a backup (or a pg_dump/SQL dump), all damage listed. */
export function registerRestoreDiagnose(restore: Command): void {
  const diagnose = restore
    .command('diagnose')
    .description(
      'check a backup without restoring it and list every damaged member: header, manifest, each member’s sha256, decryption and decompression; also reads pg_dump archives and SQL dumps',
    )
    .argument('<path>', 'a dbbackup archive (.dbb.tar), a pg_dump file or directory, or a .sql/.sql.gz/.sql.zst dump')
    .option(
      '--deep',
      'also recount the rows of every data member and compare them and their checksums with the manifest',
    );
  addExamples(diagnose, [
    {
      description: 'check every member of a backup',
      command: 'dbbackup restore diagnose ./backups/shop-20261123T221500Z.dbb.tar',
    },
    {
      description: 'an encrypted backup, recounting rows',
      command: 'dbbackup restore diagnose shop-20261123T221500Z.dbb.tar --encryption-key-file ~/.dbbackup.key --deep',
    },
    { description: 'a dump made by pg_dump -Fc', command: 'dbbackup restore diagnose shop.dump --format json' },
    { description: 'a compressed mysqldump script', command: 'dbbackup restore diagnose shop.sql.gz' },
  ]);
  diagnose.action(
    commandAction(async (context, path: string) => {
      const { deep } = context.options(restoreDiagnoseOptions);
      await diagnosePath(context, resolveBackupLocation(context.cwd, path), deep === true);
    }),
  );
}

async function diagnosePath(context: CommandContext, path: string, deep: boolean): Promise<void> {
  // In the cloud only dbbackup archives are kept (published with their manifest sidecar): read them in place.
  if (isCloudLocation(path)) {
    const source = await openCloudArchiveSource(context, path);
    try {
      await diagnoseBackup(context, path, deep, source);
    } finally {
      await source.close();
    }
    return;
  }
  let kind: Awaited<ReturnType<typeof detectDumpKind>>['kind'];
  try {
    kind = (await detectDumpKind(path)).kind;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliError(`${path} does not exist; check the path`, 2, { cause: error });
    }
    throw error;
  }
  // Anything unrecognised goes to the archive diagnosis: a dbbackup archive with a damaged first block looks unknown.
  if (kind === 'dbbackup-archive' || kind === 'unknown') {
    await diagnoseBackup(context, path, deep);
    return;
  }
  if (deep) context.logger.info('--deep applies to dbbackup archives; a pg_dump or SQL dump is always read in full');
  await diagnoseDump(context, path);
}

async function diagnoseBackup(
  context: CommandContext,
  path: string,
  deep: boolean,
  source: RandomAccessSource | string = path,
): Promise<void> {
  const { config, logger } = context;
  const rowVerifier = deep ? await rowVerifierFor(source) : undefined;
  const diagnosis = await diagnoseArchive(source, {
    keyProvider: archiveKeyProvider({ keyFile: config.encryptionKeyFile, env: context.env, logger }),
    ...(rowVerifier ? { deep: rowVerifier } : {}),
    onMember: (_member, done, total) => context.progress.update(`diagnose ${done}/${total} members`),
  });
  context.progress.stop();
  context.output.result(archiveReport(path, diagnosis), renderArchiveDiagnosis);
  if (!diagnosis.ok) throw new CliError(archiveFailure(path, diagnosis), 2);
}

/** The engine's row verifier, chosen by the engine header.json names (an unreadable header is diagnosed anyway). */
async function rowVerifierFor(source: RandomAccessSource | string): Promise<RowVerifierFactory | undefined> {
  let engine: string;
  try {
    engine = (await readArchiveHeader(source)).engine;
  } catch {
    return undefined;
  }
  return (await selectEngineForArchive(engine)).dataMemberVerifier;
}

async function diagnoseDump(context: CommandContext, path: string): Promise<void> {
  const inspection = await inspectDumpFile(path);
  context.output.result(dumpReport(inspection), renderDumpDiagnosis);
  if (inspection.status !== 'ok') {
    const what = inspection.status === 'damaged' ? 'is damaged' : 'cannot be checked';
    throw new CliError(`dump ${path} ${what}: ${inspection.reason ?? 'unknown reason'}`, 2);
  }
}

/** One line naming the first damaged member and how many are damaged, or the failed check that stopped the rest. */
function archiveFailure(path: string, diagnosis: ArchiveDiagnosis): string {
  const first = diagnosis.damagedMembers[0];
  if (first) {
    const where = first.table
      ? `${first.member} (${first.database ? `${first.database}: ` : ''}${first.table})`
      : first.member;
    const total = diagnosis.members.length;
    const count = total > 0 ? ` (${diagnosis.damaged.length} of ${total} members damaged)` : '';
    return `backup ${path} is damaged: ${where}: ${first.problems[0] ?? 'failed'}${count}; restore from another copy of the backup`;
  }
  const failed = diagnosis.checks.find((check) => check.status === 'failed');
  if (diagnosis.incomplete) {
    return `backup ${path} is incomplete: ${failed?.detail ?? 'it has no manifest'}; take a new backup`;
  }
  return `backup ${path}: the ${failed?.check ?? 'header'} check failed: ${failed?.detail ?? 'unknown reason'}`;
}

function checkRow(check: DiagnosisCheck): CheckRow {
  return {
    check: check.check,
    member: check.member,
    table: check.table ?? null,
    database: check.database ?? null,
    status: check.status,
    detail: check.detail,
  };
}

function archiveReport(path: string, diagnosis: ArchiveDiagnosis): ArchiveDiagnosisReport {
  return {
    path,
    type: 'dbbackup-archive',
    ok: diagnosis.ok,
    incomplete: diagnosis.incomplete,
    deep: diagnosis.deep,
    engine: diagnosis.header?.engine ?? null,
    database: diagnosis.manifest?.database ?? null,
    cluster: diagnosis.manifest?.cluster ?? null,
    encrypted: diagnosis.encrypted,
    members: diagnosis.members.length,
    damaged: diagnosis.damaged,
    damaged_members: diagnosis.damagedMembers.map((member) => ({
      member: member.member,
      table: member.table ?? null,
      database: member.database ?? null,
      problems: member.problems,
    })),
    checks: diagnosis.checks.map(checkRow),
  };
}

function dumpReport(inspection: DumpInspection): DumpDiagnosisReport {
  return {
    path: inspection.path,
    type: inspection.kind,
    ok: inspection.status === 'ok',
    status: inspection.status,
    reason: inspection.reason,
    signature: inspection.signature,
    producer: inspection.producer,
    format_version: inspection.formatVersion,
    server_version: inspection.serverVersion,
    tool_version: inspection.toolVersion,
    database: inspection.database,
    created_at: inspection.createdAt,
    compression: inspection.compression,
    toc_entries: inspection.tocEntries,
    data_entries: inspection.dataEntries,
    bytes: inspection.bytes,
    plain_bytes: inspection.plainBytes,
    checks: inspection.checks.map((check) => ({ ...check, member: null, table: null, database: null })),
  };
}

function renderChecks(rows: readonly CheckRow[], withMembers: boolean): string {
  return renderTable(rows, [
    ...(withMembers
      ? [
          { header: 'MEMBER', value: (row: CheckRow) => row.member },
          {
            header: 'TABLE',
            value: (row: CheckRow) => (row.table && row.database ? `${row.database}: ${row.table}` : row.table),
          },
        ]
      : []),
    { header: 'CHECK', value: (row: CheckRow) => row.check },
    { header: 'STATUS', value: (row: CheckRow) => row.status },
    { header: 'DETAIL', value: (row: CheckRow) => row.detail },
  ]);
}

function renderArchiveDiagnosis(report: ArchiveDiagnosisReport): string {
  const result = report.ok
    ? `ok: ${report.members} members passed every check${report.deep ? ' (rows recounted)' : ''}`
    : report.incomplete
      ? 'incomplete: the backup never finished'
      : report.damaged.length > 0
        ? `damaged: ${report.damaged.length} of ${report.members || '?'} members (${report.damaged.join(', ')})`
        : 'failed: see the checks below';
  const summary = renderKeyValues([
    ['backup', report.path],
    ['result', result],
    ['engine', report.engine ?? '-'],
    ['database', report.database ?? (report.cluster ? 'cluster' : '-')],
    ['encrypted', report.encrypted ? 'yes' : 'no'],
  ]);
  return `${summary}\n${renderChecks(report.checks, true)}`;
}

function renderDumpDiagnosis(report: DumpDiagnosisReport): string {
  const summary = renderKeyValues([
    ['dump', report.path],
    ['result', report.ok ? 'ok' : `${report.status}: ${report.reason ?? ''}`],
    ['type', report.type],
    ['signature', report.signature],
    ['written by', [report.producer, report.tool_version].filter(Boolean).join(' ') || 'unknown'],
    ['server', report.server_version ?? '-'],
    ['database', report.database ?? '-'],
    ['created', report.created_at ?? '-'],
    ['format version', report.format_version ?? '-'],
    ['compression', report.compression ?? '-'],
    ['toc entries', report.toc_entries === null ? '-' : `${report.toc_entries} (${report.data_entries} with data)`],
    [
      'size',
      `${formatBytes(report.bytes)}${report.plain_bytes === null ? '' : `, ${formatBytes(report.plain_bytes)} decompressed`}`,
    ],
  ]);
  return `${summary}\n${renderChecks(report.checks, false)}`;
}
