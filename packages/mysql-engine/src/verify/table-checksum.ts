import { addChecksums, EMPTY_CHECKSUM } from '@dbbackup/engine-kit';
import type { ArchivedTable } from '../archive-layout.js';
import { readRowsToParts } from '../backup/rows-to-parts.js';
import { selectSql } from '../backup/work-plan.js';
import type { MysqlSession } from '../connection/connect.js';

const VERIFY_BUFFER_BYTES = 8 * 1024 * 1024;

/**
 * Row count and checksum of a table as it is now, computed exactly as a backup computes them: the same SELECT
 * expressions, the same encoder, the same line hash. The session must have the read-session settings.
 */
export async function checksumTable(
  session: MysqlSession,
  table: Pick<ArchivedTable, 'quotedName' | 'selectList' | 'allHistory' | 'columnCount'>,
): Promise<{ rows: number; checksum: string }> {
  const sql = selectSql({ ...table, estimatedBytes: 0, splitColumn: null });
  let rows = 0;
  const checksums: string[] = [];
  await readRowsToParts(
    session,
    sql,
    table.columnCount,
    { partSizeBytes: VERIFY_BUFFER_BYTES, reuseBuffers: true },
    async (part) => {
      rows += part.rows;
      checksums.push(part.checksum);
    },
  );
  return { rows, checksum: checksums.length > 0 ? addChecksums(checksums) : EMPTY_CHECKSUM };
}
