import type { Command } from 'commander';

/**
 * Lets `subcommand` own a `--format` flag although the program declares a global `--format table|json`.
 *
 * Commander gives an option to the first command on the path that declares it, and the root parses its options
 * out of the whole command line before dispatching: `catalog export --format csv` sets the root's `format`, never
 * the subcommand's, and the global resolver would then reject 'csv'. This hook runs on the parent after parsing and
 * before the subcommand's action (and before the root's preAction hook, which resolves the configuration): it moves
 * the value given on the command line from the root to the subcommand's own `format` option, and leaves the root
 * `table`: the subcommand's output is then printed as it renders it (CSV or HTML text), never wrapped in JSON
 * because DBBACKUP_FORMAT or .dbbackup.conf say json.
 */
export function giveFormatFlagTo(parent: Command, subcommand: Command): void {
  parent.hook('preSubcommand', (_parent, dispatched) => {
    if (dispatched !== subcommand) return;
    let root: Command = parent;
    while (root.parent) root = root.parent;
    if (root.getOptionValueSource('format') !== 'cli') return;
    subcommand.setOptionValueWithSource('format', root.getOptionValue('format'), 'cli');
    root.setOptionValueWithSource('format', 'table', 'cli');
  });
}
