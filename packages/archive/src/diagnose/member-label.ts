import type { MemberEntry } from '../manifest-types.js';

export interface MemberOrigin {
  member: string;
  /** `schema.name`, with ` part N` when the table is split into several members. */
  table?: string;
  database?: string;
}

/**
 * Where each member's bytes belong, by member name: its table (from the manifest) and database. The part number is
 * shown only for tables split into several members, where it tells the parts apart.
 */
export function memberOrigins(members: readonly MemberEntry[]): Map<string, MemberOrigin> {
  const tableKey = (entry: MemberEntry) =>
    entry.table ? JSON.stringify([entry.database ?? null, entry.table.schema, entry.table.name]) : undefined;
  const memberCount = new Map<string, number>();
  for (const entry of members) {
    const key = tableKey(entry);
    if (key !== undefined) memberCount.set(key, (memberCount.get(key) ?? 0) + 1);
  }
  const origins = new Map<string, MemberOrigin>();
  for (const entry of members) {
    const key = tableKey(entry);
    const origin: MemberOrigin = { member: entry.name };
    if (entry.table && key !== undefined) {
      const split = (memberCount.get(key) ?? 0) > 1 && entry.part !== undefined;
      origin.table = `${entry.table.schema}.${entry.table.name}${split ? ` part ${entry.part}` : ''}`;
    }
    if (entry.database !== undefined) origin.database = entry.database;
    origins.set(entry.name, origin);
  }
  return origins;
}

/** `data/000003.copy.zst (public.users)`, or `(shop: public.users)` in a cluster archive, for messages. */
export function describeMember(origin: MemberOrigin): string {
  if (!origin.table) return origin.member;
  return `${origin.member} (${origin.database ? `${origin.database}: ` : ''}${origin.table})`;
}
