import type { Connection, RowDataPacket } from 'mysql2/promise';
import { compareNames } from './catalog.js';
import { MysqlDefinitionUnreadableError } from './errors.js';
import { quoteIdentifier } from './quote.js';
import { wrapStoredObject } from './stored-object.js';

/** Creation order: a PACKAGE BODY (MariaDB, sql_mode=ORACLE) needs its PACKAGE. */
const ROUTINE_TYPES = ['FUNCTION', 'PROCEDURE', 'PACKAGE', 'PACKAGE BODY'] as const;
type RoutineType = (typeof ROUTINE_TYPES)[number];

const CREATE_COLUMN: Record<RoutineType, string> = {
  FUNCTION: 'Create Function',
  PROCEDURE: 'Create Procedure',
  PACKAGE: 'Create Package',
  'PACKAGE BODY': 'Create Package Body',
};

export interface DumpedRoutines {
  statements: string[];
  warnings: string[];
}

/**
 * Functions, procedures and (MariaDB) packages, each from SHOW CREATE with the sql_mode, character set,
 * collation and database collation it was created under. They go in pre-data: creating a routine checks nothing
 * about the tables it uses, and views may call functions.
 */
export async function dumpRoutines(
  connection: Connection,
  database: string,
  databaseCollation: string,
): Promise<DumpedRoutines> {
  const [rows] = await connection.query<RowDataPacket[]>(
    'SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?',
    [database],
  );
  const routines = rows
    .map((row) => ({ name: String(row.name), type: String(row.type) as RoutineType }))
    .filter((routine) => ROUTINE_TYPES.includes(routine.type))
    .sort((a, b) => ROUTINE_TYPES.indexOf(a.type) - ROUTINE_TYPES.indexOf(b.type) || compareNames(a.name, b.name));
  const statements: string[] = [];
  const warnings: string[] = [];
  for (const routine of routines) {
    const quoted = quoteIdentifier(routine.name);
    const [created] = await connection.query<RowDataPacket[]>(`SHOW CREATE ${routine.type} ${quoted}`);
    const row = created[0];
    const definition = row?.[CREATE_COLUMN[routine.type]];
    const label = `${routine.type.toLowerCase()} ${quoted}`;
    if (!row || typeof definition !== 'string')
      throw new MysqlDefinitionUnreadableError(routine.type.toLowerCase(), quoted);
    const wrapped = wrapStoredObject(
      definition,
      {
        sqlMode: String(row.sql_mode),
        characterSetClient: String(row.character_set_client),
        collationConnection: String(row.collation_connection),
        databaseCollation: String(row['Database Collation']),
      },
      databaseCollation,
      label,
    );
    statements.push(...wrapped.statements);
    if (wrapped.warning) warnings.push(wrapped.warning);
  }
  return { statements, warnings };
}
