import type { ClientBase, QueryResultRow } from 'pg';
import { type AclObjectType, buildAclCommands } from './acl.js';
import type { ObjectFilter } from './filter.js';
import { type CatalogKey, catalogKey, type DumpItem, Priority } from './model.js';
import { type Quoter, quoteLiteral } from './quote.js';
import type { DependencyIndex } from './sort.js';
import type { SchemaDumpOptions } from './types.js';

export interface NamespaceInfo {
  oid: number;
  name: string;
  owner: string;
  acl: string | null;
  baseAcl: string;
  /** Part of the dump (included by the filter, not a system or extension schema). */
  dumped: boolean;
}

/** Everything the per-object generators share while one dump runs. */
export class DumpContext {
  readonly items: DumpItem[] = [];
  readonly warnings: string[] = [];
  /** Catalog objects a filter left out; whatever needs them is pruned before ordering. */
  readonly excluded = new Set<CatalogKey>();

  constructor(
    readonly client: ClientBase,
    readonly version: number,
    readonly quoter: Quoter,
    readonly options: SchemaDumpOptions,
    readonly filter: ObjectFilter,
    readonly namespaces: Map<number, NamespaceInfo>,
    readonly dependencies: DependencyIndex,
    private readonly comments: Map<string, string>,
  ) {}

  async query<Row extends QueryResultRow>(sql: string, values?: unknown[]): Promise<Row[]> {
    return (await this.client.query<Row>(sql, values)).rows;
  }

  /** OIDs of the schemas being dumped, for `= ANY($1)` filters. */
  get dumpedNamespaceOids(): number[] {
    return [...this.namespaces.values()].filter((ns) => ns.dumped).map((ns) => ns.oid);
  }

  namespaceDumped(oid: number): boolean {
    return this.namespaces.get(oid)?.dumped ?? false;
  }

  isExtensionMember(catalog: string, oid: number): boolean {
    return this.dependencies.extensionMembers.has(catalogKey(catalog, oid));
  }

  /** Extension members and objects internal to another object are recreated by their owner, never dumped. */
  isImplicit(catalog: string, oid: number): boolean {
    const key = catalogKey(catalog, oid);
    return this.dependencies.extensionMembers.has(key) || this.dependencies.internalObjects.has(key);
  }

  ident(name: string): string {
    return this.quoter.ident(name);
  }

  qualify(schema: string, name: string): string {
    return this.quoter.qualify(schema, name);
  }

  add(item: DumpItem): DumpItem {
    this.items.push(item);
    return item;
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** `ALTER <kind> <name> OWNER TO <role>;` unless owners are left out. */
  ownerSql(kind: string, name: string, owner: string | null): string {
    if (this.options.noOwner || !owner) return '';
    return `ALTER ${kind} ${name} OWNER TO ${this.ident(owner)};\n`;
  }

  comment(catalog: string, oid: number, subId = 0): string | undefined {
    return this.comments.get(`${catalog}:${oid}:${subId}`);
  }

  /** `COMMENT ON <target> IS '...';` when the object has a comment. */
  commentSql(target: string, catalog: string, oid: number, subId = 0): string {
    const text = this.comment(catalog, oid, subId);
    return text === undefined ? '' : `COMMENT ON ${target} IS ${quoteLiteral(text)};\n`;
  }

  /**
   * Adds a post-data item with the GRANT/REVOKE statements of one object (pg_dump applies ACLs after everything
   * else, so revoking the owner's own rights cannot break the restore); `columns` adds column privileges.
   */
  addAcl(request: {
    objectItemId: string;
    objectId: string;
    type: AclObjectType;
    name: string;
    acl: string | null;
    baseAcl: string;
    owner: string | null;
    description: string;
    schema: string;
    sortName: string;
    table?: string;
    columns?: Array<{ name: string; acl: string | null; baseAcl?: string }>;
  }): void {
    if (this.options.noPrivileges) return;
    let sql = buildAclCommands(
      {
        type: request.type,
        name: request.name,
        acl: request.acl,
        baseAcl: request.baseAcl,
        owner: request.owner,
        description: request.description,
      },
      this.quoter,
      this.version,
    );
    for (const column of request.columns ?? []) {
      sql += buildAclCommands(
        {
          type: request.type,
          name: request.name,
          column: this.ident(column.name),
          acl: column.acl,
          baseAcl: column.baseAcl ?? '{}',
          owner: request.owner,
          description: `column ${column.name} of ${request.description}`,
        },
        this.quoter,
        this.version,
      );
    }
    if (sql === '') return;
    this.add({
      id: `acl:${request.objectId}`,
      section: 'post-data',
      priority: Priority.acl,
      schema: request.schema,
      name: request.sortName,
      description: `ACL of ${request.description}`,
      render: () => sql,
      contains: [],
      after: [request.objectItemId],
      kind: 'acl',
      ...(request.table === undefined ? {} : { table: request.table }),
    });
  }
}

/**
 * Loads pg_depend (user objects only), extension membership and implicit-type aliases. Partition dependencies
 * ('P'/'S') are left out: a partition's index or constraint is created on its own and attached explicitly, so it
 * need not wait for the parent's, which keeps post-data items parallel.
 */
export async function loadDependencyIndex(client: ClientBase, version: number): Promise<DependencyIndex> {
  const depends = new Map<CatalogKey, CatalogKey[]>();
  const internalObjects = new Set<CatalogKey>();
  const { rows } = await client.query<{
    cls: string;
    objid: number;
    refcls: string;
    refobjid: number;
    deptype: string;
  }>(
    `SELECT classid::pg_catalog.regclass::pg_catalog.text AS cls, objid,
            refclassid::pg_catalog.regclass::pg_catalog.text AS refcls, refobjid, deptype
       FROM pg_catalog.pg_depend
      WHERE deptype IN ('n', 'a', 'i') AND objid >= 16384 AND refobjid >= 16384`,
  );
  for (const row of rows) {
    const key = catalogKey(row.cls, row.objid);
    if (row.deptype === 'i') internalObjects.add(key);
    const ref = catalogKey(row.refcls, row.refobjid);
    const list = depends.get(key);
    if (list) list.push(ref);
    else depends.set(key, [ref]);
  }

  const extensionMembers = new Map<CatalogKey, CatalogKey>();
  const members = await client.query<{ cls: string; objid: number; refobjid: number }>(
    `SELECT classid::pg_catalog.regclass::pg_catalog.text AS cls, objid, refobjid
       FROM pg_catalog.pg_depend
      WHERE refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND deptype = 'e'`,
  );
  for (const row of members.rows) {
    extensionMembers.set(catalogKey(row.cls, row.objid), catalogKey('pg_extension', row.refobjid));
  }

  const aliases = new Map<CatalogKey, CatalogKey>();
  const arrays = await client.query<{ array: number; element: number }>(
    `SELECT typarray AS array, oid AS element FROM pg_catalog.pg_type WHERE typarray <> 0 AND oid >= 16384`,
  );
  for (const row of arrays.rows) aliases.set(catalogKey('pg_type', row.array), catalogKey('pg_type', row.element));
  if (version >= 140000) {
    const ranges = await client.query<{ multirange: number; range: number }>(
      'SELECT rngmultitypid AS multirange, rngtypid AS range FROM pg_catalog.pg_range WHERE rngtypid >= 16384',
    );
    for (const row of ranges.rows) {
      aliases.set(catalogKey('pg_type', row.multirange), catalogKey('pg_type', row.range));
    }
  }
  return { depends, aliases, extensionMembers, internalObjects };
}

/** Comments of user objects (and of schema public), keyed `catalog:oid:subid`. */
export async function loadComments(client: ClientBase): Promise<Map<string, string>> {
  const { rows } = await client.query<{ cls: string; objoid: number; objsubid: number; description: string }>(
    `SELECT classoid::pg_catalog.regclass::pg_catalog.text AS cls, objoid, objsubid, description
       FROM pg_catalog.pg_description
      WHERE objoid >= 16384 OR classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass`,
  );
  return new Map(rows.map((row) => [`${row.cls}:${row.objoid}:${row.objsubid}`, row.description]));
}

/** Every schema with its owner and privileges; `dumped` applies the filter and skips system/extension schemas. */
export async function loadNamespaces(
  client: ClientBase,
  filter: ObjectFilter,
  extensionMembers: Map<CatalogKey, CatalogKey>,
): Promise<Map<number, NamespaceInfo>> {
  const { rows } = await client.query<{
    oid: number;
    nspname: string;
    owner: string;
    acl: string | null;
    acldefault: string;
    initprivs: string | null;
  }>(
    `SELECT n.oid, n.nspname, pg_catalog.pg_get_userbyid(n.nspowner) AS owner, n.nspacl::pg_catalog.text AS acl,
            pg_catalog.acldefault('n', n.nspowner)::pg_catalog.text AS acldefault,
            pip.initprivs::pg_catalog.text AS initprivs
       FROM pg_catalog.pg_namespace n
       LEFT JOIN pg_catalog.pg_init_privs pip
         ON pip.objoid = n.oid AND pip.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND pip.objsubid = 0`,
  );
  const namespaces = new Map<number, NamespaceInfo>();
  for (const row of rows) {
    const fromInitPrivs = row.initprivs !== null;
    namespaces.set(row.oid, {
      oid: row.oid,
      name: row.nspname,
      owner: row.owner,
      // With pg_init_privs the "no ACL" state means acldefault, and the diff starts from the initial privileges.
      acl: fromInitPrivs ? (row.acl ?? row.acldefault) : row.acl,
      baseAcl: row.initprivs ?? row.acldefault,
      dumped: filter.schemaIncluded(row.nspname) && !extensionMembers.has(catalogKey('pg_namespace', row.oid)),
    });
  }
  return namespaces;
}
