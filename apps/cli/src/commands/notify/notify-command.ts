import { NOTIFY_ENV_VARIABLES } from '@dbbackup/notify';
import { addExamples } from '../../cli/help-examples.js';
import type { CommandModule } from '../command-module.js';
import { registerNotifyTest } from './notify-test-command.js';

/**
 * `dbbackup notify test`: notifications are configured by NOTIFY_* variables only (so no secret is ever a flag or
 * in .dbbackup.conf); backups, restores, verifications, cleanup, gaps and RPO checks send them by themselves.
 */
export const notifyCommand: CommandModule = {
  register(parent) {
    const notify = parent
      .command('notify')
      .description('notifications (email over SMTP, signed webhooks, Slack) of backup events: send a test')
      .addHelpText(
        'after',
        `\nConfigured by environment variables: ${NOTIFY_ENV_VARIABLES.join(', ')}.\nEvents: backup_started/completed/failed, restore_started/completed/failed, verify_completed/failed, cleanup_completed, gap_detected, rpo_violation, test.`,
      );
    addExamples(notify, [
      {
        description: 'check that email and the webhook reach their recipients',
        command:
          'NOTIFY_SMTP_HOST=mail.example.com NOTIFY_SMTP_FROM=db@example.com NOTIFY_SMTP_TO=ops@example.com dbbackup notify test',
      },
    ]);
    registerNotifyTest(notify);
    return notify;
  },
};
