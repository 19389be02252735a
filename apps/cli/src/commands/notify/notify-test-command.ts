import { NotifyConfigError, notifyConfigFromEnv, sendTestNotification } from '@dbbackup/notify';
import type { Command } from 'commander';
import { z } from 'zod';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { CliError, ConfigError } from '../../errors/cli-errors.js';
import { renderTable } from '../../output/render-table.js';

const testOptions = z.object({ verbose: z.boolean().optional() });

/** The JSON document of `notify test`. */
interface NotifyTestReport {
  ok: boolean;
  notifiers: Array<{ kind: string; target: string; ok: boolean; detail: string; transcript?: string[] }>;
}

/** `dbbackup notify test [--verbose]`: one `test` event to every configured notifier, at once, one report each. */
export function registerNotifyTest(parent: Command): void {
  const command = parent
    .command('test')
    .description(
      'send a test notification to every configured notifier (email, webhook, escalation) and report each; exit 2 when one fails',
    )
    .option('--verbose', 'show the SMTP conversation and the webhook request/response (passwords and secrets masked)');
  addExamples(command, [
    { description: 'send a test', command: 'dbbackup notify test' },
    { description: 'see why mail does not arrive', command: 'dbbackup notify test --verbose' },
    { description: 'for a script', command: 'dbbackup notify test --format json' },
  ]);
  command.action(commandAction((context) => notifyTest(context)));
}

async function notifyTest(context: CommandContext): Promise<void> {
  const options = context.options(testOptions);
  const verbose = options.verbose === true;
  let config: ReturnType<typeof notifyConfigFromEnv>;
  try {
    config = notifyConfigFromEnv(context.env);
  } catch (error) {
    if (error instanceof NotifyConfigError) throw new ConfigError(error.message, { cause: error });
    throw error;
  }
  if (config === null) {
    throw new ConfigError(
      'no notifier is configured: set NOTIFY_SMTP_HOST, NOTIFY_SMTP_FROM and NOTIFY_SMTP_TO for email, or NOTIFY_WEBHOOK_URL for a webhook',
    );
  }
  const reports = await sendTestNotification(config, { verbose });
  const report: NotifyTestReport = {
    ok: reports.every((entry) => entry.ok),
    notifiers: reports.map((entry) => ({
      kind: entry.kind,
      target: entry.target,
      ok: entry.ok,
      detail: entry.detail,
      ...(verbose ? { transcript: entry.transcript } : {}),
    })),
  };
  context.output.result(report, renderNotifyTest);
  const failed = reports.filter((entry) => !entry.ok);
  if (failed.length > 0) {
    throw new CliError(
      `notify test: ${failed.length} of ${reports.length} notifiers failed (${failed.map((entry) => `${entry.kind} ${entry.target}: ${entry.detail}`).join('; ')})`,
      2,
    );
  }
}

/** The table; with --verbose (the document then carries each transcript) every notifier's conversation below it. */
function renderNotifyTest(report: NotifyTestReport): string {
  const table = renderTable(report.notifiers, [
    { header: 'NOTIFIER', value: (entry) => entry.kind },
    { header: 'TARGET', value: (entry) => entry.target },
    { header: 'RESULT', value: (entry) => (entry.ok ? 'sent' : 'FAILED') },
    { header: 'DETAIL', value: (entry) => entry.detail },
  ]);
  const transcripts = report.notifiers.flatMap(({ kind, target, transcript }) =>
    transcript === undefined
      ? []
      : [[`--- ${kind} ${target}`, ...(transcript.length > 0 ? transcript : ['(nothing recorded)'])].join('\n')],
  );
  if (transcripts.length === 0) return table;
  return [table, '', ...transcripts].join('\n');
}
