import type { Command, Option } from 'commander';

/** How to complete an option's value; taken from its placeholder (`<dir>`, `<file>`, `<path>`) or its choices. */
export type ValueKind = 'none' | 'word' | 'file' | 'directory';

export interface CompletionOption {
  long: string | undefined;
  short: string | undefined;
  description: string;
  valueKind: ValueKind;
  choices: readonly string[];
}

/** A command as the completion scripts see it. `path` is the command words after `dbbackup`, space-separated. */
export interface CompletionNode {
  path: string;
  /** The name and aliases by which the parent reaches this command. */
  names: string[];
  description: string;
  /**
   * The options this command declares. They are also usable on every command below it (commander accepts a
   * parent's options anywhere on the line), so the scripts scope each one to its command's path and descendants.
   */
  ownOptions: CompletionOption[];
  subcommands: CompletionNode[];
  /** Fixed values of the positional arguments (e.g. bash|zsh|fish). */
  argumentChoices: string[];
}

/**
 * Reads the commander tree the way help shows it (visible commands and options, including the implicit `help`
 * command), so completion follows the commands as they are added.
 */
export function buildCompletionTree(root: Command): CompletionNode {
  const help = root.createHelp();
  const visit = (command: Command, path: string, inherited: CompletionOption[], siblings: string[]): CompletionNode => {
    // Each subcommand repeats `-h, --help`; keep an option only where it is first declared.
    const inheritedFlags = new Set(inherited.flatMap(optionFlags));
    const ownOptions = help
      .visibleOptions(command)
      .map(toCompletionOption)
      .filter((option) => !optionFlags(option).every((flag) => inheritedFlags.has(flag)));
    const options = [...inherited, ...ownOptions];
    const children = help.visibleCommands(command);
    const childNames = children.map((child) => child.name()).filter((name) => name !== 'help');
    return {
      path,
      names: [command.name(), ...command.aliases()],
      description: firstLine(command.summary() || command.description()),
      ownOptions,
      subcommands: children.map((child) =>
        visit(child, path === '' ? child.name() : `${path} ${child.name()}`, options, childNames),
      ),
      // commander's implicit `help [command]` takes the name of a sibling command.
      argumentChoices:
        command.name() === 'help'
          ? siblings
          : command.registeredArguments.flatMap((argument) => argument.argChoices ?? []),
    };
  };
  return visit(root, '', [], []);
}

/** Every node of the tree, root first. */
export function flattenTree(node: CompletionNode): CompletionNode[] {
  return [node, ...node.subcommands.flatMap(flattenTree)];
}

/** Every node, deepest first: in a case statement a subcommand's own option must match before a parent's. */
export function deepestFirst(node: CompletionNode): CompletionNode[] {
  const depth = (candidate: CompletionNode) => (candidate.path === '' ? 0 : candidate.path.split(' ').length);
  return flattenTree(node).sort((a, b) => depth(b) - depth(a));
}

export function valueOptions(node: CompletionNode): CompletionOption[] {
  return node.ownOptions.filter((option) => option.valueKind !== 'none');
}

/** The flags of an option: short first ('-d', '--db-type'). */
export function optionFlags(option: CompletionOption): string[] {
  return [option.short, option.long].filter((flag): flag is string => flag !== undefined);
}

function toCompletionOption(option: Option): CompletionOption {
  const takesValue = option.required || option.optional;
  const placeholder = /[<[]([\w-]+)/.exec(option.flags)?.[1] ?? '';
  const valueKind: ValueKind = !takesValue
    ? 'none'
    : /^(dir|directory)$/i.test(placeholder)
      ? 'directory'
      : /^(file|path)$/i.test(placeholder)
        ? 'file'
        : 'word';
  return {
    long: option.long,
    short: option.short,
    description: firstLine(option.description),
    valueKind,
    choices: option.argChoices ?? [],
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}
