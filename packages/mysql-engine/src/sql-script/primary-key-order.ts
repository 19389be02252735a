import type { MysqlTableInfo } from '../schema/index.js';

/**
 * ` ORDER BY t.pk1, t.pk2` for a table's data SELECT, or '' when the table has no primary key (its rows keep the
 * engine's natural order). InnoDB usually returns clustered-index order anyway, but nothing promises it (and other
 * engines do not): asking for it makes the order a guarantee. The columns are qualified with the table so that
 * no select-list expression can shadow them. A system-versioned table's history rows share the key with their
 * current row; MariaDB keeps the key unique by extending it with the row-end column, and so does the order.
 */
export function primaryKeyOrder(table: MysqlTableInfo): string {
  const key = table.primaryKey;
  if (!key || key.length === 0) return '';
  const columns = [...key];
  const rowEnd = table.systemVersioning?.rowEnd;
  if (rowEnd && !columns.includes(rowEnd)) columns.push(rowEnd);
  return ` ORDER BY ${columns.map((column) => `${table.quotedName}.${column}`).join(', ')}`;
}
