import type { Command } from 'commander';
import { renderBashCompletion } from './bash-completion.js';
import { buildCompletionTree } from './completion-tree.js';
import { renderFishCompletion } from './fish-completion.js';
import { renderZshCompletion } from './zsh-completion.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** The completion script for `shell`, generated from the live command tree under `root`. */
export function renderCompletionScript(shell: Shell, root: Command): string {
  const tree = buildCompletionTree(root);
  switch (shell) {
    case 'bash':
      return renderBashCompletion(tree);
    case 'zsh':
      return renderZshCompletion(tree);
    case 'fish':
      return renderFishCompletion(tree);
  }
}
