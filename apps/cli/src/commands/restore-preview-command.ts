import type { Manifest, MemberEntry } from '@dbbackup/archive';
import { formatBytes } from '@dbbackup/pipeline';
import type { Command } from 'commander';
import { archiveDatabases } from '../archive-io/archive-databases.js';
import { openArchive } from '../archive-io/open-archive.js';
import { commandAction } from '../cli/command-action.js';
import type { CommandContext } from '../cli/command-context.js';
import { addExamples } from '../cli/help-examples.js';
import { resolveBackupLocation } from '../cloud-io/cloud-object.js';
import { counted } from '../output/counted.js';
import { renderKeyValues, renderTable } from '../output/render-table.js';

/** One table of the preview: its data members summed (a split table has several parts). */
interface PreviewTable {
  schema: string;
  name: string;
  rows: number;
  parts: number;
  plain_bytes: number;
  stored_bytes: number;
}

interface PreviewDatabase {
  name: string | null;
  tables: PreviewTable[];
  rows: number;
  plain_bytes: number;
  stored_bytes: number;
}

/** The JSON document of `restore preview`. */
interface PreviewReport {
  path: string;
  kind: 'single' | 'sample' | 'cluster';
  engine: string;
  server_version: string;
  database: string | null;
  created_at: string;
  finished_at: string;
  tool_version: string;
  encryption: { algorithm: string; key_id: string; key: 'key file' | 'passphrase' } | null;
  compression: { algorithm: string; level: number };
  consistency: Record<string, unknown>;
  sample: Record<string, unknown> | null;
  archive_bytes: number;
  tables: number;
  rows: number;
  plain_bytes: number;
  stored_bytes: number;
  large_objects: { members: number; plain_bytes: number; stored_bytes: number } | null;
  databases: PreviewDatabase[];
}

/** `dbbackup restore preview PATH`: what a backup holds, read from its manifest, without restoring anything. */
export function registerRestorePreview(restore: Command): void {
  const preview = restore
    .command('preview')
    .description(
      'show what a backup holds without restoring it: engine, server version, database, creation time, encryption, and each table with its rows and size',
    )
    .argument('<path>', 'the backup file (.dbb.tar)');
  addExamples(preview, [
    {
      description: 'list the tables of a backup',
      command: 'dbbackup restore preview ./backups/shop-20261123T221500Z.dbb.tar',
    },
    {
      description: 'an encrypted backup, as JSON',
      command:
        'dbbackup restore preview shop-20261123T221500Z.dbb.tar --encryption-key-file ~/.dbbackup.key --format json',
    },
    {
      description: 'the databases and tables of a cluster backup',
      command: 'dbbackup restore preview cluster-db1-20261123T221500Z.dbb.tar',
    },
  ]);
  preview.action(
    commandAction(async (context, path: string) => {
      await previewBackup(context, resolveBackupLocation(context.cwd, path));
    }),
  );
}

async function previewBackup(context: CommandContext, path: string): Promise<void> {
  const { config, logger } = context;
  const reader = await openArchive(path, { keyFile: config.encryptionKeyFile, env: context.env, logger, context });
  try {
    const report = previewReport(path, reader.manifest, await reader.source.size());
    context.output.result(report, renderPreview);
  } finally {
    await reader.close();
  }
}

function previewReport(path: string, manifest: Manifest, archiveBytes: number): PreviewReport {
  const sample = manifest.extra['sample'];
  const databases = manifest.cluster
    ? archiveDatabases(manifest).map((name) => previewDatabase(manifest, name))
    : [previewDatabase(manifest, manifest.database)];
  const largeObjects = manifest.members.filter((member) => member.kind === 'large-object');
  const encryption = manifest.encryption;
  const sum = (key: 'rows' | 'plain_bytes' | 'stored_bytes') =>
    databases.reduce((total, database) => total + database[key], 0);
  return {
    path,
    kind: manifest.cluster ? 'cluster' : isRecord(sample) ? 'sample' : 'single',
    engine: manifest.engine,
    server_version: manifest.serverVersion,
    database: manifest.database,
    created_at: manifest.startedAt,
    finished_at: manifest.finishedAt,
    tool_version: manifest.toolVersion,
    encryption: encryption
      ? { algorithm: encryption.algorithm, key_id: encryption.keyId, key: encryption.kdf ? 'passphrase' : 'key file' }
      : null,
    compression: manifest.compression,
    consistency: manifest.consistency,
    sample: isRecord(sample) ? sample : null,
    archive_bytes: archiveBytes,
    tables: databases.reduce((total, database) => total + database.tables.length, 0),
    rows: sum('rows'),
    plain_bytes: sum('plain_bytes'),
    stored_bytes: sum('stored_bytes'),
    large_objects:
      largeObjects.length === 0
        ? null
        : {
            members: largeObjects.length,
            plain_bytes: largeObjects.reduce((total, member) => total + member.plainSize, 0),
            stored_bytes: largeObjects.reduce((total, member) => total + member.storedSize, 0),
          },
    databases,
  };
}

/**
 * The tables of one database: every table with data members (parts summed), then the tables the engine listed in
 * the manifest's `extra.tables` without any data member (empty tables get no member), with their recorded rows.
 */
function previewDatabase(manifest: Manifest, database: string | null): PreviewDatabase {
  const inDatabase = (member: MemberEntry) => !manifest.cluster || member.database === database;
  const tables = new Map<string, PreviewTable>();
  const key = (schema: string, name: string) => JSON.stringify([schema, name]);
  for (const member of manifest.members) {
    if (member.kind !== 'data' || !member.table || !inDatabase(member)) continue;
    const id = key(member.table.schema, member.table.name);
    const table = tables.get(id) ?? { ...member.table, rows: 0, parts: 0, plain_bytes: 0, stored_bytes: 0 };
    table.rows += member.rows ?? 0;
    table.parts += 1;
    table.plain_bytes += member.plainSize;
    table.stored_bytes += member.storedSize;
    tables.set(id, table);
  }
  for (const listed of listedTables(manifest, database)) {
    const id = key(listed.schema, listed.name);
    if (!tables.has(id)) tables.set(id, { ...listed, parts: 0, plain_bytes: 0, stored_bytes: 0 });
  }
  const sorted = [...tables.values()].sort((a, b) => a.schema.localeCompare(b.schema) || a.name.localeCompare(b.name));
  return {
    name: database,
    tables: sorted,
    rows: sorted.reduce((total, table) => total + table.rows, 0),
    plain_bytes: sorted.reduce((total, table) => total + table.plain_bytes, 0),
    stored_bytes: sorted.reduce((total, table) => total + table.stored_bytes, 0),
  };
}

/** `extra.tables` (single) or `extra.databases[].tables` (cluster) entries shaped { schema, name, rows? }. */
function listedTables(
  manifest: Manifest,
  database: string | null,
): Array<{ schema: string; name: string; rows: number }> {
  let source: unknown = manifest.extra['tables'];
  if (manifest.cluster) {
    const databases = manifest.extra['databases'];
    const entry = Array.isArray(databases)
      ? databases.find((candidate) => isRecord(candidate) && candidate['name'] === database)
      : undefined;
    source = isRecord(entry) ? entry['tables'] : undefined;
  }
  if (!Array.isArray(source)) return [];
  return source.flatMap((table) =>
    isRecord(table) && typeof table['schema'] === 'string' && typeof table['name'] === 'string'
      ? [{ schema: table['schema'], name: table['name'], rows: typeof table['rows'] === 'number' ? table['rows'] : 0 }]
      : [],
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const count = (value: number) => value.toLocaleString('en-US');

function renderPreview(report: PreviewReport): string {
  const what =
    report.kind === 'cluster'
      ? `cluster backup of ${report.databases.length} databases`
      : report.kind === 'sample'
        ? `sample of database ${report.database} (${describeSample(report.sample)})`
        : `database ${report.database}`;
  const summary = renderKeyValues([
    ['backup', report.path],
    ['contents', what],
    ['engine', `${report.engine} ${report.server_version}`],
    ['created', `${report.created_at} (finished ${report.finished_at}, dbbackup ${report.tool_version})`],
    [
      'encryption',
      report.encryption
        ? `${report.encryption.algorithm}, key id ${report.encryption.key_id} (${report.encryption.key})`
        : 'none',
    ],
    ['compression', `${report.compression.algorithm} level ${report.compression.level}`],
    [
      'data',
      `${counted(report.tables, 'table')}, ${counted(report.rows, 'row')}, ${formatBytes(report.plain_bytes)} (${formatBytes(report.stored_bytes)} stored); archive ${formatBytes(report.archive_bytes)}`,
    ],
    ...(report.large_objects
      ? ([
          [
            'large objects',
            `${report.large_objects.members}, ${formatBytes(report.large_objects.plain_bytes)} (${formatBytes(report.large_objects.stored_bytes)} stored)`,
          ],
        ] as const)
      : []),
  ]);
  const sections = report.databases.map((database) => {
    const heading =
      report.kind === 'cluster'
        ? `\ndatabase ${database.name}: ${counted(database.tables.length, 'table')}, ${counted(database.rows, 'row')}, ${formatBytes(database.plain_bytes)}\n`
        : '\n';
    if (database.tables.length === 0) return `${heading}(no tables)\n`;
    return (
      heading +
      renderTable(database.tables, [
        { header: 'SCHEMA', value: (table) => table.schema },
        { header: 'TABLE', value: (table) => table.name },
        { header: 'ROWS', value: (table) => count(table.rows), align: 'right' },
        { header: 'PARTS', value: (table) => table.parts, align: 'right' },
        { header: 'SIZE', value: (table) => formatBytes(table.plain_bytes), align: 'right' },
        { header: 'STORED', value: (table) => formatBytes(table.stored_bytes), align: 'right' },
      ])
    );
  });
  return summary + sections.join('');
}

function describeSample(sample: Record<string, unknown> | null): string {
  if (!sample) return 'sampled';
  const value = sample['value'];
  return sample['strategy'] === 'percent' ? `${String(value)}% of each table` : `${String(value)} rows of each table`;
}
