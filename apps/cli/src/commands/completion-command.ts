import { Argument } from 'commander';
import { commandAction } from '../cli/command-action.js';
import { addExamples } from '../cli/help-examples.js';
import { renderCompletionScript, SHELLS, type Shell } from '../completion/render-completion-script.js';
import type { CommandModule } from './command-module.js';

export const completionCommand: CommandModule = {
  register(parent) {
    const command = parent
      .command('completion')
      .description('print a shell completion script for the commands and flags of this dbbackup')
      .addArgument(new Argument('<shell>', 'shell to complete in').choices(SHELLS));
    addExamples(command, [
      { description: 'complete in the current bash session', command: 'source <(dbbackup completion bash)' },
      {
        description: 'install for bash',
        command: 'dbbackup completion bash > ~/.local/share/bash-completion/completions/dbbackup',
      },
      {
        description: 'install for zsh (a directory on $fpath)',
        command: 'dbbackup completion zsh > ~/.zfunc/_dbbackup',
      },
      {
        description: 'install for fish',
        command: 'dbbackup completion fish > ~/.config/fish/completions/dbbackup.fish',
      },
    ]);
    return command.action(
      commandAction(({ output, command: self }, shell: Shell) => {
        let root = self;
        while (root.parent) root = root.parent;
        const script = renderCompletionScript(shell, root);
        output.result({ shell, script }, (data) => data.script);
      }),
    );
  },
};
