import type { Connection, RowDataPacket } from 'mysql2/promise';
import { MysqlDefinitionUnreadableError } from './errors.js';
import { quoteIdentifier } from './quote.js';
import type { MysqlPostDataItem } from './types.js';

export interface DumpedSequence {
  createStatement: string;
  /** Puts the sequence where the source's was: its next value not yet handed to any cache, and its cycle round. */
  valueItem: MysqlPostDataItem;
}

/**
 * A MariaDB sequence: SHOW CREATE SEQUENCE for its definition and its single row for its state, read directly
 * (NEXTVAL would advance it). Restored as mariadb-dump does, with `SETVAL(seq, next_not_cached_value, 0)`, so
 * the restored row is identical and the next NEXTVAL returns what the source's next uncached one would.
 */
export async function dumpSequence(connection: Connection, name: string): Promise<DumpedSequence> {
  const quoted = quoteIdentifier(name);
  const [created] = await connection.query<RowDataPacket[]>(`SHOW CREATE SEQUENCE ${quoted}`);
  const createStatement = created[0]?.['Create Table'];
  if (typeof createStatement !== 'string') throw new MysqlDefinitionUnreadableError('sequence', quoted);
  const [state] = await connection.query<RowDataPacket[]>({
    sql: `SELECT next_not_cached_value AS nextValue, cycle_count AS round FROM ${quoted}`,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  const row = state[0];
  const nextValue = String(row?.nextValue);
  const round = String(row?.round ?? '0');
  const roundArgument = round === '0' ? '' : `, ${round}`;
  return {
    createStatement,
    valueItem: {
      id: `sequence-value:${name}`,
      kind: 'sequence-value',
      table: name,
      statements: [`DO SETVAL(${quoted}, ${nextValue}, 0${roundArgument})`],
      dependsOn: [],
    },
  };
}
