import type {
  ArchiveWriter,
  BackupOptions,
  BackupResult,
  MemberMeta,
  SampleSpec,
  ServerVersion,
} from '@dbbackup/archive';
import { ProgressReporter, runParallel } from '@dbbackup/engine-kit';
import type pg from 'pg';
import {
  type ArchivedTable,
  LABEL_POST_DATA,
  LABEL_PRE_DATA,
  LABEL_SEQUENCE_VALUES,
  type PgManifestExtra,
} from '../archive-layout.js';
import { Cancellation } from '../connection/cancellation.js';
import { closeQuietly, connect } from '../connection/connect.js';
import { requireSupportedServer } from '../connection/server-version.js';
import { OperationAbortedError } from '../errors.js';
import { planSample } from '../sample/sample-plan.js';
import { validateSample } from '../sample/sample-spec.js';
import { dumpSchema, type TableDataInfo } from '../schema/index.js';
import { copyOutToParts } from './copy-out-parts.js';
import { dumpLargeObject } from './large-objects.js';
import {
  beginCoordinatorSnapshot,
  inSnapshot,
  type LockedRelations,
  lockUserTables,
  translateBackupLockError,
} from './snapshot.js';
import { currentSizeEstimate, readRelationFacts, readSourceDatabase } from './source-catalog.js';
import { type TableBackupState, toArchivedTable } from './table-state.js';
import { DEFAULT_PART_SIZE_BYTES, DEFAULT_SPLIT_THRESHOLD_BYTES, planWork, type WorkItem } from './work-plan.js';

export interface PgBackupOptions extends BackupOptions {
  /** Plain bytes per data member (default 16 MiB); memory use is about jobs × 2 × this. */
  partSizeBytes?: number;
  /** Tables above this many bytes are split into block ranges (default 256 MiB). */
  splitThresholdBytes?: number;
  /** Back up a deterministic sample of the rows that keeps every foreign key satisfied (see sample/). */
  sample?: SampleSpec;
}

/** One database written into an archive that the caller finishes (a single-database or a cluster archive). */
export interface DumpedDatabase {
  version: ServerVersion;
  consistency: Record<string, unknown>;
  extra: PgManifestExtra;
  tables: number;
  rows: number;
  dataBytes: number;
  warnings: string[];
}

/**
 * Backs up one database into `options.writer` and finishes it: a coordinator transaction exports a snapshot, locks
 * the tables and dumps the schema; `jobs` workers join that snapshot (a short transaction per work item) and stream
 * every table through COPY into bounded parts; the coordinator's transaction stays open until every worker is
 * done, so all data is of one instant. On failure or abort (`signal`) the writer is aborted.
 */
export async function backupDatabase(options: PgBackupOptions): Promise<BackupResult> {
  const startedAt = new Date();
  const progress = new ProgressReporter(options.onProgress);
  const cancellation = new Cancellation(options.signal);
  const aborted = () =>
    new OperationAbortedError(`backup of database "${options.database}"`, 'the unfinished archive was discarded', {
      cause: cancellation.reason,
    });
  // At once: a sink stuck in backpressure would not notice the closed connections.
  cancellation.whenAborted(() => void options.writer.abort(aborted()).catch(() => undefined));
  try {
    const dumped = await dumpDatabaseInto(options, progress, cancellation);
    cancellation.throwIfAborted();
    const finished = await options.writer.finish({
      serverVersion: dumped.version.version,
      database: options.database,
      cluster: false,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      consistency: dumped.consistency,
      extra: dumped.extra as unknown as Record<string, unknown>,
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
    const failure = cancellation.aborted ? aborted() : error;
    await options.writer.abort(failure as Error).catch(() => undefined);
    throw failure;
  } finally {
    cancellation.dispose();
  }
}

/**
 * The body of a backup without finishing the archive: schema, data and large objects of `options.database` appended
 * to `options.writer`, every member tagged with `memberDatabase` when given (cluster archives). Leaves finishing or
 * aborting the writer to the caller. Its connections end as soon as `cancellation` fires.
 */
export async function dumpDatabaseInto(
  options: PgBackupOptions,
  progress: ProgressReporter,
  cancellation: Cancellation,
  memberDatabase?: string,
): Promise<DumpedDatabase> {
  const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
  const partSizeBytes = options.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES;
  const splitThresholdBytes = options.splitThresholdBytes ?? DEFAULT_SPLIT_THRESHOLD_BYTES;
  const { writer, logger } = options;
  const tag: Pick<MemberMeta, 'database'> = memberDatabase === undefined ? {} : { database: memberDatabase };
  const operation = `backup of database "${options.database}"`;
  if (options.sample) validateSample(options.sample);
  const workers: pg.Client[] = [];
  let coordinator: pg.Client | undefined;
  let locked: LockedRelations | undefined;
  try {
    progress.phase('connect');
    cancellation.throwIfAborted();
    coordinator = cancellation.track(await connect(options.connection, options.database, logger));
    const version = await requireSupportedServer(coordinator);
    const point = await beginCoordinatorSnapshot(coordinator);
    logger?.info('snapshot exported', { snapshot: point.snapshot, lsn: point.lsn });
    locked = await lockUserTables(coordinator, operation);

    progress.phase('schema');
    const sourceDatabase = await readSourceDatabase(coordinator);
    const schema = await dumpSchema(coordinator, {});
    await writer.addMember({ kind: 'schema', label: LABEL_PRE_DATA, ...tag }, schema.preData, '.sql');

    const tables = await describeTables(coordinator, schema.tables);
    const withData = tables.filter((table) => table.relkind === 'r' && !table.isPartitionParent);
    const sampled = options.sample ? await planSample(coordinator, withData, options.sample, logger) : undefined;
    const items =
      sampled?.items ??
      planWork(withData, { jobs, serverVersionNum: version.versionNum, splitThresholdBytes, partSizeBytes });
    for (const item of items) item.table.itemsLeft++;
    const bytesTotal = withData.reduce((sum, table) => sum + table.estimatedBytes, 0);

    for (let i = 0; i < jobs; i++) {
      workers.push(cancellation.track(await connect(options.connection, options.database, logger)));
    }

    progress.phase('data', { tablesTotal: withData.length, bytesTotal });
    for (const table of withData) if (table.itemsLeft === 0) progress.tableDone();
    await runParallel(items, jobs, (item, slot) =>
      inSnapshot(workers[slot]!, point.snapshot, () =>
        dumpWorkItem(workers[slot]!, writer, item, partSizeBytes, progress, tag),
      ),
    );

    progress.phase('large-objects');
    await runParallel(schema.largeObjects, jobs, async (largeObject, slot) => {
      const bytes = await inSnapshot(workers[slot]!, point.snapshot, () =>
        dumpLargeObject(workers[slot]!, writer, largeObject, tag),
      );
      progress.add(0, bytes);
    });

    progress.phase('post-data');
    await writer.addMember(
      { kind: 'schema', label: LABEL_POST_DATA, ...tag },
      JSON.stringify(schema.postData),
      '.json',
    );
    if (schema.sequenceValues.length > 0) {
      await writer.addMember({ kind: 'schema', label: LABEL_SEQUENCE_VALUES, ...tag }, schema.sequenceValues, '.sql');
    }

    await coordinator.query('COMMIT');

    const archivedTables: ArchivedTable[] = tables.map(toArchivedTable);
    const extra: PgManifestExtra = {
      tables: archivedTables,
      database: sourceDatabase,
      schema: {
        serverVersionNum: version.versionNum,
        preDataBytes: Buffer.byteLength(schema.preData),
        postDataItems: schema.postData.length,
        largeObjects: schema.largeObjects.length,
      },
      options: { jobs, partSizeBytes, splitThresholdBytes },
      warnings: schema.warnings,
      ...(sampled ? { sample: sampled.summary } : {}),
    };
    return {
      version,
      consistency: { snapshot: point.snapshot, lsn: point.lsn, ...(point.inRecovery ? { standby: true } : {}) },
      extra,
      tables: withData.length,
      rows: archivedTables.reduce((sum, table) => sum + table.rows, 0),
      dataBytes: archivedTables.reduce((sum, table) => sum + table.bytes, 0),
      warnings: schema.warnings,
    };
  } catch (error) {
    if (cancellation.aborted) {
      await Promise.all([...workers, coordinator].map(closeQuietly));
      // A long statement (a sample's key query) would otherwise run on after the backup gave up.
      await cancellation.terminateBackends(options.connection);
      throw error;
    }
    throw translateBackupLockError(error, operation, locked);
  } finally {
    await Promise.all(workers.map(closeQuietly));
    await closeQuietly(coordinator);
  }
}

async function describeTables(client: pg.Client, tables: readonly TableDataInfo[]): Promise<TableBackupState[]> {
  const facts = await readRelationFacts(
    client,
    tables.map((table) => table.oid),
  );
  return tables.map((table) => ({
    oid: table.oid,
    schema: table.schema,
    name: table.name,
    qualifiedName: table.qualifiedName,
    columns: table.columns.join(', '),
    relkind: table.relkind,
    isPartitionParent: table.isPartitionParent,
    persistence: facts.get(table.oid)?.persistence ?? 'p',
    estimatedBytes: currentSizeEstimate(table.estimatedBytes, facts.get(table.oid)),
    pages: facts.get(table.oid)?.pages ?? 0,
    nextPart: 0,
    rows: 0,
    bytes: 0,
    partChecksums: [],
    itemsLeft: 0,
  }));
}

async function dumpWorkItem(
  client: pg.Client,
  writer: ArchiveWriter,
  item: WorkItem<TableBackupState>,
  partSizeBytes: number,
  progress: ProgressReporter,
  tag: Pick<MemberMeta, 'database'>,
): Promise<void> {
  const { table } = item;
  // The encoder copies the body into new buffers unless it neither compresses nor encrypts.
  const reuseBuffers = writer.header.compression.algorithm !== 'none' || writer.header.encryption !== undefined;
  await copyOutToParts(client, item.sql, { partSizeBytes, reuseBuffers }, async (part) => {
    const partNumber = table.nextPart++;
    const name = writer.allocateName('data', '.copy');
    const encoded = await writer.encodeMember(part.body, name);
    await writer.appendEncoded(
      {
        kind: 'data',
        ...tag,
        table: { schema: table.schema, name: table.name },
        part: partNumber,
        rows: part.rows,
        checksum: part.checksum,
      },
      encoded,
    );
    table.rows += part.rows;
    table.bytes += part.body.length;
    table.partChecksums.push(part.checksum);
    progress.add(part.rows, part.body.length);
  });
  table.itemsLeft--;
  if (table.itemsLeft === 0) progress.tableDone();
}
