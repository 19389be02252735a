import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandAction } from '../src/cli/command-action.js';
import { addExamples } from '../src/cli/help-examples.js';
import { renderCompletionScript, type Shell } from '../src/completion/render-completion-script.js';
import { inProcessProgram } from './support/in-process-program.js';
import { emptyDirectory } from './support/run-built-cli.js';

const TOP_LEVEL_COMMANDS = [
  'backup',
  'restore',
  'verify-backup',
  'preflight',
  'list',
  'status',
  'health',
  'catalog',
  'metrics',
  'cloud',
  'dedup',
  'cleanup',
  'notify',
  'retention-simulator',
  'version',
  'completion',
];

const hasShell = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;

/** The real program plus a made-up nested command (`widget sync`), whose options the tests control. */
function programWithNestedCommand() {
  const { program } = inProcessProgram();
  const widget = program.command('widget').description('a nested command for these tests');
  addExamples(widget, [{ description: 'x', command: 'dbbackup widget sync' }]);
  const sync = widget
    .command('sync')
    .description('sync the widgets')
    .option('--bucket <name>', 'bucket to read')
    .option('--from <dir>', 'directory to read')
    .option('--prune', 'drop missing backups');
  addExamples(sync, [{ description: 'x', command: 'dbbackup widget sync --from /b' }]);
  sync.action(commandAction(() => undefined));
  return program;
}

function scriptFile(shell: Shell): string {
  const file = join(emptyDirectory(), `dbbackup.${shell}`);
  writeFileSync(file, renderCompletionScript(shell, programWithNestedCommand()));
  return file;
}

/** What the bash script offers for the words typed (the last one is the word under the cursor). */
function bashComplete(file: string, ...words: string[]): string[] {
  const script = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _dbbackup; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const output = execFileSync('bash', ['-c', script, 'complete', file, 'dbbackup', ...words], { encoding: 'utf8' });
  return output.split('\n').filter((line) => line !== '');
}

describe('shell completion', () => {
  it('bash: the script passes bash -n and completes commands, options and values', () => {
    const file = scriptFile('bash');
    execFileSync('bash', ['-n', file]);
    expect(bashComplete(file, '')).toEqual([...TOP_LEVEL_COMMANDS, 'widget', 'help']);
    expect(bashComplete(file, 'ver')).toEqual(['verify-backup', 'version']);
    expect(bashComplete(file, '--d')).toEqual(['--db-type', '--dry-run', '--debug']);
    expect(bashComplete(file, '--db-type', '')).toEqual(['postgres', 'mysql', 'mariadb']);
    expect(bashComplete(file, '--db-type', '=', 'ma')).toEqual(['mariadb']);
    expect(bashComplete(file, '--compression-algorithm', '=')).toEqual(['zstd', 'gzip', 'none']);
    expect(bashComplete(file, 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(bashComplete(file, 'help', '')).toEqual([...TOP_LEVEL_COMMANDS, 'widget']);
    // A value is not mistaken for a command: "version" here is the --host value.
    expect(bashComplete(file, '--host', 'version', 'comp')).toEqual(['completion']);
    // Nested commands, their own options, and the globals below them.
    expect(bashComplete(file, 'widget', '')).toEqual(['sync', 'help']);
    expect(bashComplete(file, '-n', 'widget', 'sync', '--')).toContain('--bucket');
    expect(bashComplete(file, 'widget', 'sync', '--b')).toEqual(['--backup-dir', '--bandwidth-limit', '--bucket']);
    expect(bashComplete(file, 'version', '--b')).toEqual(['--backup-dir', '--bandwidth-limit']);
  });

  it.skipIf(!hasShell('zsh'))('zsh: the script passes zsh -n and its functions complete commands and values', () => {
    const file = scriptFile('zsh');
    execFileSync('zsh', ['-n', file]);
    // Outside a completion widget: stub the completion builtins and call the function with words/CURRENT set.
    const harness = `
      compdef() {}
      _describe() { local name=$4; print -rl -- \${(P)name} }
      compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@" }
      compset() {}
      source "$1"; shift
      words=("$@"); CURRENT=$#
      _dbbackup`;
    const complete = (...words: string[]) =>
      execFileSync('zsh', ['-c', harness, 'complete', file, 'dbbackup', ...words], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line !== '');
    expect(complete('')).toContain('version:print the dbbackup version, Node.js version and platform');
    expect(complete('widget', '')).toEqual(['sync:sync the widgets', 'help:show help for a command']);
    expect(complete('--db-type', '')).toEqual(['postgres', 'mysql', 'mariadb']);
    expect(complete('widget', 'sync', '--')).toContain('--bucket:bucket to read');
  });

  it.skipIf(!hasShell('fish'))('fish: the script parses and `complete -C` offers commands and values', () => {
    const file = scriptFile('fish');
    execFileSync('fish', ['--no-execute', file]);
    const complete = (line: string) =>
      execFileSync('fish', ['-c', `source ${file}; complete -C '${line}'`], { encoding: 'utf8' })
        .split('\n')
        .filter((entry) => entry !== '')
        .map((entry) => entry.split('\t')[0]);
    expect(complete('dbbackup ver')).toEqual(['verify-backup', 'version']);
    expect(complete('dbbackup completion ')).toEqual(['bash', 'fish', 'zsh']);
    expect(complete('dbbackup --db-type ')).toEqual(['mariadb', 'mysql', 'postgres']);
    expect(complete('dbbackup widget ')).toEqual(['help', 'sync']);
    expect(complete('dbbackup widget sync --b')).toEqual(['--backup-dir', '--bucket']);
    expect(complete('dbbackup version --b')).toEqual(['--backup-dir', '--bandwidth-limit']);
  });

  it('zsh and fish scripts are non-empty and name the commands', () => {
    for (const shell of ['zsh', 'fish'] as const) {
      const script = renderCompletionScript(shell, programWithNestedCommand());
      for (const word of ['version', 'completion', 'widget', 'sync', 'db-type']) expect(script).toContain(word);
    }
  });
});
