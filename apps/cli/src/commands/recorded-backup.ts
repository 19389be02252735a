import type { BackupSource } from '@dbbackup/archive';
import type { BackupFormat, BackupKind, BackupOutcome } from '@dbbackup/catalog';
import type { NotifyEventInput, NotifyEventName } from '@dbbackup/notify';
import { formatBytes } from '@dbbackup/pipeline';
import { BackupRun } from '../catalog-io/run-recorder.js';
import type { CommandContext } from '../cli/command-context.js';
import type { ResolvedConfig } from '../config/settings.js';
import type { SelectedEngine } from '../engines/select-engine.js';
import { type HookFacts, type Hooks, withHooks } from '../hooks/run-hook.js';
import { notify } from '../notify-io/command-notifications.js';

/** One backup about to be written: what the catalog and the hooks are told about it. */
export interface RecordedBackup {
  kind: BackupKind;
  format: BackupFormat;
  selected: SelectedEngine;
  database: string | null;
  path: string;
  encrypted: boolean;
  /** 'zstd:3', 'gzip:6', 'none'. */
  compression: string;
  hooks: Hooks;
}

/**
 * Writes a backup between its hooks and records it in the catalog: running when it starts, then its outcome
 * (success with size, sha256 and consistency point, or the error). `write` returns its result and the outcome to
 * record; the BackupRun stays open for the caller to add a verification, and must be closed.
 */
export async function runRecordedBackup<T>(
  context: CommandContext,
  backup: RecordedBackup,
  write: () => Promise<{ result: T; outcome: BackupOutcome }>,
): Promise<{ result: T; run: BackupRun }> {
  const source = backupSource(context.config);
  const facts = hookFacts(context.config, {
    operation: 'backup',
    kind: backup.kind,
    engine: backup.selected.name,
    database: backup.database,
    path: backup.path,
  });
  const notice = backupNotice(backup, source);
  const subject = backup.database ?? `the ${backup.selected.name} cluster`;
  let run: BackupRun | undefined;
  let failuresInARow: number | undefined;
  const startedAt = Date.now();
  let written: { result: T; outcome: BackupOutcome };
  try {
    written = await withHooks(
      context,
      backup.hooks,
      facts,
      async () => {
        notify(context, notice('backup_started', `backup of ${subject} started`));
        run = await BackupRun.begin(context, {
          database: backup.database,
          engine: backup.selected.name,
          host: source.host,
          kind: backup.kind,
          format: backup.format,
          location: backup.path,
          startedAt: new Date().toISOString(),
          encrypted: backup.encrypted,
          compression: backup.compression,
          parentId: null,
        });
        try {
          const done = await write();
          await run.succeeded(done.outcome);
          return done;
        } catch (error) {
          await run.failed(error);
          failuresInARow = await run.consecutiveFailures();
          await run.close();
          throw error;
        }
      },
      (done) => ({ bytes: done.outcome.bytes }),
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    notify(context, {
      ...notice('backup_failed', `backup of ${subject} failed: ${message}`, {
        error: message,
        duration_ms: Date.now() - startedAt,
      }),
      ...(failuresInARow !== undefined ? { consecutiveFailures: failuresInARow } : {}),
    });
    throw error;
  }
  const { outcome } = written;
  notify(
    context,
    notice('backup_completed', `backup of ${subject} completed: ${formatBytes(outcome.bytes)}`, {
      bytes: outcome.bytes,
      sha256: outcome.sha256,
      tables: outcome.tables,
      rows: outcome.rows,
      duration_ms: Date.now() - startedAt,
    }),
  );
  // withHooks only resolves after `run` was assigned and the write succeeded.
  return { result: written.result, run: run as BackupRun };
}

/**
 * The notification events of one backup: database (null for a cluster), and the facts every event of it carries
 * (server, engine, kind, where it goes), plus what the event adds.
 */
function backupNotice(
  backup: RecordedBackup,
  source: BackupSource,
): (event: NotifyEventName, message: string, details?: Record<string, unknown>) => NotifyEventInput {
  const base = {
    host: source.host,
    port: source.port,
    engine: backup.selected.name,
    kind: backup.kind,
    format: backup.format,
    path: backup.path,
    encrypted: backup.encrypted,
    compression: backup.compression,
  };
  return (event: NotifyEventName, message: string, details: Record<string, unknown> = {}): NotifyEventInput => ({
    event,
    database: backup.database,
    message,
    details: { ...base, ...details },
  });
}

/** What the hooks are told about a run: the run itself, and the server as backupSource() names it. */
export function hookFacts(config: ResolvedConfig, run: Omit<HookFacts, 'host' | 'port'>): HookFacts {
  const source = backupSource(config);
  return {
    ...run,
    ...(source.host !== null ? { host: source.host } : {}),
    ...(source.port !== null ? { port: source.port } : {}),
  };
}

/**
 * The server as the client addressed it, for the manifest and the catalog: the host (or socket) flag or variable,
 * else the drivers' default, a local socket, recorded as localhost.
 */
export function backupSource(config: ResolvedConfig): BackupSource {
  return { host: config.host ?? config.socket ?? 'localhost', port: config.port ?? null };
}

/** The catalog's compression text: 'zstd:3', 'gzip:6', 'none'. */
export function compressionLabel(compression: { algorithm: string; level: number }): string {
  return compression.algorithm === 'none' ? 'none' : `${compression.algorithm}:${compression.level}`;
}
