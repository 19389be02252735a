import { addChecksums, EMPTY_CHECKSUM } from '@dbbackup/engine-kit';
import type pg from 'pg';
import { copyOutToParts } from '../backup/copy-out-parts.js';

const VERIFY_BUFFER_BYTES = 8 * 1024 * 1024;

/**
 * Row count and checksum of a table as it is now, computed exactly as a backup computes them: COPY TO STDOUT in
 * text format with the same column list, cut at line boundaries and hashed line by line, no parsing.
 */
export async function checksumTable(
  client: pg.Client,
  qualifiedName: string,
  columns: string,
): Promise<{ rows: number; checksum: string }> {
  const columnList = columns === '' ? '' : ` (${columns})`;
  let rows = 0;
  const checksums: string[] = [];
  const sql = `COPY ${qualifiedName}${columnList} TO STDOUT`;
  await copyOutToParts(client, sql, { partSizeBytes: VERIFY_BUFFER_BYTES, reuseBuffers: true }, async (part) => {
    rows += part.rows;
    checksums.push(part.checksum);
  });
  return { rows, checksum: checksums.length > 0 ? addChecksums(checksums) : EMPTY_CHECKSUM };
}
