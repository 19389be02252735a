import type { CatalogKey, DumpItem } from './model.js';
import type { DependencyIndex } from './sort.js';

/**
 * With a table filter, objects outside it (relations that did not match) are absent; anything that needs one of
 * them (a function taking such a table's row type, a view over it, an ACL of a dropped object) is left out too,
 * transitively, so the filtered dump still restores on its own.
 */
export function pruneItemsNeeding(items: DumpItem[], excluded: Set<CatalogKey>, index: DependencyIndex): DumpItem[] {
  if (excluded.size === 0) return items;
  const missing = new Set(excluded);
  const resolveAlias = (key: CatalogKey) => {
    let current = key;
    for (let hops = 0; hops < 8 && index.aliases.has(current); hops++) current = index.aliases.get(current)!;
    return current;
  };
  let kept = items;
  for (;;) {
    const removed = new Set<string>();
    for (const item of kept) {
      const needsMissing = item.contains.some((key) =>
        (index.depends.get(key) ?? []).some((ref) => missing.has(ref) || missing.has(resolveAlias(ref))),
      );
      if (needsMissing) removed.add(item.id);
    }
    for (const item of kept) if (item.after.some((id) => removed.has(id))) removed.add(item.id);
    if (removed.size === 0) return kept;
    for (const item of kept) if (removed.has(item.id)) for (const key of item.contains) missing.add(key);
    kept = kept.filter((item) => !removed.has(item.id));
  }
}
