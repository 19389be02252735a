/**
 * A comma-separated flag value (`--databases "shop, crm"`, `--critical-tables "user*,payment*"`) as a list:
 * items trimmed, empty items and repeats dropped, order kept.
 */
export function parseNameList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return [
    ...new Set(
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    ),
  ];
}
