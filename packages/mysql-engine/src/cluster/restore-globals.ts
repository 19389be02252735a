/**
 * Replays the users-and-grants statements of a cluster archive. Accounts and roles are created first (IF NOT
 * EXISTS: an existing account keeps its password and attributes), the grants and default roles after the
 * databases, since table- and routine-level grants need their objects. Statements naming the restoring account's
 * user (on any host) are skipped with a warning: replaying them could change its password or privileges
 * mid-restore.
 */
import type { Logger } from '@dbbackup/archive';
import type { Connection } from 'mysql2/promise';
import { describeAccount } from './accounts.js';
import type { MysqlAccountName } from './cluster-layout.js';
import { GlobalsRestoreError } from './errors.js';

export interface GlobalsPlan {
  /** CREATE USER / CREATE ROLE: before the databases. */
  first: string[];
  /** GRANT, SET DEFAULT ROLE: after the databases. */
  last: string[];
  warnings: string[];
}

export function planGlobals(statements: readonly string[], restoring: MysqlAccountName): GlobalsPlan {
  // Any host: the installer's root@127.0.0.1, root@::1 and root@<hostname> are the same administrator as root@localhost.
  const names = [`\`${restoring.user.replaceAll('`', '``')}\`@`, `'${restoring.user.replaceAll("'", "''")}'@`];
  const plan: GlobalsPlan = { first: [], last: [], warnings: [] };
  let skipped = 0;
  for (const statement of statements) {
    if (names.some((name) => statement.includes(name))) {
      skipped++;
      continue;
    }
    (/^CREATE (USER|ROLE) /i.test(statement) ? plan.first : plan.last).push(statement);
  }
  if (skipped > 0) {
    plan.warnings.push(
      `kept the restoring account ${describeAccount(restoring)} (and its user on other hosts) as it is: ${skipped} statement(s) of the archive about it were skipped`,
    );
  }
  return plan;
}

/** Runs statements one at a time. Errors never quote the statement (password hashes). */
export async function runGlobals(
  connection: Connection,
  statements: readonly string[],
  logger?: Logger,
): Promise<void> {
  for (const [index, statement] of statements.entries()) {
    try {
      await connection.query(statement);
    } catch (error) {
      throw new GlobalsRestoreError(
        `restoring the users and grants failed at statement ${index + 1} of ${statements.length} (${describeStatement(statement)}): ${(error as Error).message}; fix the target instance and restore again`,
        { cause: error },
      );
    }
  }
  logger?.debug('users and grants statements run', { statements: statements.length });
}

/** The statement's kind, never its body. */
function describeStatement(statement: string): string {
  return statement.split(/\s+/).slice(0, 2).join(' ');
}
