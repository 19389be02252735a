import { count, nameList } from '@dbbackup/engine-kit';
import type { RowDataPacket } from 'mysql2/promise';
import type { MysqlSession } from '../connection/connect.js';
import { type MysqlServerInfo, quoteIdentifier } from '../schema/index.js';
import type { AccountPrivileges } from './account.js';

/** What one database's backup needs from the account. */
export interface DatabasePrivileges {
  /** Every missing privilege (uncapped), each with the GRANT that fixes it. */
  missing: string[];
  warnings: string[];
  /** One line: what was checked and found. */
  detail: string;
}

/** Engines whose tables keep no rows of their own: the backup copies their definition only (schema/tables.ts). */
const ENGINES_WITHOUT_OWN_DATA = new Set(['MRG_MYISAM', 'MRG_ISAM', 'FEDERATED', 'CONNECT', 'SPIDER', 'BLACKHOLE']);
const BASE_TABLE_TYPES = new Set(['BASE TABLE', 'SYSTEM VERSIONED']);

/**
 * Checks one database against what its backup runs (schema/dump-schema.ts, backup/): SELECT on every table and
 * sequence it copies; SHOW CREATE VIEW, which needs SHOW VIEW and SELECT on the view; SHOW CREATE of every
 * routine, whose body only its definer or an account with SELECT on mysql.proc (MariaDB) / SHOW_ROUTINE or global
 * SELECT (MySQL) can read, else the backup fails. The schema dump lists objects in information_schema, which shows
 * an account only what it holds privileges on: without TRIGGER a table's triggers, without EVENT the events, and
 * without any privilege on a routine (or on the database) that routine or table are invisible, and the backup
 * would leave them out without an error. Those are warnings, since the check cannot see them either.
 */
export async function checkDatabasePrivileges(
  session: MysqlSession,
  server: MysqlServerInfo,
  account: AccountPrivileges,
  database: string,
): Promise<DatabasePrivileges> {
  const { grants, grantee } = account;
  const quotedDatabase = quoteIdentifier(database);
  const [objects] = await session.client.query<RowDataPacket[]>(
    'SELECT TABLE_NAME AS name, TABLE_TYPE AS type, ENGINE AS engine FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
    [database],
  );
  const [routines] = await session.client.query<RowDataPacket[]>(
    `SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type, ROUTINE_DEFINITION IS NULL AS unreadable
       FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_TYPE, ROUTINE_NAME`,
    [database],
  );
  const missing: string[] = [];
  const warnings: string[] = [];
  const qualified = (name: string) => `${quotedDatabase}.${quoteIdentifier(name)}`;
  const has = (privilege: string, name: string) => grants.hasOnTable(privilege, database, name);

  const tables = objects.filter((row) => BASE_TABLE_TYPES.has(String(row.type)) || row.type === 'SEQUENCE');
  const copied = tables.filter((row) => !ENGINES_WITHOUT_OWN_DATA.has(String(row.engine ?? '').toUpperCase()));
  const unreadable = copied.filter((row) => !has('SELECT', String(row.name)));
  for (const row of unreadable) {
    const name = qualified(String(row.name));
    const kind = row.type === 'SEQUENCE' ? 'sequence' : 'table';
    missing.push(`SELECT on ${kind} ${name} (GRANT SELECT ON ${name} TO ${grantee})`);
  }

  const views = objects.filter((row) => row.type === 'VIEW').map((row) => String(row.name));
  const viewsLacking = views.filter((name) => !has('SHOW VIEW', name) || !has('SELECT', name));
  for (const view of viewsLacking) {
    const lacking = ['SHOW VIEW', 'SELECT'].filter((privilege) => !has(privilege, view)).join(', ');
    missing.push(`${lacking} on view ${qualified(view)} (GRANT ${lacking} ON ${qualified(view)} TO ${grantee})`);
  }

  const routineAccess = fullRoutineAccess(account, server);
  const hiddenRoutines = routines.filter((row) => Number(row.unreadable) === 1);
  for (const row of hiddenRoutines) {
    missing.push(
      `${routineAccess.privilege} to read the definition of ${String(row.type).toLowerCase()} ${qualified(String(row.name))} (${routineAccess.grant} TO ${grantee})`,
    );
  }

  if (!grants.seesWholeDatabase(database)) {
    warnings.push(
      `this account holds no privilege on ${quotedDatabase}.* and sees only the tables and views it was granted one by one: any other would be left out of the backup without an error; GRANT SELECT, SHOW VIEW, TRIGGER, EVENT ON ${quotedDatabase}.* TO ${grantee}`,
    );
  }
  if (!routineAccess.held && !grants.hasOnDatabase('EXECUTE', database)) {
    warnings.push(
      `routines of ${quotedDatabase} that this account neither defined nor holds a privilege on are invisible to it and would be left out of the backup without an error; ${routineAccess.grant} TO ${grantee}`,
    );
  }
  const plainTables = tables.filter((row) => row.type !== 'SEQUENCE');
  const noTrigger = plainTables.filter((row) => !has('TRIGGER', String(row.name)));
  if (noTrigger.length > 0) {
    const names = nameList(noTrigger.map((row) => quoteIdentifier(String(row.name))));
    warnings.push(
      `no TRIGGER privilege on ${count(noTrigger.length, 'table')} of ${quotedDatabase} (${names}): their triggers are invisible to this account and would be left out of the backup without an error; GRANT TRIGGER ON ${quotedDatabase}.* TO ${grantee}`,
    );
  }
  const events = grants.hasOnDatabase('EVENT', database);
  if (!events) {
    warnings.push(
      `no EVENT privilege on ${quotedDatabase}: its events are invisible to this account and would be left out of the backup without an error; GRANT EVENT ON ${quotedDatabase}.* TO ${grantee}`,
    );
  }

  const parts = [
    `SELECT on ${copied.length - unreadable.length} of ${count(copied.length, 'table')}`,
    `SHOW VIEW and SELECT on ${views.length - viewsLacking.length} of ${count(views.length, 'view')}`,
    `${routines.length - hiddenRoutines.length} of ${count(routines.length, 'routine')} readable${routineAccess.held ? ` (${routineAccess.privilege})` : ''}`,
    `TRIGGER on ${plainTables.length - noTrigger.length} of ${count(plainTables.length, 'table')}`,
    events ? 'EVENT' : 'no EVENT',
  ];
  return { missing, warnings, detail: `${quotedDatabase}: ${parts.join(', ')}` };
}

/** How this server lets an account read every routine's body, and whether the account can. */
function fullRoutineAccess(
  account: AccountPrivileges,
  server: MysqlServerInfo,
): { held: boolean; privilege: string; grant: string } {
  const { grants } = account;
  // MariaDB, and MySQL before 8.0 (which still has mysql.proc).
  if (server.flavor === 'mariadb' || server.versionNum < 80000) {
    return {
      held: grants.hasOnTable('SELECT', 'mysql', 'proc'),
      privilege: 'SELECT on mysql.proc',
      grant: 'GRANT SELECT ON mysql.proc',
    };
  }
  if (server.versionNum >= 80020) {
    return {
      held: grants.hasGlobal('SHOW_ROUTINE') || grants.hasGlobal('SELECT'),
      privilege: 'SHOW_ROUTINE',
      grant: 'GRANT SHOW_ROUTINE ON *.*',
    };
  }
  // MySQL 8.0.0-8.0.19: no mysql.proc and no SHOW_ROUTINE yet.
  return { held: grants.hasGlobal('SELECT'), privilege: 'global SELECT', grant: 'GRANT SELECT ON *.*' };
}
