import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { Catalog } from './catalog.js';
import { compareNames } from './catalog.js';
import { stripDatabaseQualifier } from './database-qualifier.js';
import { MysqlDefinitionUnreadableError } from './errors.js';
import { quoteIdentifier } from './quote.js';
import { tokenize, unquoteIdentifier } from './sql-scanner.js';
import { wrapStoredObject } from './stored-object.js';

interface ViewDefinition {
  name: string;
  definition: string;
  characterSetClient: string;
  collationConnection: string;
  /** Other views of the database this one reads. */
  uses: Set<string>;
}

/**
 * Views from SHOW CREATE VIEW (ALGORITHM, DEFINER, SQL SECURITY, CHECK OPTION as defined), each in the character
 * set and collation it was created with, ordered so every view comes after the views it reads. The server prints
 * view bodies with every identifier backtick-quoted and names in the dumped database unqualified (the dumping
 * session has `USE`d it), so the views a view reads are the quoted tokens naming another view, not qualified by
 * some other database. A name that only looks like a view (a column alias, say) adds a harmless edge; should edges
 * ever form a cycle, those views are first created as placeholders with the right columns (as mysqldump does
 * for all of them), then replaced.
 */
export async function dumpViews(
  connection: Connection,
  database: string,
  databaseCollation: string,
  catalog: Catalog,
  viewNames: string[],
): Promise<string[]> {
  const views: ViewDefinition[] = [];
  const names = new Set(viewNames);
  for (const name of [...viewNames].sort(compareNames)) {
    const quoted = quoteIdentifier(name);
    const [rows] = await connection.query<RowDataPacket[]>(`SHOW CREATE VIEW ${quoted}`);
    const row = rows[0];
    const definition = row?.['Create View'];
    if (!row || typeof definition !== 'string') throw new MysqlDefinitionUnreadableError('view', quoted);
    views.push({
      name,
      definition: stripDatabaseQualifier(definition, database),
      characterSetClient: String(row.character_set_client),
      collationConnection: String(row.collation_connection),
      uses: referencedViews(definition, name, names, database),
    });
  }

  const { ordered, cyclic } = orderViews(views);
  const statements: string[] = [];
  for (const view of cyclic) statements.push(placeholderView(view.name, catalog));
  for (const view of [...ordered, ...cyclic]) {
    const definition = cyclic.includes(view)
      ? view.definition.replace(/^CREATE /, 'CREATE OR REPLACE ')
      : view.definition;
    const context = {
      sqlMode: null,
      characterSetClient: view.characterSetClient,
      collationConnection: view.collationConnection,
      databaseCollation: null,
    };
    statements.push(...wrapStoredObject(definition, context, databaseCollation, `view ${view.name}`).statements);
  }
  return statements;
}

function referencedViews(definition: string, self: string, views: Set<string>, database: string): Set<string> {
  const body = definition.slice(Math.max(0, definition.search(/\sAS\s/i)));
  const tokens = tokenize(body);
  const uses = new Set<string>();
  tokens.forEach((token, position) => {
    if (token.type !== 'identifier') return;
    const name = unquoteIdentifier(token.text);
    if (name === self || !views.has(name)) return;
    const qualifier = tokens[position - 1]?.text === '.' ? tokens[position - 2] : undefined;
    if (qualifier && qualifier.type === 'identifier' && unquoteIdentifier(qualifier.text) !== database) {
      // `other`.`v` is a view of another database, or `v`.`column` where `v` is itself the view (kept below).
      if (!views.has(unquoteIdentifier(qualifier.text))) return;
    }
    uses.add(name);
  });
  return uses;
}

/** Kahn's algorithm in name order; whatever is left is on a cycle of (false) edges. */
function orderViews(views: ViewDefinition[]): { ordered: ViewDefinition[]; cyclic: ViewDefinition[] } {
  const remaining = new Map(views.map((view) => [view.name, view]));
  const ordered: ViewDefinition[] = [];
  let progressed = true;
  while (remaining.size > 0 && progressed) {
    progressed = false;
    for (const view of remaining.values()) {
      if ([...view.uses].some((used) => remaining.has(used))) continue;
      ordered.push(view);
      remaining.delete(view.name);
      progressed = true;
    }
  }
  return { ordered, cyclic: [...remaining.values()] };
}

/** A stand-in with the view's column names, so views reading it can be created before its real definition. */
function placeholderView(name: string, catalog: Catalog): string {
  const columns = catalog.columnsByTable.get(name) ?? [];
  const list =
    columns.length > 0 ? columns.map((column) => `1 AS ${quoteIdentifier(column.name)}`).join(', ') : '1 AS `1`';
  return `CREATE VIEW ${quoteIdentifier(name)} AS SELECT ${list}`;
}
