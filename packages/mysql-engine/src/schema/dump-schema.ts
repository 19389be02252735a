import type { Connection } from 'mysql2/promise';
import { readCatalog } from './catalog.js';
import { readDatabaseOptions } from './database.js';
import { dumpEvents } from './events.js';
import { quoteIdentifier } from './quote.js';
import { dumpRoutines } from './routines.js';
import { dumpSequence } from './sequences.js';
import { readServerInfo } from './server.js';
import { withDumpSettings } from './session.js';
import { dumpTable } from './tables.js';
import { dumpTriggers } from './triggers.js';
import type { MysqlPostDataItem, MysqlSchemaDump, MysqlSchemaDumpOptions, MysqlTableInfo } from './types.js';
import { dumpViews } from './views.js';

const BASE_TABLE_TYPES = new Set(['BASE TABLE', 'SYSTEM VERSIONED']);

/**
 * Reads the complete DDL of one database from SHOW CREATE ... and information_schema, without mysqldump.
 *
 * Run it inside the backup's consistent-snapshot transaction so the sequence values match the data. It `USE`s
 * `database` on the connection (SHOW CREATE VIEW prints names relative to the current database) and leaves it
 * selected; its session settings (sql_mode, time_zone, character_set_results) are restored afterwards. The
 * connection must use mysql2's default utf8mb4 charset.
 */
export async function dumpSchema(
  connection: Connection,
  database: string,
  options: MysqlSchemaDumpOptions = {},
): Promise<MysqlSchemaDump> {
  const server = await readServerInfo(connection);
  const databaseOptions = await readDatabaseOptions(connection, server, database);
  await connection.query(`USE ${quoteIdentifier(database)}`);
  return withDumpSettings(connection, async () => {
    const catalog = await readCatalog(connection, server, database);
    const warnings: string[] = [];
    const preData: string[] = [];
    const tables: MysqlTableInfo[] = [];
    const indexItems: MysqlPostDataItem[] = [];
    const sequenceItems: MysqlPostDataItem[] = [];
    const viewNames: string[] = [];

    // Sequences first: a table's DEFAULT NEXT VALUE FOR seq needs the sequence.
    for (const table of catalog.tables.filter((candidate) => candidate.type === 'SEQUENCE')) {
      const sequence = await dumpSequence(connection, table.name);
      preData.push(sequence.createStatement);
      sequenceItems.push(sequence.valueItem);
    }
    for (const table of catalog.tables) {
      if (table.type === 'VIEW') viewNames.push(table.name);
      else if (BASE_TABLE_TYPES.has(table.type)) {
        const dumped = await dumpTable(
          connection,
          server,
          database,
          catalog,
          table,
          options.deferSecondaryIndexes === true,
        );
        preData.push(dumped.createStatement);
        tables.push(dumped.info);
        indexItems.push(...dumped.indexItems);
        warnings.push(...dumped.warnings);
        if (!dumped.info.ownsData) {
          warnings.push(
            `table ${dumped.info.quotedName} (ENGINE=${table.engine}) keeps no rows of its own: its data is not dumped`,
          );
        }
      } else if (table.type !== 'SEQUENCE') {
        warnings.push(`${quoteIdentifier(table.name)} of type ${table.type} is not dumped`);
      }
    }

    const routines = await dumpRoutines(connection, database, databaseOptions.collation);
    preData.push(...routines.statements);
    warnings.push(...routines.warnings);
    preData.push(...(await dumpViews(connection, database, databaseOptions.collation, catalog, viewNames)));

    const triggers = await dumpTriggers(connection, database, databaseOptions.collation);
    const events = await dumpEvents(connection, database, databaseOptions.collation);
    warnings.push(...triggers.warnings, ...events.warnings);
    // Triggers and events may switch the database collation around their CREATE: one at a time.
    const storedObjects = [...triggers.items, ...events.items].map((item, position, all) => {
      const previous = all[position - 1];
      return previous ? { ...item, dependsOn: [previous.id] } : item;
    });

    return {
      server,
      database: databaseOptions,
      preData,
      tables,
      postData: [...indexItems, ...sequenceItems, ...storedObjects],
      warnings,
    };
  });
}
