/** "1 table", "3,000 rows": a count with its noun in the right number (plural: noun + 's' unless given). */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : plural}`;
}
