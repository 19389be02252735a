import type { SinkWriter } from '@dbbackup/engine-kit';
import { readRawRows } from '../backup/raw-rows.js';
import type { TableReadSpec } from '../backup/select-list.js';
import type { MysqlSession } from '../connection/connect.js';
import type { MysqlTableInfo } from '../schema/index.js';
import { primaryKeyOrder } from './primary-key-order.js';
import { appendRowLiterals, type LiteralKind, literalKind } from './sql-literals.js';

/** Extended INSERTs end once they reach this many characters (a single bigger row makes a bigger statement). */
export const DEFAULT_MAX_INSERT_BYTES = 1024 * 1024;

/**
 * Streams one table's rows (read as the backup reads them: same SELECT list, history rows included) into
 * multi-row `INSERT INTO t (columns) VALUES (...),(...);` statements of about `maxInsertBytes` each. The rows
 * pause while the sink is full. With `orderByPrimaryKey` a table with a primary key is read in key order (see
 * primaryKeyOrder). Returns the row count. On failure the session is mid-query and must be destroyed.
 */
export async function writeTableInserts(
  session: MysqlSession,
  table: MysqlTableInfo,
  spec: TableReadSpec,
  writer: SinkWriter,
  maxInsertBytes: number,
  orderByPrimaryKey = false,
): Promise<number> {
  const kinds: LiteralKind[] = table.columnDetails.map(literalKind);
  // Period columns of a system-versioned table (timestamps, or transaction ids when versioned by trx id).
  if (table.systemVersioning) kinds.push({ kind: 'quoted' }, { kind: 'quoted' });
  const prefix = `INSERT INTO ${table.quotedName} (${spec.loadColumns}) VALUES `;
  const history = spec.allHistory ? ' FOR SYSTEM_TIME ALL' : '';
  const order = orderByPrimaryKey ? primaryKeyOrder(table) : '';
  const sql = `SELECT ${spec.selectList} FROM ${table.quotedName}${history}${order}`;

  let fail: (error: unknown) => void = () => undefined;
  const failure = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failure.catch(() => undefined);

  let parts: string[] = [];
  let pending = 0;
  let rows = 0;
  const flush = (): boolean => {
    if (parts.length === 0) return true;
    parts.push(';\n');
    const statement = parts.join('');
    parts = [];
    pending = 0;
    return writer.writeNow(statement);
  };
  await Promise.race([
    readRawRows(
      session.core,
      sql,
      {
        addRow(bytes, start, end) {
          if (parts.length === 0) {
            parts.push(prefix);
            pending = prefix.length;
          } else {
            parts.push(',');
            pending++;
          }
          pending += appendRowLiterals(bytes, start, end, kinds, parts);
          rows++;
          if (pending < maxInsertBytes) return;
          try {
            if (flush()) return;
          } catch (error) {
            fail(error);
            return;
          }
          session.core.pause();
          writer.drained().then(() => session.core.resume(), fail);
        },
      },
      spec.columnCount,
    ),
    failure,
  ]);
  if (!flush()) await writer.drained();
  return rows;
}
