/**
 * A small line diff for test failure messages: common prefix and suffix are trimmed, the rest is aligned with a
 * longest-common-subsequence table, and hunks are printed with `-` (only in a), `+` (only in b) and context lines.
 */
export function lineDiff(a: string[], b: string[], options: { context: number; maxLines: number }): string {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const middleA = a.slice(start, endA);
  const middleB = b.slice(start, endB);
  const ops = alignMiddle(middleA, middleB);

  // Full operation list over the whole input, so context can reach into the common prefix/suffix.
  const all: Array<{ op: ' ' | '-' | '+'; text: string }> = [
    ...a.slice(0, start).map((text) => ({ op: ' ' as const, text })),
    ...ops,
    ...a.slice(endA).map((text) => ({ op: ' ' as const, text })),
  ];
  const keep = new Array<boolean>(all.length).fill(false);
  all.forEach((entry, index) => {
    if (entry.op === ' ') return;
    for (let k = Math.max(0, index - options.context); k <= Math.min(all.length - 1, index + options.context); k++) {
      keep[k] = true;
    }
  });
  const out: string[] = [];
  let skipped = false;
  all.forEach((entry, index) => {
    if (!keep[index]) {
      skipped = true;
      return;
    }
    if (skipped || out.length === 0) out.push(`@@ line ${index + 1} @@`);
    skipped = false;
    out.push(`${entry.op} ${entry.text}`);
  });
  if (out.length > options.maxLines) {
    return `${out.slice(0, options.maxLines).join('\n')}\n... (${out.length - options.maxLines} more diff lines)`;
  }
  return out.join('\n');
}

function alignMiddle(a: string[], b: string[]): Array<{ op: ' ' | '-' | '+'; text: string }> {
  // Beyond this size the LCS table gets expensive; fall back to "all removed, all added".
  if (a.length * b.length > 4_000_000) {
    return [...a.map((text) => ({ op: '-' as const, text })), ...b.map((text) => ({ op: '+' as const, text }))];
  }
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table = new Uint32Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * cols + j] =
        a[i] === b[j]
          ? table[(i + 1) * cols + j + 1]! + 1
          : Math.max(table[(i + 1) * cols + j]!, table[i * cols + j + 1]!);
    }
  }
  const ops: Array<{ op: ' ' | '-' | '+'; text: string }> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      ops.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    } else if (table[(i + 1) * cols + j]! >= table[i * cols + j + 1]!) {
      ops.push({ op: '-', text: a[i]! });
      i++;
    } else {
      ops.push({ op: '+', text: b[j]! });
      j++;
    }
  }
  while (i < a.length) ops.push({ op: '-', text: a[i++]! });
  while (j < b.length) ops.push({ op: '+', text: b[j++]! });
  return ops;
}
