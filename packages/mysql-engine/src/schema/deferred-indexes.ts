import type { CatalogColumn, CatalogIndex } from './catalog.js';
import type { CreateTableElement, CreateTableElementKind } from './create-table-parts.js';

const KEY_KINDS = new Set<CreateTableElementKind>([
  'primary-key',
  'unique-key',
  'key',
  'fulltext-key',
  'spatial-key',
  'other-key',
]);

export interface IndexDeferral {
  /** Definitions that stay in CREATE TABLE, in their original order. */
  kept: CreateTableElement[];
  /** Secondary keys to add after the data, in their original order (FULLTEXT ones last, as the server sorts them). */
  deferred: CreateTableElement[];
}

/**
 * Which secondary keys of a table can be added after its data without changing SHOW CREATE TABLE.
 *
 * The server keeps a table's keys sorted (primary, unique, plain, FULLTEXT; ties in creation order), and ALTER
 * TABLE ... ADD appends new keys after the existing ones before sorting again. Keys added later therefore land in
 * their original places exactly when every key created with the table comes before every deferred key in the
 * printed order: only a suffix of the key list is deferred. Keys that must exist from the start end that suffix:
 * the primary key, the first key usable by each foreign key (on either side: InnoDB needs an index led by the
 * columns), the key holding an AUTO_INCREMENT column first, MariaDB's long UNIQUE ... USING HASH keys and any kind
 * not understood.
 */
export function planIndexDeferral(
  elements: CreateTableElement[],
  indexes: CatalogIndex[],
  columns: CatalogColumn[],
  foreignKeyColumns: string[][],
): IndexDeferral {
  const keys = elements.filter((element) => KEY_KINDS.has(element.kind));
  const byName = new Map(indexes.map((index) => [index.name, index]));
  const keyIndex = (element: CreateTableElement) =>
    byName.get(element.kind === 'primary-key' ? 'PRIMARY' : (element.name ?? ''));
  const required = new Set<number>();
  keys.forEach((element, position) => {
    const index = keyIndex(element);
    const mustStay =
      !index ||
      element.kind === 'primary-key' ||
      element.kind === 'other-key' ||
      index.type.toUpperCase() === 'HASH' ||
      index.name.toUpperCase() === 'FTS_DOC_ID_INDEX';
    if (mustStay) required.add(position);
  });

  const leadingColumnsMatch = (element: CreateTableElement, wanted: string[]) => {
    const index = keyIndex(element);
    if (!index || index.columns.length < wanted.length) return false;
    return wanted.every((name, position) => {
      const column = index.columns[position];
      return column?.name === name && column.subPart === null;
    });
  };
  const requireFirstMatch = (wanted: string[]): boolean => {
    const position = keys.findIndex((element) => leadingColumnsMatch(element, wanted));
    if (position === -1) return false;
    required.add(position);
    return true;
  };
  for (const wanted of foreignKeyColumns) {
    if (!requireFirstMatch(wanted)) return { kept: elements, deferred: [] };
  }
  for (const column of columns.filter((candidate) => candidate.autoIncrement)) {
    if (!requireFirstMatch([column.name])) return { kept: elements, deferred: [] };
  }

  const lastRequired = Math.max(-1, ...required);
  const deferredKeys = new Set(keys.slice(lastRequired + 1));
  if (deferredKeys.size === 0) return { kept: elements, deferred: [] };
  return {
    kept: elements.filter((element) => !deferredKeys.has(element)),
    deferred: [...deferredKeys],
  };
}
