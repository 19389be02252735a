import { z } from 'zod';
import { commandAction } from '../cli/command-action.js';
import { type CommandContext, tolerateInvalidConfigFile } from '../cli/command-context.js';
import { addExamples } from '../cli/help-examples.js';
import { UsageError } from '../errors/cli-errors.js';
import { parseDurationOption } from '../health/duration-option.js';
import type { HealthCheck } from '../health/health-check.js';
import { buildHealthReport, renderHealth } from '../health/render-health.js';
import { runHealthChecks } from '../health/run-health-checks.js';
import { UnhealthyError } from '../health/unhealthy-error.js';
import { notify } from '../notify-io/command-notifications.js';
import { colourEnabled } from '../output/colour.js';
import type { CommandModule } from './command-module.js';

const DEFAULT_MAX_AGE = '26h';

const healthOptions = z.object({
  database: z.string().min(1).optional(),
  maxAge: z.string(),
  quiet: z.boolean().optional(),
});

const CHECKS_HELP = `
Checks (each ok, warning or critical):
  config        .dbbackup.conf in the working directory: unreadable, a malformed line or an invalid value (also one
                a flag or variable overrides this time): critical, and the other checks run without the file when
                it would have stopped them; keys it ignores (unknown, passwords): warning
  catalog       the catalog (--catalog) opens; otherwise critical, and freshness, gaps and verification are skipped
  connectivity  per engine, the server answers (its version is shown); unreachable: critical, naming host:port.
                Engines: --db-type; without it each engine with backups in the catalog (of --database), else postgres
  database      with --database, it exists on each server that answered; missing: critical
  freshness     per database in the catalog for the engines checked (or --database): the newest successful backup,
                by its start time, older than --max-age: warning; older than 2 x --max-age, or none: critical
  gaps          a gap longer than --max-age between successful backups that ended in the last 7 days: warning
  verification  per database, the newest successful backup: verification failed: critical; never verified: warning
  disk          free space in --backup-dir below the largest latest backup: critical; below twice it: warning

Exit codes: 0 healthy, 1 warning, 2 critical (the worst check). The last line of the table output is a summary;
--quiet prints only that line, for monitoring systems that show the first line.`;

/** `dbbackup health`: is backing up working? Checks with Nagios-style exit codes. */
export const healthCommand: CommandModule = {
  register(parent) {
    const command = parent
      .command('health')
      .description(
        'check configuration, server, backup freshness, gaps, verification and disk space; exit 0 healthy, 1 warning, 2 critical',
      )
      .option('--database <name>', 'check only this database, and that it exists on the server')
      .option('--max-age <duration>', 'how old the newest backup may be (90m, 26h, 7d, 1d12h)', DEFAULT_MAX_AGE)
      .option('--quiet', 'table output: print only the summary line');
    command.addHelpText('after', CHECKS_HELP);
    addExamples(command, [
      { description: 'check every database in the catalog', command: 'dbbackup health' },
      {
        description: 'one PostgreSQL database backed up daily',
        command: 'dbbackup health --db-type postgres --database shop --max-age 26h',
      },
      {
        description: 'as a Nagios/Icinga check: one line, exit code 0/1/2',
        command: 'dbbackup health --database shop --quiet',
      },
      { description: 'for a monitoring system that reads JSON', command: 'dbbackup health --format json' },
    ]);
    tolerateInvalidConfigFile(command);
    return command.action(
      commandAction(async (context) => {
        const options = context.options(healthOptions);
        if (options.quiet === true && context.config.format === 'json') {
          throw new UsageError('--quiet shortens the table output; drop it with --format json');
        }
        const maxAgeMs = parseDurationOption('--max-age', options.maxAge);
        const checks = await runHealthChecks(context, { database: options.database, maxAgeMs, now: new Date() });
        const report = buildHealthReport(checks);
        const colour = colourEnabled({
          stdoutIsTerminal: context.stdoutIsTerminal,
          format: context.config.format,
          env: context.env,
        });
        context.output.result(report, (document) => renderHealth(document, { colour, quiet: options.quiet === true }));
        notifyHealthProblems(context, checks, maxAgeMs);
        if (report.exit_code !== 0) throw new UnhealthyError(report.summary, report.exit_code);
      }),
    );
  },
};

/**
 * rpo_violation for each database whose newest successful backup is older than --max-age (or that has none), and
 * gap_detected when recent backups were further apart than that: what a scheduled `health` run should tell people.
 */
function notifyHealthProblems(context: CommandContext, checks: readonly HealthCheck[], maxAgeMs: number): void {
  for (const found of checks) {
    if (found.status === 'ok') continue;
    if (found.name === 'freshness') {
      notify(context, {
        event: 'rpo_violation',
        database: found.target,
        message: found.detail,
        details: { check: found.name, status: found.status, max_age_ms: maxAgeMs },
      });
    } else if (found.name === 'gaps') {
      notify(context, {
        event: 'gap_detected',
        database: null,
        message: found.detail,
        details: { check: found.name, status: found.status, max_age_ms: maxAgeMs },
      });
    }
  }
}
