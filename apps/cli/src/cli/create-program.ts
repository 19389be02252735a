import { Command } from 'commander';
import { registerCommands } from '../commands/index.js';
import { CLI_VERSION } from '../version.js';
import type { CliSession } from './cli-session.js';
import { attachCommandContext } from './command-action.js';
import { createCommandContext } from './command-context.js';
import { addGlobalOptions } from './global-options.js';
import { addExamples } from './help-examples.js';

const CONFIGURATION_HELP = `
Configuration:
  Precedence: flags > environment > .dbbackup.conf (current directory) > defaults.
  Every global flag has a variable DBBACKUP_<FLAG NAME> (DBBACKUP_DB_TYPE, DBBACKUP_BACKUP_DIR,
  DBBACKUP_NO_CONFIG=1, ...) and a .dbbackup.conf key: its long name (\`backup-dir = /var/backups\`).
  The clients' variables apply too: PGHOST, PGPORT, PGUSER, PGDATABASE for PostgreSQL (or no --db-type);
  MYSQL_HOST, MYSQL_TCP_PORT, MYSQL_UNIX_PORT for MySQL/MariaDB.
  Passwords never come from flags: PGPASSWORD or ~/.pgpass, MYSQL_PWD or an option file.

Exit codes:
  0 ok, 1 warning or partial success, 2 error.`;

/**
 * The root command: global flags, error and output settings that subcommands inherit, the hook that builds each
 * command's context (resolving configuration, so a bad global value fails every command the same way), and
 * the registered commands.
 */
export function createProgram(session: CliSession): Command {
  const { stdout, stderr } = session.runtime;
  const program = new Command('dbbackup')
    .description('Back up and restore PostgreSQL and MySQL/MariaDB databases.')
    .version(CLI_VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    // Settings below are copied to every subcommand created with parent.command(), so set them first.
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
      outputError: (text, write) => {
        session.stderr.clearStatus();
        write(text.replace(/^error: /, 'dbbackup: '));
      },
    });
  addGlobalOptions(program);

  program.hook('preAction', async (_program, actionCommand) => {
    attachCommandContext(actionCommand, await createCommandContext(actionCommand, session));
  });

  addExamples(program, [
    { description: 'list the commands and global flags', command: 'dbbackup --help' },
    { description: 'print version information as JSON', command: 'dbbackup version --format json' },
    { description: 'enable tab completion in the current bash shell', command: 'source <(dbbackup completion bash)' },
  ]);
  program.addHelpText('after', CONFIGURATION_HELP);

  registerCommands(program);
  return program;
}
