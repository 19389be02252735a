import { quoteString } from './quote.js';
import { RESET_NAMES, RESET_SQL_MODE, RESET_TIME_ZONE } from './session.js';

/**
 * What the server recorded when a view, routine, trigger or event was created. SHOW CREATE reports it, and the
 * restore has to reproduce it: the sql_mode decides how the body parses and behaves, the character set and
 * collation how its literals are read, and mariadb-dump prints all of them.
 */
export interface StoredObjectContext {
  /** null for views, which keep no sql_mode. */
  sqlMode: string | null;
  characterSetClient: string;
  collationConnection: string;
  /** The database's default collation when the object was created (not kept for views). */
  databaseCollation: string | null;
  /** Events only: the time zone their schedule is read in. */
  timeZone?: string;
}

export interface WrappedStatements {
  statements: string[];
  /** Index of the CREATE statement inside `statements`. */
  createIndex: number;
  /** Set when the object's character_set_client could not be reproduced (see `wrapStoredObject`). */
  warning: string | null;
}

const UTF8_CHARSETS = new Set(['utf8', 'utf8mb3', 'utf8mb4']);

/**
 * The statements that create a stored object in its recorded context and then put the restore session's
 * settings back, as mysqldump frames each one: the database collation switched around the CREATE when it
 * differs from the database's (with an unnamed `ALTER DATABASE`, which acts on the restore's current database),
 * then character_set_client, collation_connection, time_zone and sql_mode.
 *
 * mysql2 always sends statement text as UTF-8. A body in a non-UTF-8 client character set is therefore sent under
 * utf8mb4 when it holds non-ASCII characters (the text stays right, the recorded character_set_client changes);
 * pure ASCII is the same bytes in every supported client character set and keeps the original.
 */
export function wrapStoredObject(
  createStatement: string,
  context: StoredObjectContext,
  databaseCollation: string,
  objectLabel: string,
): WrappedStatements {
  const before: string[] = [];
  const after: string[] = [];
  let warning: string | null = null;
  const switchCollation = context.databaseCollation !== null && context.databaseCollation !== databaseCollation;
  if (switchCollation) before.push(`ALTER DATABASE COLLATE ${context.databaseCollation}`);

  let characterSetClient = context.characterSetClient;
  if (!UTF8_CHARSETS.has(characterSetClient) && /[^\x00-\x7f]/.test(createStatement)) {
    warning = `${objectLabel} was created with character_set_client ${characterSetClient} and holds non-ASCII text; it is restored with character_set_client utf8mb4`;
    characterSetClient = 'utf8mb4';
  }
  before.push(`SET character_set_client = ${characterSetClient}`);
  before.push(`SET collation_connection = ${context.collationConnection}`);
  if (context.timeZone !== undefined) before.push(`SET time_zone = ${quoteString(context.timeZone)}`);
  if (context.sqlMode !== null) before.push(`SET sql_mode = ${quoteString(context.sqlMode)}`);

  // sql_mode goes back first: the object's mode may include NO_BACKSLASH_ESCAPES or ANSI_QUOTES.
  if (context.sqlMode !== null) after.push(RESET_SQL_MODE);
  if (context.timeZone !== undefined) after.push(RESET_TIME_ZONE);
  after.push(RESET_NAMES);
  if (switchCollation) after.push(`ALTER DATABASE COLLATE ${databaseCollation}`);
  return { statements: [...before, createStatement, ...after], createIndex: before.length, warning };
}
