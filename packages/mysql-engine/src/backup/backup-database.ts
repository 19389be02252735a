import { Readable } from 'node:stream';
import type { ArchiveWriter, BackupOptions, BackupResult, SampleSpec } from '@dbbackup/archive';
import { ProgressReporter, runParallel } from '@dbbackup/engine-kit';
import type { RowDataPacket } from 'mysql2/promise';
import { type ArchivedTable, LABEL_POST_DATA, LABEL_PRE_DATA, type MysqlManifestExtra } from '../archive-layout.js';
import { closeQuietly, connect, destroySession, type MysqlSession } from '../connection/connect.js';
import { prepareReadSession } from '../connection/read-session.js';
import { requireSupportedServer } from '../connection/server-version.js';
import { planSample, type SampleSummary } from '../sample/sample-plan.js';
import { dumpSchema, type MysqlFlavor, type MysqlTableInfo } from '../schema/index.js';
import { readRowsToParts } from './rows-to-parts.js';
import { tableReadSpec } from './select-list.js';
import { startConsistentSnapshot } from './snapshot.js';
import { type TableBackupState, toArchivedTable } from './table-state.js';
import {
  DEFAULT_PART_SIZE_BYTES,
  DEFAULT_SPLIT_THRESHOLD_BYTES,
  type PlannedTable,
  planWork,
  splitColumnOf,
  type WorkItem,
} from './work-plan.js';

export interface MysqlBackupOptions extends BackupOptions {
  /** Plain bytes per data member (default 16 MiB); memory use is about jobs × 3 × this. */
  partSizeBytes?: number;
  /** Tables above this many bytes are split into primary-key ranges (default 256 MiB). */
  splitThresholdBytes?: number;
  /**
   * Create InnoDB tables with only their primary key (and the indexes foreign keys need) and build the other
   * secondary indexes after the data is loaded, one ALTER TABLE per table (default true).
   */
  deferSecondaryIndexes?: boolean;
  /** Which server family the caller expects; only used to name it in connection errors. */
  flavor?: MysqlFlavor;
  /** A sampled backup (see sample/sample-plan.ts): reduced data that keeps every foreign key intact. */
  sample?: SampleSpec;
}

/**
 * Backs up one database into `options.writer` and finishes it: `jobs` worker connections start consistent
 * snapshots under a brief global read lock held by a coordinator (see snapshot.ts), the first worker dumps the
 * schema inside its snapshot, and the workers stream every table (or primary-key range) through the raw row
 * encoder into bounded parts.
 */
export async function backupDatabase(options: MysqlBackupOptions): Promise<BackupResult> {
  const startedAt = new Date();
  const { writer } = options;
  try {
    const progress = new ProgressReporter(options.onProgress);
    const dumped = await dumpDatabaseInto(options, progress);
    const finished = await writer.finish({
      serverVersion: dumped.serverVersion,
      database: options.database,
      cluster: false,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      consistency: dumped.consistency,
      extra: {
        ...(dumped.extra as unknown as Record<string, unknown>),
        ...(dumped.sample ? { sample: dumped.sample } : {}),
      },
    });
    progress.phase('done');
    return {
      ...finished,
      tables: dumped.tables,
      rows: dumped.rows,
      dataBytes: dumped.dataBytes,
      durationMs: Date.now() - startedAt.getTime(),
      warnings: dumped.warnings,
    };
  } catch (error) {
    await writer.abort(error as Error).catch(() => undefined);
    throw error;
  }
}

/** What one database contributed to an archive, for the caller that finishes it. */
export interface DumpedDatabase {
  serverVersion: string;
  consistency: { binlogFile: string | null; binlogPosition: number | null; gtid: string | null };
  extra: MysqlManifestExtra;
  /** Tables with data. */
  tables: number;
  rows: number;
  dataBytes: number;
  warnings: string[];
  /** What a sampled backup selected (manifest.extra.sample). */
  sample?: SampleSummary;
}

/**
 * The body of a backup without finishing the archive: pre-data, data and post-data of `options.database` appended
 * to `options.writer`, every member tagged with `memberDatabase` when given (cluster archives). Leaves finishing
 * or aborting the writer to the caller.
 */
export async function dumpDatabaseInto(
  options: MysqlBackupOptions,
  progress: ProgressReporter,
  memberDatabase?: string,
): Promise<DumpedDatabase> {
  const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
  const partSizeBytes = options.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES;
  const splitThresholdBytes = options.splitThresholdBytes ?? DEFAULT_SPLIT_THRESHOLD_BYTES;
  const deferSecondaryIndexes = options.deferSecondaryIndexes ?? true;
  const { writer, logger } = options;
  const tag = memberDatabase === undefined ? {} : { database: memberDatabase };
  const connectOptions = { flavor: options.flavor, logger };
  const workers: MysqlSession[] = [];
  let coordinator: MysqlSession | undefined;
  let failed = false;
  try {
    progress.phase('connect');
    coordinator = await connect(options.connection, options.database, connectOptions);
    const version = await requireSupportedServer(coordinator);
    const server = version.info;
    for (let i = 0; i < jobs; i++) {
      workers.push(await connect(options.connection, options.database, connectOptions));
    }
    const snapshot = await startConsistentSnapshot(coordinator, workers, server, logger);
    await closeQuietly(coordinator);
    coordinator = undefined;
    for (const unused of workers.splice(snapshot.workers)) await closeQuietly(unused);
    const dataJobs = workers.length;

    // Inside the first worker's snapshot transaction, so sequence values match the data. DDL is not
    // transactional in MySQL, though: the definitions are those of the moment they are read (see README).
    progress.phase('schema');
    const schema = await dumpSchema(workers[0]!.client, options.database, { deferSecondaryIndexes });
    for (const worker of workers) await prepareReadSession(worker, server);
    await writer.addMember({ kind: 'schema', label: LABEL_PRE_DATA, ...tag }, JSON.stringify(schema.preData), '.json');

    const tables = schema.tables.map((table) => describeTable(table, server));
    const withData = tables.filter((table) => table.ownsData && table.columnCount > 0);
    let sample: SampleSummary | undefined;
    let items: WorkItem<TableBackupState>[];
    if (options.sample) {
      const plan = await planSample(
        workers[0]!.client,
        options.database,
        withData,
        schema.tables,
        options.sample,
        logger,
      );
      items = plan.items;
      sample = plan.summary;
    } else {
      items = await planWork(withData, { jobs: dataJobs, splitThresholdBytes, partSizeBytes }, (table) =>
        readKeyBounds(workers[0]!, table),
      );
    }
    for (const item of items) item.table.itemsLeft++;
    const bytesTotal = withData.reduce((sum, table) => sum + table.estimatedBytes, 0);

    progress.phase('data', { tablesTotal: withData.length, bytesTotal });
    for (const table of withData) if (table.itemsLeft === 0) progress.tableDone();
    await runParallel(items, dataJobs, (item, slot) =>
      dumpWorkItem(workers[slot]!, writer, item, partSizeBytes, progress, memberDatabase),
    );

    progress.phase('post-data');
    await writer.addMember(
      { kind: 'schema', label: LABEL_POST_DATA, ...tag },
      JSON.stringify(schema.postData),
      '.json',
    );
    for (const worker of workers) await worker.client.query('COMMIT');

    const archivedTables: ArchivedTable[] = tables.map(toArchivedTable);
    const warnings = [...snapshot.warnings, ...schema.warnings];
    const extra: MysqlManifestExtra = {
      tables: archivedTables,
      database: schema.database,
      server: { flavor: server.flavor, version: version.version, versionNum: server.versionNum },
      snapshot: { method: snapshot.method, lockHeldMs: snapshot.lockHeldMs, dataJobs },
      schema: { preDataStatements: schema.preData.length, postDataItems: schema.postData.length },
      options: { jobs, partSizeBytes, splitThresholdBytes, deferSecondaryIndexes },
      warnings,
    };
    return {
      serverVersion: version.version,
      consistency: { binlogFile: snapshot.binlogFile, binlogPosition: snapshot.binlogPosition, gtid: snapshot.gtid },
      extra,
      tables: withData.length,
      rows: archivedTables.reduce((sum, table) => sum + table.rows, 0),
      dataBytes: archivedTables.reduce((sum, table) => sum + table.bytes, 0),
      warnings,
      ...(sample ? { sample } : {}),
    };
  } catch (error) {
    failed = true;
    // Workers may be mid-query (a SELECT still streaming): cut them off instead of waiting for the rows.
    for (const worker of workers) destroySession(worker);
    throw error;
  } finally {
    if (!failed) await Promise.all(workers.map(closeQuietly));
    await closeQuietly(coordinator);
  }
}

function describeTable(table: MysqlTableInfo, server: Parameters<typeof tableReadSpec>[1]): TableBackupState {
  const spec = tableReadSpec(table, server);
  const types = new Map(table.columnDetails.map((column) => [column.quotedName, column.dataType]));
  return {
    schema: table.schema,
    name: table.name,
    quotedName: table.quotedName,
    engine: table.engine,
    selectList: spec.selectList,
    loadColumns: spec.loadColumns,
    columnCount: spec.columnCount,
    allHistory: spec.allHistory,
    ownsData: table.ownsData,
    enumTokenFields: spec.enumTokenFields,
    enumTokenColumns: spec.enumTokenColumns,
    estimatedBytes: table.estimatedBytes,
    splitColumn: splitColumnOf(table.primaryKey, (quoted) => types.get(quoted)),
    nextPart: 0,
    rows: 0,
    bytes: 0,
    partChecksums: [],
    itemsLeft: 0,
  };
}

async function readKeyBounds(worker: MysqlSession, table: PlannedTable): Promise<{ min: bigint; max: bigint } | null> {
  const history = table.allHistory ? ' FOR SYSTEM_TIME ALL' : '';
  const [rows] = await worker.client.query<RowDataPacket[]>(
    `SELECT CAST(MIN(${table.splitColumn}) AS CHAR) AS lo, CAST(MAX(${table.splitColumn}) AS CHAR) AS hi FROM ${table.quotedName}${history}`,
  );
  const row = rows[0];
  if (!row || row.lo === null || row.hi === null) return null;
  return { min: BigInt(String(row.lo)), max: BigInt(String(row.hi)) };
}

async function dumpWorkItem(
  worker: MysqlSession,
  writer: ArchiveWriter,
  item: WorkItem<TableBackupState>,
  partSizeBytes: number,
  progress: ProgressReporter,
  memberDatabase: string | undefined,
): Promise<void> {
  const { table } = item;
  // The encoder copies the body into new buffers unless it neither compresses nor encrypts.
  const reuseBuffers = writer.header.compression.algorithm !== 'none' || writer.header.encryption !== undefined;
  const partOptions = { partSizeBytes, reuseBuffers, enumTokenFields: table.enumTokenFields };
  await readRowsToParts(worker, item.sql, table.columnCount, partOptions, async (part) => {
    const partNumber = table.nextPart++;
    const name = writer.allocateName('data', '.dat');
    const encoded = await writer.encodeMember(Readable.from(part.chunks, { objectMode: false }), name);
    await writer.appendEncoded(
      {
        kind: 'data',
        ...(memberDatabase === undefined ? {} : { database: memberDatabase }),
        table: { schema: table.schema, name: table.name },
        part: partNumber,
        rows: part.rows,
        checksum: part.checksum,
        ...(part.enumErrorValues > 0 ? { extra: { enumErrorValues: part.enumErrorValues } } : {}),
      },
      encoded,
    );
    table.rows += part.rows;
    table.bytes += part.bytes;
    table.partChecksums.push(part.checksum);
    progress.add(part.rows, part.bytes);
  });
  table.itemsLeft--;
  if (table.itemsLeft === 0) progress.tableDone();
}
