import type { Command } from 'commander';

const LISTEN_FLAGS = ['host', 'port'] as const;

/**
 * Lets `subcommand` (`metrics serve`) own `--host` and `--port` (the address it listens on), although the program
 * declares global `--host`/`--port` for the database server (see own-format-option.ts for the same problem with
 * --format). Commander gives a flag to the root, which parses its options out of the whole command line; this hook,
 * run on the parent before the subcommand's action and before the root resolves the configuration, moves a value
 * given on the command line to the subcommand and leaves the root's value undefined (present, not absent:
 * optsWithGlobals(), which the configuration resolver reads, lets the root's key win over the subcommand's), so the
 * listen address is never taken for the database's, and an unusual one (port 0) is not rejected as a database port.
 */
export function giveListenFlagsTo(parent: Command, subcommand: Command): void {
  parent.hook('preSubcommand', (_parent, dispatched) => {
    if (dispatched !== subcommand) return;
    let root: Command = parent;
    while (root.parent) root = root.parent;
    for (const key of LISTEN_FLAGS) {
      if (root.getOptionValueSource(key) === 'cli') {
        subcommand.setOptionValueWithSource(key, root.getOptionValue(key), 'cli');
      }
      root.setOptionValueWithSource(key, undefined, 'default');
    }
  });
}
