import type { DumpContext } from '../context.js';
import { type CatalogKey, catalogKey, type DumpItem, Priority } from '../model.js';
import { type RelationIndex, type RelationInfo, reloptionsSql } from './relations.js';
import { addDefaults, addRelationAcl, relationComments } from './tables.js';

/**
 * Views (pg_get_viewdef) and materialized views (created WITH NO DATA; a post-data REFRESH for the populated
 * ones). A view caught in a dependency loop, or relying on a post-data object such as a primary key, is created as
 * a dummy with the right column types first and replaced by its real definition later, exactly as pg_dump does.
 */
export function dumpViews(ctx: DumpContext, relations: RelationIndex): void {
  for (const rel of relations.values()) {
    if (rel.relkind === 'v') addView(ctx, rel);
    else if (rel.relkind === 'm') addMaterializedView(ctx, rel);
    else continue;
    addDefaults(ctx, rel);
    addRelationAcl(ctx, rel);
  }
}

function viewQuery(rel: RelationInfo): string {
  return (rel.viewdef ?? '').trimEnd().replace(/;$/, '');
}

function withOptions(ctx: DumpContext, rel: RelationInfo): string {
  const options = reloptionsSql(ctx, rel.reloptions ?? [], '');
  return options.length > 0 ? ` WITH (${options.join(', ')})` : '';
}

function addView(ctx: DumpContext, rel: RelationInfo): void {
  let dummy = false;
  const ruleKey = rel.ruleOid === null ? null : catalogKey('pg_rewrite', rel.ruleOid);
  const contains: CatalogKey[] = [catalogKey('pg_class', rel.oid), catalogKey('pg_type', rel.reltype)];
  if (ruleKey) contains.push(ruleKey);
  const definition = (replace: boolean) => {
    let sql = `CREATE ${replace ? 'OR REPLACE ' : ''}VIEW ${rel.qualified}${withOptions(ctx, rel)} AS\n${viewQuery(rel)}`;
    if (rel.checkoption !== null) sql += `\n  WITH ${rel.checkoption} CHECK OPTION`;
    return `${sql};\n`;
  };
  const dummyDefinition = () => {
    const columns = rel.columns.map(
      (column) =>
        `\n    NULL::${column.typname}${column.collation ? ` COLLATE ${column.collation}` : ''} AS ${ctx.ident(column.attname)}`,
    );
    return `CREATE VIEW ${rel.qualified}${withOptions(ctx, rel)} AS\n SELECT${columns.join(',')};\n`;
  };
  const tail = () => ctx.ownerSql('VIEW', rel.qualified, rel.owner) + relationComments(ctx, rel, 'VIEW');
  ctx.add({
    id: rel.itemId,
    section: 'pre-data',
    priority: Priority.table,
    schema: rel.nspname,
    name: rel.relname,
    description: `VIEW ${rel.qualified}`,
    render: () => (dummy ? dummyDefinition() : definition(false)) + tail(),
    contains,
    after: [`schema:${rel.nspoid}`],
    splits: ruleKey
      ? [
          {
            keys: [ruleKey],
            apply: (): DumpItem[] => {
              dummy = true;
              contains.splice(contains.indexOf(ruleKey), 1);
              const replacement = definition(true);
              return [
                {
                  id: `view-definition:${rel.oid}`,
                  section: 'pre-data',
                  priority: Priority.table,
                  schema: rel.nspname,
                  name: rel.relname,
                  description: `VIEW DEFINITION ${rel.qualified}`,
                  render: () => replacement,
                  contains: [ruleKey],
                  after: [rel.itemId],
                  movableToPostData: true,
                  table: rel.qualified,
                },
              ];
            },
          },
        ]
      : [],
  });
}

function addMaterializedView(ctx: DumpContext, rel: RelationInfo): void {
  const contains: CatalogKey[] = [catalogKey('pg_class', rel.oid), catalogKey('pg_type', rel.reltype)];
  if (rel.ruleOid !== null) contains.push(catalogKey('pg_rewrite', rel.ruleOid));
  let sql = `CREATE MATERIALIZED VIEW ${rel.qualified}`;
  if (rel.amname !== null && rel.amname !== 'heap') sql += ` USING ${ctx.ident(rel.amname)}`;
  sql += withOptions(ctx, rel);
  if (rel.tablespace !== null) sql += ` TABLESPACE ${ctx.ident(rel.tablespace)}`;
  sql += ` AS\n${viewQuery(rel)}\n  WITH NO DATA;\n`;
  for (const column of rel.columns) {
    const alter = `ALTER MATERIALIZED VIEW ${rel.qualified} ALTER COLUMN ${ctx.ident(column.attname)}`;
    if (column.attstattarget >= 0) sql += `${alter} SET STATISTICS ${column.attstattarget};\n`;
    if (column.attoptions !== null) sql += `${alter} SET (${column.attoptions});\n`;
  }
  if (rel.relreplident === 'n') sql += `ALTER MATERIALIZED VIEW ${rel.qualified} REPLICA IDENTITY NOTHING;\n`;
  else if (rel.relreplident === 'f') sql += `ALTER MATERIALIZED VIEW ${rel.qualified} REPLICA IDENTITY FULL;\n`;
  sql += ctx.ownerSql('MATERIALIZED VIEW', rel.qualified, rel.owner);
  sql += relationComments(ctx, rel, 'MATERIALIZED VIEW');
  ctx.add({
    id: rel.itemId,
    section: 'pre-data',
    priority: Priority.table,
    schema: rel.nspname,
    name: rel.relname,
    description: `MATERIALIZED VIEW ${rel.qualified}`,
    render: () => sql,
    contains,
    after: [`schema:${rel.nspoid}`],
    movableToPostData: true,
  });
  if (rel.relispopulated) {
    ctx.add({
      id: `refresh:${rel.oid}`,
      section: 'post-data',
      priority: Priority.refreshMatview,
      schema: rel.nspname,
      name: rel.relname,
      description: `MATERIALIZED VIEW DATA ${rel.qualified}`,
      render: () => `REFRESH MATERIALIZED VIEW ${rel.qualified};\n`,
      contains: [],
      after: [rel.itemId],
      kind: 'matview-refresh',
      table: rel.qualified,
    });
  }
}
