import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ArchiveReader, MemberEntry, MemberScratch } from '@dbbackup/archive';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ArchivedTable } from '../archive-layout.js';

/** A group of one table's data members loaded in one transaction by one session. */
export interface LoadUnit {
  table: ArchivedTable;
  /** In part order: rows land in the table in the order they were dumped. */
  entries: MemberEntry[];
  /**
   * TRUNCATE the (new, empty) table in the unit's transaction and COPY ... FREEZE into it: the rows are written
   * frozen and all-visible, so the index builds and ANALYZE that read them next do not set hint bits on (and
   * re-write) every page, and no later VACUUM has to freeze them. Only possible when the unit is the table's only one:
   * TRUNCATE's exclusive lock would serialise several.
   */
  freeze: boolean;
}

export interface LoadUnitHooks {
  /** After each member's COPY (before COMMIT). */
  onMember?: (entry: MemberEntry) => void;
  /** Asked before each member: true once another task failed, so this one rolls back instead of loading on. */
  stopped?: () => boolean;
  /**
   * The session's two reusable buffers for members' stored bytes (one being sent, one read ahead): fresh buffers
   * per member cost more in page faults than the reading itself.
   */
  scratches?: readonly [MemberScratch, MemberScratch];
}

/** Thrown inside a unit that gave up because another task failed; the caller reports that task's error instead. */
export class LoadStoppedError extends Error {
  override name = 'LoadStoppedError';
}

/**
 * Loads a unit with COPY FROM STDIN in one transaction, one COPY per member. Each member's stored bytes are read
 * whole and their sha256 (and GCM tags) checked before a byte of it is sent (readMemberChunks); its frames are then
 * decoded on the thread pool while the server ingests the ones before, and the next member is read ahead. A member
 * that fails to decode to exactly its recorded size fails its COPY (CopyFail). Any error rolls the whole transaction
 * back, so no damaged or partial data is ever committed.
 */
export async function loadUnit(
  client: pg.Client,
  reader: ArchiveReader,
  unit: LoadUnit,
  hooks: LoadUnitHooks = {},
): Promise<void> {
  const { table, entries } = unit;
  const columns = table.columns === '' ? '' : ` (${table.columns})`;
  const freeze = unit.freeze && (await truncateForFreeze(client, table));
  if (!freeze) await client.query('BEGIN');
  const sql = `COPY ${table.qualifiedName}${columns} FROM STDIN${freeze ? ' FREEZE' : ''}`;
  try {
    let next = openMember(reader, entries, 0, hooks.scratches);
    for (const [index, entry] of entries.entries()) {
      if (hooks.stopped?.()) throw new LoadStoppedError(`load of ${table.qualifiedName} stopped`);
      const current = next!;
      // Read, check and start decoding the next member while this one is sent.
      next = openMember(reader, entries, index + 1, hooks.scratches);
      await pipeline(Readable.from(current, { objectMode: true, highWaterMark: 1 }), client.query(copyFrom(sql)));
      hooks.onMember?.(entry);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Member `index` as chunks, already started: its stored bytes are being read and checked, and its first frames
 * decoded. Member i uses scratch i % 2, so member i + 2 reuses it only after member i's COPY has completed.
 */
function openMember(
  reader: ArchiveReader,
  entries: readonly MemberEntry[],
  index: number,
  scratches: LoadUnitHooks['scratches'],
): AsyncGenerator<Buffer> | undefined {
  const entry = entries[index];
  if (entry === undefined) return undefined;
  const chunks = reader.readMemberChunks(entry, scratches?.[index % 2]);
  const first = chunks.next();
  // Handled here so a member opened ahead but never sent (the unit failed first) cannot crash the process.
  first.catch(() => undefined);
  return (async function* started() {
    try {
      for (let step = await first; !step.done; step = await chunks.next()) yield step.value;
    } finally {
      await chunks.return(undefined);
    }
  })();
}

/**
 * Opens the unit's transaction with TRUNCATE ONLY, which COPY FREEZE requires. The table was created by this
 * restore's pre-data and holds nothing yet, so nothing is lost. When TRUNCATE is refused (e.g. the restoring role
 * lacks the privilege on a table pre-data gave to another owner) the unit loads without FREEZE instead.
 */
async function truncateForFreeze(client: pg.Client, table: ArchivedTable): Promise<boolean> {
  if (table.relkind !== 'r') return false; // FREEZE is for plain tables only (not partitioned parents)
  await client.query('BEGIN');
  try {
    await client.query(`TRUNCATE ONLY ${table.qualifiedName}`);
    return true;
  } catch {
    await client.query('ROLLBACK');
    return false;
  }
}
