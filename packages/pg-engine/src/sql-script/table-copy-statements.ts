import type { TableDataInfo } from '../schema/index.js';

/** The two COPY statements of one table in a SQL script: the one written into the script, the one read from. */
export interface TableCopyStatements {
  /** `COPY t (cols) FROM stdin;` for the script. */
  copyIn: string;
  /** `COPY ... TO STDOUT` run against the source. */
  copyOut: string;
}

/**
 * With `orderByPrimaryKey`, a table that has a primary key is read as `COPY (SELECT cols FROM ONLY t ORDER BY pk)`:
 * the same COPY text format and the same columns (`ONLY` because `COPY t TO` never includes inheritance children
 * either), only the rows come in key order, which stays stable while the heap order shifts with every reused free
 * slot. Without a primary key (or without any copied column) the table is copied as is, in heap order.
 * Every name in `table` is already quoted by the schema dump.
 */
export function tableCopyStatements(table: TableDataInfo, orderByPrimaryKey: boolean): TableCopyStatements {
  const columnList = table.columns.join(', ');
  const columns = table.columns.length === 0 ? '' : ` (${columnList})`;
  const copyIn = `COPY ${table.qualifiedName}${columns} FROM stdin;`;
  const key = table.primaryKey;
  if (orderByPrimaryKey && key && key.length > 0 && table.columns.length > 0) {
    const select = `SELECT ${columnList} FROM ONLY ${table.qualifiedName} ORDER BY ${key.join(', ')}`;
    return { copyIn, copyOut: `COPY (${select}) TO STDOUT` };
  }
  return { copyIn, copyOut: `COPY ${table.qualifiedName}${columns} TO STDOUT` };
}
