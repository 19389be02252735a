import type { Connection, RowDataPacket } from 'mysql2/promise';
import { compareNames } from './catalog.js';
import { MysqlDefinitionUnreadableError } from './errors.js';
import { quoteIdentifier } from './quote.js';
import { tokenize, unquoteIdentifier } from './sql-scanner.js';
import { wrapStoredObject } from './stored-object.js';
import type { MysqlDatabaseReference, MysqlPostDataItem } from './types.js';

export interface DumpedTriggers {
  items: MysqlPostDataItem[];
  warnings: string[];
}

/**
 * Triggers from SHOW CREATE TRIGGER (the statement as written, with its DEFINER), in post-data so they do not fire
 * while rows load. Per table and event they are created in ACTION_ORDER, which reproduces FOLLOWS/PRECEDES
 * ordering (the printed statement leaves those clauses out).
 */
export async function dumpTriggers(
  connection: Connection,
  database: string,
  databaseCollation: string,
): Promise<DumpedTriggers> {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS tableName, ACTION_TIMING AS timing,
            EVENT_MANIPULATION AS manipulation, ACTION_ORDER AS actionOrder
       FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?`,
    [database],
  );
  const triggers = rows
    .map((row) => ({
      name: String(row.name),
      table: String(row.tableName),
      group: `${row.timing} ${row.manipulation}`,
      order: Number(row.actionOrder),
    }))
    .sort((a, b) => compareNames(a.table, b.table) || compareNames(a.group, b.group) || a.order - b.order);
  const items: MysqlPostDataItem[] = [];
  const warnings: string[] = [];
  for (const trigger of triggers) {
    const quoted = quoteIdentifier(trigger.name);
    const [created] = await connection.query<RowDataPacket[]>(`SHOW CREATE TRIGGER ${quoted}`);
    const row = created[0];
    const definition = row?.['SQL Original Statement'];
    if (!row || typeof definition !== 'string') throw new MysqlDefinitionUnreadableError('trigger', quoted);
    const wrapped = wrapStoredObject(
      definition,
      {
        sqlMode: String(row.sql_mode),
        characterSetClient: String(row.character_set_client),
        collationConnection: String(row.collation_connection),
        databaseCollation: String(row['Database Collation']),
      },
      databaseCollation,
      `trigger ${quoted}`,
    );
    if (wrapped.warning) warnings.push(wrapped.warning);
    const references = headerDatabaseQualifiers(definition, database).map(
      (span): MysqlDatabaseReference => ({ statement: wrapped.createIndex, ...span }),
    );
    items.push({
      id: `trigger:${trigger.name}`,
      kind: 'trigger',
      table: trigger.table,
      statements: wrapped.statements,
      dependsOn: [],
      ...(references.length > 0 ? { databaseReferences: references } : {}),
    });
  }
  return { items, warnings };
}

/**
 * Where the trigger's header names the dumped database (`TRIGGER db.name ... ON db.table`): the server keeps the
 * statement as written, and replayed under another database name it would act on the source database.
 */
export function headerDatabaseQualifiers(
  statement: string,
  database: string,
): Array<{ offset: number; length: number }> {
  const tokens = tokenize(statement);
  const spans: Array<{ offset: number; length: number }> = [];
  const qualifierAt = (position: number) => {
    const token = tokens[position];
    if (!token || tokens[position + 1]?.text !== '.') return;
    if (token.type !== 'identifier' && token.type !== 'word') return;
    if (unquoteIdentifier(token.text) === database)
      spans.push({ offset: token.start, length: token.end - token.start });
  };
  let position = tokens.findIndex((token) => token.type === 'word' && token.text.toUpperCase() === 'TRIGGER');
  if (position === -1) return spans;
  position += 1;
  while (['IF', 'NOT', 'EXISTS'].includes(tokens[position]?.text.toUpperCase() ?? '')) position += 1;
  qualifierAt(position);
  const on = tokens.findIndex(
    (token, index) => index > position && token.type === 'word' && token.text.toUpperCase() === 'ON',
  );
  if (on !== -1) qualifierAt(on + 1);
  return spans;
}
