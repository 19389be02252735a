import type { SinkWriter } from '@dbbackup/engine-kit';
import type pg from 'pg';
import { type LargeObjectInfo, largeObjectCreateSql } from '../schema/index.js';

/** Bytes per lo_put statement (twice that as hex text): small enough for any psql, few enough statements. */
const CHUNK_BYTES = 256 * 1024;

/**
 * One large object as psql statements: lo_create with its original oid (and owner), then its contents read with
 * lo_get inside the script's snapshot and written with lo_put, chunk by chunk, so memory stays small.
 */
export async function writeLargeObject(
  client: pg.Client,
  writer: SinkWriter,
  largeObject: LargeObjectInfo,
): Promise<number> {
  await writer.write(largeObjectCreateSql(largeObject));
  let offset = 0;
  for (;;) {
    const result = await client.query<{ chunk: Buffer }>(
      'SELECT pg_catalog.lo_get($1::oid, $2::bigint, $3::int) AS chunk',
      [largeObject.oid, offset, CHUNK_BYTES],
    );
    const chunk = result.rows[0]!.chunk;
    if (chunk.length > 0) {
      // standard_conforming_strings is on (the script's session setup), so '\x...' is a plain bytea literal.
      await writer.write(`SELECT pg_catalog.lo_put('${largeObject.oid}', ${offset}, '\\x${chunk.toString('hex')}');\n`);
      offset += chunk.length;
    }
    if (chunk.length < CHUNK_BYTES) return offset;
  }
}
