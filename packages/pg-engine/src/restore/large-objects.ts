import type { ArchiveReader, Logger, MemberEntry } from '@dbbackup/archive';
import type pg from 'pg';
import { largeObjectCreateSql } from '../schema/index.js';

/**
 * Recreates one large object with its original oid and owner (the schema module's largeObjectCreateSql), writing
 * its contents chunk by chunk with lo_put, all in one transaction.
 */
export async function restoreLargeObject(
  client: pg.Client,
  reader: ArchiveReader,
  entry: MemberEntry,
  logger?: Logger,
): Promise<number> {
  const oid = Number(entry.extra?.oid);
  const owner = typeof entry.extra?.owner === 'string' ? entry.extra.owner : null;
  let offset = 0;
  await client.query('BEGIN');
  try {
    const ownerExists =
      owner !== null && (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [owner])).rowCount === 1;
    if (owner !== null && !ownerExists) {
      logger?.warn('large object owner does not exist on the target; left owned by the restoring user', { oid, owner });
    }
    await client.query(largeObjectCreateSql({ oid, owner }, { noOwner: !ownerExists }));
    for await (const chunk of reader.openMember(entry) as AsyncIterable<Buffer>) {
      await client.query('SELECT lo_put($1::oid, $2::bigint, $3::bytea)', [oid, offset, chunk]);
      offset += chunk.length;
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return offset;
}
