import { DependencyCycleError, SchemaDumpError } from './errors.js';
import type { CatalogKey, DumpItem } from './model.js';

/** What pg_depend says, reduced to what ordering needs. */
export interface DependencyIndex {
  /** Catalog object → the catalog objects it depends on (pg_depend, sub-objects folded). */
  depends: Map<CatalogKey, CatalogKey[]>;
  /** Objects created implicitly with another one: array type → element type, multirange → range. */
  aliases: Map<CatalogKey, CatalogKey>;
  /** Extension member → its `pg_extension:oid`. */
  extensionMembers: Map<CatalogKey, CatalogKey>;
  /**
   * Objects with an internal dependency on another object (multirange constructors, casts made by CREATE TYPE AS
   * RANGE, ...): they are created with their owner and never dumped on their own.
   */
  internalObjects: Set<CatalogKey>;
}

export interface OrderedItems {
  order: DumpItem[];
  /** Item id → ids of the items it must follow. */
  edges: Map<string, Set<string>>;
}

const MAX_REPAIRS = 10_000;

/**
 * Orders items so that every item follows what it depends on, preferring pg_dump's type priority then name among
 * items that are free to go (a Kahn topological sort over a priority queue). Loops are repaired by splitting an
 * object (CHECK constraint out of its table, view into a dummy plus its real definition); a pre-data object that
 * needs a post-data one (a view relying on a primary key) is postponed to post-data the same way.
 */
export function orderItems(initial: DumpItem[], index: DependencyIndex): OrderedItems {
  const items = [...initial];
  for (let attempt = 0; attempt < MAX_REPAIRS; attempt++) {
    const byId = new Map(items.map((item) => [item.id, item]));
    const owner = new Map<CatalogKey, string>();
    for (const item of items) for (const key of item.contains) owner.set(key, item.id);
    const resolve = (key: CatalogKey): string | undefined => {
      let current = key;
      for (let hops = 0; hops < 8 && index.aliases.has(current); hops++) current = index.aliases.get(current)!;
      return owner.get(index.extensionMembers.get(current) ?? current);
    };
    const edges = buildEdges(items, byId, index, resolve);

    const misplaced = findPreDataNeedingPostData(items, byId, edges);
    if (misplaced.length > 0) {
      for (const { item, needs } of misplaced) items.push(...postpone(item, needs, byId, index, resolve));
      continue;
    }

    const sorted = kahn(items, edges);
    if (sorted.cycle === null) return { order: sorted.order, edges };
    const repaired = repairCycle(sorted.cycle, index, resolve);
    if (repaired === null) throw new DependencyCycleError(sorted.cycle.map((item) => item.description));
    items.push(...repaired);
  }
  throw new SchemaDumpError('gave up repairing dependency loops; report this with the schema that caused it');
}

function buildEdges(
  items: DumpItem[],
  byId: Map<string, DumpItem>,
  index: DependencyIndex,
  resolve: (key: CatalogKey) => string | undefined,
): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const item of items) {
    const needs = new Set<string>();
    for (const key of item.contains) {
      for (const ref of index.depends.get(key) ?? []) {
        const target = resolve(ref);
        if (target !== undefined && target !== item.id) needs.add(target);
      }
    }
    for (const id of item.after) if (id !== item.id && byId.has(id)) needs.add(id);
    edges.set(item.id, needs);
  }
  return edges;
}

/** Every pre-data item that depends on a post-data one, each listed once with one of the items it needs. */
function findPreDataNeedingPostData(
  items: DumpItem[],
  byId: Map<string, DumpItem>,
  edges: Map<string, Set<string>>,
): Array<{ item: DumpItem; needs: DumpItem }> {
  const found: Array<{ item: DumpItem; needs: DumpItem }> = [];
  for (const item of items) {
    if (item.section !== 'pre-data') continue;
    for (const id of edges.get(item.id) ?? []) {
      const target = byId.get(id)!;
      if (target.section === 'post-data') {
        found.push({ item, needs: target });
        break;
      }
    }
  }
  return found;
}

/** Moves the part of `item` that needs post-data objects to post-data, or the whole item when it may move. */
function postpone(
  item: DumpItem,
  needs: DumpItem,
  byId: Map<string, DumpItem>,
  index: DependencyIndex,
  resolve: (key: CatalogKey) => string | undefined,
): DumpItem[] {
  for (const split of item.splits ?? []) {
    const reachesPostData = split.keys.some((key) =>
      (index.depends.get(key) ?? []).some((ref) => {
        const target = resolve(ref);
        return target !== undefined && byId.get(target)?.section === 'post-data';
      }),
    );
    if (reachesPostData) {
      item.splits = item.splits?.filter((candidate) => candidate !== split);
      return split.apply();
    }
  }
  if (item.movableToPostData) {
    item.section = 'post-data';
    item.kind ??= 'other';
    return [];
  }
  throw new SchemaDumpError(
    `${item.description} depends on ${needs.description}, which is only created after the data; ` +
      'this arrangement is not supported by the native schema dump: use --fallback-tools (pg_dump)',
  );
}

function repairCycle(
  cycle: DumpItem[],
  index: DependencyIndex,
  resolve: (key: CatalogKey) => string | undefined,
): DumpItem[] | null {
  const members = new Set(cycle.map((item) => item.id));
  for (const item of cycle) {
    for (const split of item.splits ?? []) {
      const reachesLoop = split.keys.some((key) =>
        (index.depends.get(key) ?? []).some((ref) => {
          const target = resolve(ref);
          return target !== undefined && target !== item.id && members.has(target);
        }),
      );
      if (reachesLoop) {
        item.splits = item.splits?.filter((candidate) => candidate !== split);
        return split.apply();
      }
    }
  }
  return null;
}

const sectionRank = { 'pre-data': 0, 'post-data': 1 } as const;

function compareItems(a: DumpItem, b: DumpItem): number {
  return (
    sectionRank[a.section] - sectionRank[b.section] ||
    a.priority - b.priority ||
    compareText(a.schema, b.schema) ||
    compareText(a.name, b.name) ||
    compareText(a.id, b.id)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function kahn(items: DumpItem[], edges: Map<string, Set<string>>): { order: DumpItem[]; cycle: DumpItem[] | null } {
  const waitingOn = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const item of items) {
    const needs = edges.get(item.id)!;
    waitingOn.set(item.id, needs.size);
    for (const id of needs) {
      const list = dependents.get(id);
      if (list) list.push(item.id);
      else dependents.set(id, [item.id]);
    }
  }
  const byId = new Map(items.map((item) => [item.id, item]));
  const ready = new MinHeap<DumpItem>(compareItems);
  for (const item of items) if (waitingOn.get(item.id) === 0) ready.push(item);
  const order: DumpItem[] = [];
  while (ready.size > 0) {
    const item = ready.pop()!;
    order.push(item);
    for (const id of dependents.get(item.id) ?? []) {
      const left = waitingOn.get(id)! - 1;
      waitingOn.set(id, left);
      if (left === 0) ready.push(byId.get(id)!);
    }
  }
  if (order.length === items.length) return { order, cycle: null };
  const remaining = items.filter((item) => waitingOn.get(item.id)! > 0);
  return { order, cycle: findCycle(remaining, edges) };
}

/** Returns one strongly connected component with more than one member among `remaining` (Tarjan). */
function findCycle(remaining: DumpItem[], edges: Map<string, Set<string>>): DumpItem[] {
  const byId = new Map(remaining.map((item) => [item.id, item]));
  const indexOf = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  let counter = 0;
  let found: DumpItem[] | null = null;

  const visit = (start: string) => {
    // Iterative Tarjan: frames hold the node and an iterator over its neighbours.
    const frames: Array<{ id: string; next: Iterator<string> }> = [];
    const open = (id: string) => {
      indexOf.set(id, counter);
      lowLink.set(id, counter);
      counter++;
      stack.push(id);
      onStack.add(id);
      frames.push({ id, next: [...(edges.get(id) ?? [])].filter((n) => byId.has(n))[Symbol.iterator]() });
    };
    open(start);
    while (frames.length > 0 && found === null) {
      const frame = frames[frames.length - 1]!;
      const step = frame.next.next();
      if (!step.done) {
        const neighbour = step.value;
        if (!indexOf.has(neighbour)) open(neighbour);
        else if (onStack.has(neighbour))
          lowLink.set(frame.id, Math.min(lowLink.get(frame.id)!, indexOf.get(neighbour)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) lowLink.set(parent.id, Math.min(lowLink.get(parent.id)!, lowLink.get(frame.id)!));
      if (lowLink.get(frame.id) === indexOf.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        if (component.length > 1) found = component.map((id) => byId.get(id)!);
      }
    }
  };
  for (const item of remaining) {
    if (found) break;
    if (!indexOf.has(item.id)) visit(item.id);
  }
  // Every leftover of a failed Kahn pass lies on or behind a loop, so a component exists.
  return found ?? remaining;
}

class MinHeap<T> {
  private readonly data: T[] = [];
  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.data.length;
  }

  push(value: T): void {
    const data = this.data;
    data.push(value);
    let index = data.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.compare(data[index]!, data[parent]!) >= 0) break;
      [data[index], data[parent]] = [data[parent]!, data[index]!];
      index = parent;
    }
  }

  pop(): T | undefined {
    const data = this.data;
    const top = data[0];
    const last = data.pop();
    if (data.length > 0 && last !== undefined) {
      data[0] = last;
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        const right = left + 1;
        let smallest = index;
        if (left < data.length && this.compare(data[left]!, data[smallest]!) < 0) smallest = left;
        if (right < data.length && this.compare(data[right]!, data[smallest]!) < 0) smallest = right;
        if (smallest === index) break;
        [data[index], data[smallest]] = [data[smallest]!, data[index]!];
        index = smallest;
      }
    }
    return top;
  }
}
