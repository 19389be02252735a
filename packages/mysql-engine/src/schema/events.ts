import type { Connection, RowDataPacket } from 'mysql2/promise';
import { compareNames } from './catalog.js';
import { MysqlDefinitionUnreadableError } from './errors.js';
import { quoteIdentifier } from './quote.js';
import { wrapStoredObject } from './stored-object.js';
import type { MysqlPostDataItem } from './types.js';

export interface DumpedEvents {
  items: MysqlPostDataItem[];
  warnings: string[];
}

/**
 * Events from SHOW CREATE EVENT (schedule, status, ON COMPLETION, comment), created in the time zone, sql_mode
 * and character set they were defined in. They are post-data so none fires while data loads; they are created
 * whether or not the target's event_scheduler runs.
 */
export async function dumpEvents(
  connection: Connection,
  database: string,
  databaseCollation: string,
): Promise<DumpedEvents> {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT EVENT_NAME AS name,
            (ON_COMPLETION = 'NOT PRESERVE' AND COALESCE(EXECUTE_AT, ENDS) < NOW()) AS expired
       FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?`,
    [database],
  );
  const events = rows
    .map((row) => ({ name: String(row.name), expired: Number(row.expired) === 1 }))
    .sort((a, b) => compareNames(a.name, b.name));
  const items: MysqlPostDataItem[] = [];
  const warnings: string[] = [];
  for (const event of events) {
    const quoted = quoteIdentifier(event.name);
    const [created] = await connection.query<RowDataPacket[]>(`SHOW CREATE EVENT ${quoted}`);
    const row = created[0];
    const definition = row?.['Create Event'];
    if (!row || typeof definition !== 'string') throw new MysqlDefinitionUnreadableError('event', quoted);
    const wrapped = wrapStoredObject(
      definition,
      {
        sqlMode: String(row.sql_mode),
        characterSetClient: String(row.character_set_client),
        collationConnection: String(row.collation_connection),
        databaseCollation: String(row['Database Collation']),
        timeZone: String(row.time_zone),
      },
      databaseCollation,
      `event ${quoted}`,
    );
    if (wrapped.warning) warnings.push(wrapped.warning);
    if (event.expired) {
      warnings.push(
        `event ${quoted} has ended and is ON COMPLETION NOT PRESERVE: the server drops it as soon as the restore creates it`,
      );
    }
    items.push({ id: `event:${event.name}`, kind: 'event', statements: wrapped.statements, dependsOn: [] });
  }
  return { items, warnings };
}
