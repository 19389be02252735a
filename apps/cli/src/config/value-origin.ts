import { CONFIG_FILE_NAME } from './config-file.js';
import type { ResolvedConfig } from './settings.js';

/** Where a resolved value came from. */
export type ValueOrigin =
  | { kind: 'flag'; flag: string }
  | { kind: 'env'; variable: string }
  | { kind: 'file'; line: number }
  | { kind: 'default' };

export type ConfigSources = { readonly [K in keyof ResolvedConfig]: ValueOrigin };

/** '--host', 'PGHOST', '.dbbackup.conf line 3', 'default'. */
export function describeOrigin(origin: ValueOrigin): string {
  switch (origin.kind) {
    case 'flag':
      return origin.flag;
    case 'env':
      return origin.variable;
    case 'file':
      return `${CONFIG_FILE_NAME} line ${origin.line}`;
    case 'default':
      return 'default';
  }
}
