/** Wording of privilege-check answers, shared by the engines so both read the same. */
/** How many missing privileges a check lists one by one before it summarises the rest. */
export const MAX_LISTED = 20;

/**
 * The first MAX_LISTED items, then one line for the rest ("and 35 more; <hint>"), so a database with thousands of
 * unreadable tables gives a readable answer and still says how to grant everything at once.
 */
export function capList(items: readonly string[], hint: string | null): string[] {
  if (items.length <= MAX_LISTED) return [...items];
  const more = `and ${items.length - MAX_LISTED} more`;
  return [...items.slice(0, MAX_LISTED), hint === null ? more : `${more}; ${hint}`];
}

/** "1 table" / "3 tables". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** Up to five names, then "and N more". */
export function nameList(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}
