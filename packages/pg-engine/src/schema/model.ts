import type { PostDataKind } from './types.js';

/** `pg_class:16384`: a catalog name (as regclass prints it) and an object OID. Sub-objects fold into the object. */
export type CatalogKey = string;

export function catalogKey(catalog: string, oid: number | string): CatalogKey {
  return `${catalog}:${oid}`;
}

export type Section = 'pre-data' | 'post-data';

/**
 * Sort priorities, in pg_dump_sort.c's order (dbObjectTypePriority). Dependencies win over priority; priority
 * then name decide among objects that are free to go.
 */
export const Priority = {
  namespace: 1,
  collation: 3,
  extension: 5,
  type: 6,
  cast: 7,
  function: 8,
  aggregate: 9,
  operator: 11,
  table: 20,
  tableAttach: 21,
  dummyType: 22,
  attrDefault: 23,
  // post-data
  constraint: 30,
  index: 31,
  indexAttach: 32,
  statistics: 33,
  rule: 34,
  trigger: 35,
  foreignKey: 36,
  policy: 37,
  acl: 40,
  defaultAcl: 41,
  refreshMatview: 42,
  eventTrigger: 43,
} as const;

/**
 * A way to move some of an item's catalog objects into new items, used to break dependency loops (a CHECK
 * constraint calling a function that takes the table's row type) and to postpone a view that needs a post-data
 * object (a GROUP BY view relying on a primary key).
 */
export interface ItemSplit {
  /** Catalog objects the split moves out of the item. */
  keys: CatalogKey[];
  /** Mutates the item so it no longer creates `keys`, and returns the new item(s) that do. */
  apply(): DumpItem[];
}

/** One unit of generated SQL with what it creates and what it needs. */
export interface DumpItem {
  id: string;
  section: Section;
  priority: number;
  /** Sort name: schema then object name, as pg_dump orders equal-priority objects. */
  schema: string;
  name: string;
  /** Human description for error messages, e.g. `TABLE public.film`. */
  description: string;
  /** Generates the SQL; called after all loops are repaired. */
  render(): string;
  /** Catalog objects this item creates; pg_depend rows from them become this item's dependencies. */
  contains: CatalogKey[];
  /** Further dependencies, as item ids (missing ids are ignored: the object was not dumped). */
  after: string[];
  splits?: ItemSplit[];
  /** A pre-data item that may move to post-data as a whole when it needs a post-data object. */
  movableToPostData?: boolean;
  kind?: PostDataKind;
  /** Qualified table the item belongs to. */
  table?: string;
  /** Qualified tables whose data must be present first (post-data), besides `table`. */
  dataTables?: string[];
}
