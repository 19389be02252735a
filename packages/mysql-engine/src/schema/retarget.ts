import { identifierLikeSource, quoteIdentifier } from './quote.js';
import type { MysqlDatabaseReference, MysqlPostDataItem, MysqlSchemaDump } from './types.js';

/**
 * The dump with every explicit mention of the source database (see `MysqlPostDataItem.databaseReferences`)
 * renamed to `targetDatabase`, for restoring under another name. A bare name stays bare when the new name needs
 * no quotes; a quoted one stays quoted. Everything else in a dump is already unqualified.
 */
export function retargetSchemaDump(dump: MysqlSchemaDump, targetDatabase: string): MysqlSchemaDump {
  return { ...dump, postData: dump.postData.map((item) => retargetItem(item, targetDatabase)) };
}

function retargetItem(item: MysqlPostDataItem, targetDatabase: string): MysqlPostDataItem {
  if (!item.databaseReferences || item.databaseReferences.length === 0) return item;
  const statements = [...item.statements];
  const references: MysqlDatabaseReference[] = [];
  const byStatement = new Map<number, MysqlDatabaseReference[]>();
  for (const reference of item.databaseReferences) {
    byStatement.set(reference.statement, [...(byStatement.get(reference.statement) ?? []), reference]);
  }
  for (const [index, spans] of byStatement) {
    const original = statements[index] ?? '';
    let text = '';
    let cursor = 0;
    for (const span of [...spans].sort((a, b) => a.offset - b.offset)) {
      const token = original.slice(span.offset, span.offset + span.length);
      const replacement = token.startsWith('`')
        ? quoteIdentifier(targetDatabase)
        : identifierLikeSource(targetDatabase);
      text += original.slice(cursor, span.offset);
      references.push({ statement: index, offset: text.length, length: replacement.length });
      text += replacement;
      cursor = span.offset + span.length;
    }
    statements[index] = text + original.slice(cursor);
  }
  return { ...item, statements, databaseReferences: references };
}
