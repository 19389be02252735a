import { randomBytes } from 'node:crypto';
import { SchemaDumpError } from './errors.js';
import { RESTORE_SESSION_SETUP } from './session.js';

/** One pre-data object's SQL (one or more statements, all allowed inside a transaction block). */
export interface PreDataItem {
  id: string;
  sql: string;
}

const MARKER = '-- dbbackup:item:';

/**
 * Joins pre-data items into one psql-runnable script: RESTORE_SESSION_SETUP, then each item after a comment line
 * `-- dbbackup:item:<nonce> <id>`. The per-dump random nonce makes the separator impossible to meet inside an
 * object's own SQL (a function body, say), so splitPreDataScript can cut the script back into items exactly.
 */
export function joinPreDataScript(items: PreDataItem[]): string {
  const nonce = randomBytes(8).toString('hex');
  let script = `${RESTORE_SESSION_SETUP}\n`;
  for (const item of items) script += `\n${MARKER}${nonce} ${item.id}\n${item.sql}`;
  return script;
}

export class PreDataScriptError extends SchemaDumpError {
  override readonly name = 'PreDataScriptError';
}

/**
 * Cuts a pre-data script made by dumpSchema back into its session setup and items, so a restore can run the items
 * in several transactions (one transaction over thousands of tables runs out of lock slots, see
 * max_locks_per_transaction) and report which object failed.
 */
export function splitPreDataScript(script: string): { setup: string; items: PreDataItem[] } {
  const first = script.indexOf(`\n${MARKER}`);
  if (first < 0) {
    if (script.startsWith(RESTORE_SESSION_SETUP)) return { setup: script, items: [] };
    throw new PreDataScriptError('this pre-data script was not made by dumpSchema: no item separators found');
  }
  const nonceEnd = script.indexOf(' ', first + 1 + MARKER.length);
  const separator = `\n${script.slice(first + 1, nonceEnd)} `;
  const parts = script.slice(first).split(separator);
  const items: PreDataItem[] = [];
  for (const part of parts.slice(1)) {
    const newline = part.indexOf('\n');
    items.push({ id: part.slice(0, newline), sql: part.slice(newline + 1) });
  }
  return { setup: script.slice(0, first + 1), items };
}
