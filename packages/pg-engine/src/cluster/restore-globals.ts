/**
 * Replays the dumpGlobals statements of a cluster archive. Roles that already exist are kept (each CREATE ROLE is
 * guarded) and get the archive's attributes through the ALTER ROLE that follows; a tablespace that already exists
 * is left as it is. Two kinds of statement wait until every database is restored: role settings (ALTER ROLE ...
 * SET, which could change the restore's own sessions, e.g. default_transaction_read_only) and the restoring user's
 * own ALTER ROLE (a different password would lock out the restore's next connections). The restoring user is never
 * made NOSUPERUSER by the restore.
 */
import type { Logger } from '@dbbackup/archive';
import type pg from 'pg';
import { PgEngineError } from '../errors.js';
import type { Quoter } from '../schema/index.js';

const DUPLICATE_OBJECT = '42710';
const ROLE_NAME = String.raw`(?:"(?:[^"]|"")*"|[^\s"]+)`;
const ROLE_SETTING = new RegExp(`^ALTER ROLE ${ROLE_NAME} SET `);

export class GlobalsRestoreError extends PgEngineError {}

export interface GlobalsPlan {
  /** Run before the databases. */
  first: string[];
  /** Run after the databases. */
  last: string[];
}

export interface RestoringUser {
  name: string;
  superuser: boolean;
}

export async function readRestoringUser(admin: pg.Client): Promise<RestoringUser> {
  const { rows } = await admin.query<{ name: string; superuser: boolean }>(
    'SELECT current_user AS name, rolsuper AS superuser FROM pg_catalog.pg_roles WHERE rolname = current_user',
  );
  return rows[0]!;
}

export function planGlobals(statements: readonly string[], quoter: Quoter, user: RestoringUser): GlobalsPlan {
  const ownAlter = `ALTER ROLE ${quoter.ident(user.name)} WITH `;
  const first: string[] = [];
  const last: string[] = [];
  for (const statement of statements) {
    if (ROLE_SETTING.test(statement)) last.push(statement);
    else if (statement.startsWith(ownAlter)) {
      last.push(user.superuser ? statement.replace(' NOSUPERUSER ', ' SUPERUSER ') : statement);
    } else first.push(statement);
  }
  return { first, last };
}

/**
 * Runs statements one at a time (CREATE TABLESPACE refuses a transaction block). Returns warnings. Errors never
 * quote the statement: an ALTER ROLE carries a password hash.
 */
export async function runGlobals(admin: pg.Client, statements: readonly string[], logger?: Logger): Promise<string[]> {
  const warnings: string[] = [];
  for (const [index, statement] of statements.entries()) {
    try {
      await admin.query(statement);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === DUPLICATE_OBJECT && statement.startsWith('CREATE TABLESPACE ')) {
        const warning = `kept the existing tablespace: ${(error as Error).message}`;
        warnings.push(warning);
        logger?.warn(warning);
        continue;
      }
      throw new GlobalsRestoreError(
        `restoring the cluster globals failed at statement ${index + 1} of ${statements.length} (${describeStatement(statement)}): ${(error as Error).message}; fix the target instance and restore again`,
        { cause: error },
      );
    }
  }
  return warnings;
}

/** The statement's kind and object, never its body (passwords). */
function describeStatement(statement: string): string {
  if (statement.startsWith('DO ')) return 'CREATE ROLE if missing';
  return statement.split(/\s+/).slice(0, 3).join(' ');
}
