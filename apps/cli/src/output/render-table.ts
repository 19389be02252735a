export interface TableColumn<Row> {
  header: string;
  value: (row: Row) => string | number | bigint | boolean | null | undefined;
  /** 'right' for numbers and sizes. */
  align?: 'left' | 'right';
}

/** Plain-text columns separated by two spaces, widths from the longest cell; null/undefined print as '-'. */
export function renderTable<Row>(rows: readonly Row[], columns: readonly TableColumn<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => cellText(column.value(row))));
  const widths = columns.map((column, index) =>
    Math.max(displayWidth(column.header), ...cells.map((row) => displayWidth(row[index] ?? ''))),
  );
  const format = (values: readonly string[]) =>
    values
      .map((value, index) => {
        const padding = ' '.repeat((widths[index] ?? 0) - displayWidth(value));
        return columns[index]?.align === 'right' ? padding + value : value + padding;
      })
      .join('  ')
      .trimEnd();
  return [format(columns.map((column) => column.header)), ...cells.map(format)].join('\n') + '\n';
}

/** Two aligned columns: a label and its value, for single-object results. */
export function renderKeyValues(pairs: ReadonlyArray<readonly [string, string | number | null | undefined]>): string {
  return renderTable(pairs, [
    { header: '', value: ([label]) => label },
    { header: '', value: ([, value]) => value },
  ])
    .split('\n')
    .slice(1)
    .join('\n');
}

function cellText(value: string | number | bigint | boolean | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return String(value).replace(/[\r\n\t]+/g, ' ');
}

// Code points, not UTF-16 units, so accented names line up; wide CJK glyphs are not measured.
function displayWidth(text: string): number {
  return [...text].length;
}
