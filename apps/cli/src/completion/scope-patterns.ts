import { type CompletionNode, type CompletionOption, optionFlags } from './completion-tree.js';
import { shellQuote } from './shell-quote.js';

/**
 * Case patterns (bash/zsh syntax) matching "$path|$flag" wherever an option of `node` is usable: the root's
 * options at any path, another command's at its own path and below it.
 */
export function pathFlagPatterns(node: CompletionNode, options: readonly CompletionOption[]): string {
  return options
    .flatMap((option) => optionFlags(option))
    .flatMap((flag) =>
      node.path === ''
        ? [`*${shellQuote(`|${flag}`)}`]
        : [shellQuote(`${node.path}|${flag}`), `${shellQuote(`${node.path} `)}*${shellQuote(`|${flag}`)}`],
    )
    .join('|');
}

/** A bash/zsh test that $1 is `node`'s path or below it (empty for the root, which is everywhere). */
export function pathScopeTest(node: CompletionNode): string {
  if (node.path === '') return '';
  return `[[ $1 == ${shellQuote(node.path)} || $1 == ${shellQuote(`${node.path} `)}* ]] && `;
}
