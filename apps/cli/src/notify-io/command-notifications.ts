import {
  createNotifyDispatcher,
  NotifyConfigError,
  type NotifyDispatcher,
  type NotifyEventInput,
  notifyConfigFromEnv,
} from '@dbbackup/notify';
import type { CommandContext } from '../cli/command-context.js';

/**
 * Notifications of one command run. The dispatcher is made on the first event from the NOTIFY_* variables, so a
 * command that emits nothing never reads them, and is closed by commandAction when the command ends: what the
 * batching window still holds (a short backup's started + completed) goes out as one message before the exit.
 * Nothing here throws: a notification problem is a warning on stderr, never a failed backup.
 */
const dispatchers = new WeakMap<CommandContext, NotifyDispatcher>();

export function notify(context: CommandContext, event: NotifyEventInput): void {
  dispatcherOf(context).emit(event);
}

/** Sends what is queued and waits for it (bounded by the dispatcher's own limit); never rejects. */
export async function closeNotifications(context: CommandContext): Promise<void> {
  const dispatcher = dispatchers.get(context);
  if (dispatcher === undefined) return;
  dispatchers.delete(context);
  await dispatcher.close();
}

function dispatcherOf(context: CommandContext): NotifyDispatcher {
  let dispatcher = dispatchers.get(context);
  if (dispatcher === undefined) {
    dispatcher = createNotifyDispatcher(readConfig(context), {
      log: (line) => context.logger.warn(`notification: ${line}`),
    });
    dispatchers.set(context, dispatcher);
  }
  return dispatcher;
}

function readConfig(context: CommandContext): ReturnType<typeof notifyConfigFromEnv> {
  try {
    return notifyConfigFromEnv(context.env);
  } catch (error) {
    if (!(error instanceof NotifyConfigError)) throw error;
    context.logger.warn(`notifications are off: ${error.message}`);
    return null;
  }
}
