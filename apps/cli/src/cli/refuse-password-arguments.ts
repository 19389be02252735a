import type { Command } from 'commander';

const PASSWORD_LONG_FLAG = /^--(password|pass|passwd)(=|$)/;

/**
 * Whether argv carries a password flag: --password/--pass/--passwd (with or without =value) or -p, also inside
 * a cluster of short flags (-npsecret). Checked before commander parses, because commander's "unknown option"
 * error would echo the value. Scanning a short cluster stops at a flag that takes a value (-dpostgres is
 * `-d postgres`, not a password); `--` ends the options.
 */
export function hasPasswordArgument(argv: readonly string[], valueTakingShortFlags: ReadonlySet<string>): boolean {
  for (const argument of argv) {
    if (argument === '--') return false;
    if (PASSWORD_LONG_FLAG.test(argument)) return true;
    if (argument.startsWith('-') && !argument.startsWith('--')) {
      for (const letter of argument.slice(1)) {
        if (letter === 'p') return true;
        if (valueTakingShortFlags.has(letter)) break;
      }
    }
  }
  return false;
}

/** Short flags anywhere in the command tree that take a value (`-d` of `-d, --db-type <type>`). */
export function valueTakingShortFlags(root: Command): Set<string> {
  const letters = new Set<string>();
  const visit = (command: Command) => {
    for (const option of command.options) {
      if ((option.required || option.optional) && option.short) letters.add(option.short.replace(/^-/, ''));
    }
    command.commands.forEach(visit);
  };
  visit(root);
  return letters;
}
