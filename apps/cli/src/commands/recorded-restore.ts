import { RestoreRun } from '../catalog-io/run-recorder.js';
import type { CommandContext } from '../cli/command-context.js';
import type { SelectedEngine } from '../engines/select-engine.js';
import { type Hooks, withHooks } from '../hooks/run-hook.js';
import { notify } from '../notify-io/command-notifications.js';
import { backupSource, hookFacts } from './recorded-backup.js';

/** One restore about to run: what the catalog and the hooks are told about it. */
export interface RecordedRestore {
  kind: 'single' | 'cluster';
  selected: SelectedEngine;
  /** The archive restored from. */
  path: string;
  /** The target database; for a cluster restore, the databases restored joined by ', ' (or 'cluster'). */
  database: string;
  hooks: Hooks;
}

/**
 * Runs a restore between its hooks and records it in the catalog (linked to the archive's entry when the catalog
 * has one): running at the start, then finished with tables and rows, or failed with the error.
 */
export async function runRecordedRestore<T>(
  context: CommandContext,
  restore: RecordedRestore,
  run: () => Promise<T>,
  outcomeOf: (result: T) => { tables: number | null; rows: number | null },
): Promise<T> {
  const source = backupSource(context.config);
  const facts = hookFacts(context.config, {
    operation: 'restore',
    kind: restore.kind,
    engine: restore.selected.name,
    database: restore.database,
    path: restore.path,
  });
  const details = {
    host: source.host,
    port: source.port,
    engine: restore.selected.name,
    kind: restore.kind,
    path: restore.path,
  };
  const startedAt = Date.now();
  let result: T;
  try {
    result = await withHooks(context, restore.hooks, facts, async () => {
      notify(context, {
        event: 'restore_started',
        database: restore.database,
        message: `restore of ${restore.path} into ${restore.database} started`,
        details,
      });
      const recording = await RestoreRun.begin(context, {
        location: restore.path,
        database: restore.database,
        engine: restore.selected.name,
        host: source.host,
        startedAt: new Date().toISOString(),
      });
      try {
        const done = await run();
        await recording.succeeded(outcomeOf(done));
        return done;
      } catch (error) {
        await recording.failed(error);
        throw error;
      } finally {
        await recording.close();
      }
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    notify(context, {
      event: 'restore_failed',
      database: restore.database,
      message: `restore of ${restore.path} into ${restore.database} failed: ${message}`,
      details: { ...details, error: message, duration_ms: Date.now() - startedAt },
    });
    throw error;
  }
  const { tables, rows } = outcomeOf(result);
  notify(context, {
    event: 'restore_completed',
    database: restore.database,
    message: `restore of ${restore.path} into ${restore.database} completed${tables !== null ? `: ${tables} tables` : ''}${rows !== null ? `, ${rows} rows` : ''}`,
    details: { ...details, tables, rows, duration_ms: Date.now() - startedAt },
  });
  return result;
}
