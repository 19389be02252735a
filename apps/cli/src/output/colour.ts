import type { OutputFormat } from '../config/settings.js';

export type Colour = 'green' | 'yellow' | 'red';

// SGR foreground codes; 39 resets only the foreground, so a colour never leaks into what follows.
const FOREGROUND: Record<Colour, number> = { green: 32, yellow: 33, red: 31 };
const RESET_FOREGROUND = '\x1b[39m';

/**
 * Whether a result may use colour: only a table printed to a terminal, and never when NO_COLOR is set to a
 * non-empty value (https://no-color.org). JSON and piped output stay plain text.
 */
export function colourEnabled(options: {
  stdoutIsTerminal: boolean;
  format: OutputFormat;
  env: Readonly<Record<string, string | undefined>>;
}): boolean {
  const noColour = options.env['NO_COLOR'];
  return options.stdoutIsTerminal && options.format === 'table' && (noColour === undefined || noColour === '');
}

export function colourText(text: string, colour: Colour): string {
  return `\x1b[${FOREGROUND[colour]}m${text}${RESET_FOREGROUND}`;
}

/**
 * Colours whole rows of a table from renderTable(): line 0 is the header, line i + 1 is row i. Colouring whole
 * lines after rendering keeps the column widths right (renderTable would count escape codes as characters).
 */
export function colourTableRows(table: string, colours: ReadonlyArray<Colour | null>): string {
  return table
    .split('\n')
    .map((line, index) => {
      const colour = index === 0 ? null : colours[index - 1];
      return colour && line !== '' ? colourText(line, colour) : line;
    })
    .join('\n');
}
