import type { ClientBase } from 'pg';
import { UnsupportedServerVersionError } from '../errors.js';
import { DumpContext, loadComments, loadDependencyIndex, loadNamespaces } from './context.js';
import { ObjectFilter } from './filter.js';
import type { DumpItem } from './model.js';
import { dumpCasts } from './objects/casts.js';
import { dumpCollations } from './objects/collations.js';
import { dumpDefaultPrivileges } from './objects/default-privileges.js';
import { dumpEventTriggers } from './objects/event-triggers.js';
import { dumpExtensionMemberAcls } from './objects/extension-acls.js';
import { dumpExtensions } from './objects/extensions.js';
import { dumpFunctions } from './objects/functions.js';
import { dumpForeignKeys, dumpIndexes } from './objects/indexes.js';
import { dumpLargeObjects } from './objects/large-objects.js';
import { dumpOperators } from './objects/operators.js';
import { dumpPolicies } from './objects/policies.js';
import { loadRelations, type RelationIndex } from './objects/relations.js';
import { dumpRules } from './objects/rules.js';
import { dumpSchemas } from './objects/schemas.js';
import { dumpSequences, loadSequences, type SequenceInfo, sequenceValuesSql } from './objects/sequences.js';
import { dumpStatistics } from './objects/statistics.js';
import { dumpTables, tableDataInfo } from './objects/tables.js';
import { dumpTriggers } from './objects/triggers.js';
import { dumpTypes } from './objects/types.js';
import { reportUnsupported } from './objects/unsupported.js';
import { dumpViews } from './objects/views.js';
import { joinPreDataScript } from './pre-data-script.js';
import { pruneItemsNeeding } from './prune.js';
import { Quoter } from './quote.js';
import { withDumpSettings } from './session.js';
import { type OrderedItems, orderItems } from './sort.js';
import type { PostDataItem, SchemaDump, SchemaDumpOptions } from './types.js';

export const MINIMUM_SERVER_VERSION_NUM = 120000;

/**
 * Reads the database's schema from the catalogs and returns it as SQL in pg_dump's sections. Run it inside the
 * backup's snapshot transaction (REPEATABLE READ) so the table list matches the data; it changes search_path,
 * DateStyle, IntervalStyle and extra_float_digits for its own queries and puts them back afterwards.
 */
export async function dumpSchema(client: ClientBase, options: SchemaDumpOptions = {}): Promise<SchemaDump> {
  const { rows } = await client.query<{ version: string; num: string }>(
    "SELECT pg_catalog.current_setting('server_version') AS version, pg_catalog.current_setting('server_version_num') AS num",
  );
  const serverVersion = rows[0]!.version;
  const serverVersionNum = Number(rows[0]!.num);
  if (serverVersionNum < MINIMUM_SERVER_VERSION_NUM) throw new UnsupportedServerVersionError(serverVersionNum);

  return withDumpSettings(client, async () => {
    const quoter = await Quoter.load(client);
    const filter = new ObjectFilter(options);
    const dependencies = await loadDependencyIndex(client, serverVersionNum);
    const namespaces = await loadNamespaces(client, filter, dependencies.extensionMembers);
    const comments = await loadComments(client);
    const ctx = new DumpContext(client, serverVersionNum, quoter, options, filter, namespaces, dependencies, comments);

    dumpSchemas(ctx);
    await dumpExtensions(ctx);
    await dumpExtensionMemberAcls(ctx);
    await dumpCollations(ctx);
    await dumpTypes(ctx);
    await dumpFunctions(ctx);
    await dumpOperators(ctx);
    await dumpCasts(ctx);
    const relations = await loadRelations(ctx);
    const sequences = selectSequences(ctx, await loadSequences(ctx), relations);
    dumpTables(ctx, relations, sequences);
    dumpViews(ctx, relations);
    dumpSequences(ctx, sequences, (oid) => relations.get(oid));
    await dumpIndexes(ctx, relations);
    await dumpForeignKeys(ctx, relations);
    await dumpTriggers(ctx, relations);
    await dumpRules(ctx, relations);
    await dumpPolicies(ctx, relations);
    await dumpStatistics(ctx, relations);
    await dumpEventTriggers(ctx);
    await dumpDefaultPrivileges(ctx);
    const largeObjects = await dumpLargeObjects(ctx);
    await reportUnsupported(ctx);

    const ordered = orderItems(pruneItemsNeeding(ctx.items, ctx.excluded, dependencies), dependencies);
    const preItems = ordered.order.filter((item) => item.section === 'pre-data');
    const postItems = orderRefreshes(
      ordered.order.filter((item) => item.section === 'post-data'),
      ordered,
    );
    const preDataItems = preItems.map((item) => ({ id: item.id, sql: item.render() }));
    // A filter may have pruned a relation's CREATE (it needed a left-out one): then its data and value go too.
    const created = new Set(preItems.map((item) => item.id));
    const keptSequences = sequences.filter((seq) =>
      created.has(seq.identity ? `relation:${seq.ownerTable}` : `sequence:${seq.oid}`),
    );
    return {
      serverVersion,
      serverVersionNum,
      preData: joinPreDataScript(preDataItems),
      preDataItems,
      tables: tableDataInfo(ctx, relations).filter((table) => created.has(`relation:${table.oid}`)),
      sequenceValues: await sequenceValuesSql(ctx, keptSequences),
      largeObjects,
      postData: toPostDataItems(postItems, ordered, relations),
      warnings: ctx.warnings,
    };
  });
}

/**
 * With a table filter, sequences come along when they match the filter themselves, are owned by a dumped table, or
 * feed a dumped table's column default.
 */
function selectSequences(ctx: DumpContext, sequences: SequenceInfo[], relations: RelationIndex): SequenceInfo[] {
  if (!ctx.filter.filtersTables) return sequences;
  const usedByDefaults = new Set<string>();
  for (const rel of relations.values()) {
    for (const column of rel.columns) {
      if (column.attrdefOid === null) continue;
      for (const ref of ctx.dependencies.depends.get(`pg_attrdef:${column.attrdefOid}`) ?? []) usedByDefaults.add(ref);
    }
  }
  return sequences.filter(
    (seq) =>
      ctx.filter.relationIncluded(seq.nspname, seq.relname) ||
      (seq.ownerTable !== null && relations.has(seq.ownerTable)) ||
      usedByDefaults.has(`pg_class:${seq.oid}`),
  );
}

/**
 * Matview refreshes must run in dependency order (one matview may read another). Their slots in the post-data list
 * are kept, and they are re-ordered by the position of their matviews in the (topologically sorted) dump.
 */
function orderRefreshes(postItems: DumpItem[], ordered: OrderedItems): DumpItem[] {
  const position = new Map(ordered.order.map((item, index) => [item.id, index]));
  const matviewPosition = (item: DumpItem) => position.get(`relation:${item.id.slice('refresh:'.length)}`) ?? 0;
  const refreshes = postItems.filter((item) => item.kind === 'matview-refresh');
  refreshes.sort((a, b) => matviewPosition(a) - matviewPosition(b));
  let next = 0;
  return postItems.map((item) => (item.kind === 'matview-refresh' ? refreshes[next++]! : item));
}

function toPostDataItems(postItems: DumpItem[], ordered: OrderedItems, relations: RelationIndex): PostDataItem[] {
  const postIds = new Set(postItems.map((item) => item.id));
  const tableOfItem = new Map<string, string>();
  for (const rel of relations.values()) {
    if (rel.relkind === 'r' || rel.relkind === 'p') tableOfItem.set(rel.itemId, rel.qualified);
  }
  const tableNames = new Set(tableOfItem.values());

  return postItems.map((item) => {
    const dependsOn = new Set([...(ordered.edges.get(item.id) ?? [])].filter((id) => postIds.has(id)));
    const tables = new Set<string>();
    if (item.table !== undefined && tableNames.has(item.table)) tables.add(item.table);
    for (const table of item.dataTables ?? []) tables.add(table);
    if (item.kind === 'matview-refresh') {
      // Walk what the matview reads: tables give data dependencies, other matviews give refresh order, and a
      // view whose definition was postponed to post-data must be in place first.
      const seen = new Set<string>();
      const stack = [...(ordered.edges.get(item.id) ?? [])];
      while (stack.length > 0) {
        const id = stack.pop()!;
        if (seen.has(id)) continue;
        seen.add(id);
        const table = tableOfItem.get(id);
        if (table !== undefined) {
          tables.add(table);
          continue;
        }
        if (id.startsWith('relation:')) {
          const oid = id.slice('relation:'.length);
          if (postIds.has(`refresh:${oid}`) && `refresh:${oid}` !== item.id) dependsOn.add(`refresh:${oid}`);
          if (postIds.has(`view-definition:${oid}`)) {
            dependsOn.add(`view-definition:${oid}`);
            stack.push(`view-definition:${oid}`);
          }
        }
        for (const next of ordered.edges.get(id) ?? []) stack.push(next);
      }
    }
    const result: PostDataItem = {
      id: item.id,
      kind: item.kind ?? 'other',
      sql: item.render(),
      dependsOn: [...dependsOn],
    };
    if (item.table !== undefined) result.table = item.table;
    if (tables.size > 0) result.dependsOnTables = [...tables];
    return result;
  });
}
