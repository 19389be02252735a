import { type FileHandle, open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatBytes } from '@dbbackup/pipeline';
import type { Command } from 'commander';
import { z } from 'zod';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { resolveDedupLocation } from '../../dedup-io/dedup-location.js';
import { bytesProgress, dedupProgress } from '../../dedup-io/dedup-progress.js';
import { withDedupStore } from '../../dedup-io/open-dedup-store.js';
import { CliError, UsageError } from '../../errors/cli-errors.js';
import { runInterruptible } from '../guarded-write.js';
import { dedupBackupReport, renderDedupBackupReport } from './dedup-backup-report.js';
import { refuseDryRun } from './dedup-dry-run.js';
import { addDedupDirOption, dedupStoreOptions } from './dedup-store-option.js';

const backupOptions = dedupStoreOptions.extend({ database: z.string().min(1).optional() });

/** What is read: a file (its size known, for progress) or stdin. */
interface BackupInput {
  /** The snapshot's source: the file's absolute path, or '-' for stdin. */
  source: string;
  stream: AsyncIterable<Uint8Array>;
  size: number | null;
  close(): Promise<void>;
}

/** `dbbackup dedup backup FILE|- --dedup-dir DIR`: a file or stdin as a new snapshot; creates the store on first use. */
export function registerDedupBackup(dedup: Command): void {
  const command = dedup
    .command('backup')
    .description(
      'store a file (a dump, any bytes) or stdin as a new snapshot: only the chunks the store lacks are added. Creates the store on first use (encrypted with --encryption-key-file)',
    )
    .argument('<file>', 'the file to back up, or - for stdin');
  addDedupDirOption(command).option(
    '--database <name>',
    'record the stream as a dump of this database (list shows it; prune keeps the newest per database, else per source)',
  );
  addExamples(command, [
    { description: 'a dump file into a local store', command: 'dbbackup dedup backup shop.sql --dedup-dir /srv/dedup' },
    {
      description: "pg_dump's output, recorded as the database shop",
      command: 'pg_dump shop | dbbackup dedup backup - --database shop --dedup-dir /srv/dedup',
    },
    {
      description: 'into an encrypted store in S3 (the key is needed by every later command too)',
      command:
        'dbbackup dedup backup shop.sql --cloud s3://backups/dedup/ --encryption-key-file /etc/dbbackup/dedup.key',
    },
  ]);
  command.action(commandAction((context, file: string) => dedupBackup(context, file)));
}

async function dedupBackup(context: CommandContext, file: string): Promise<void> {
  const options = context.options(backupOptions);
  refuseDryRun(context, 'backup');
  const location = resolveDedupLocation(context, options.dedupDir, 'backup');
  const input = await openInput(context, file);
  try {
    const report = await withDedupStore(context, { location, create: true }, (store, created) =>
      runInterruptible(context, async (signal) => {
        const progress = dedupProgress(context);
        const startedAt = performance.now();
        try {
          const result = await store.backup(input.stream, {
            source: input.source,
            ...(options.database !== undefined && { database: options.database }),
            signal,
            onProgress: (done) =>
              progress.update(
                (seconds) =>
                  `dedup backup ${input.source}  ${bytesProgress(done.bytesRead, input.size, seconds)}  new ${formatBytes(done.newChunkBytes)}`,
              ),
          });
          return dedupBackupReport(store, created, result, startedAt);
        } finally {
          progress.stop();
        }
      }),
    );
    context.output.result(report, (document) => renderDedupBackupReport(document));
  } finally {
    await input.close();
  }
  await context.saveConfigAfterSuccess();
}

async function openInput(context: CommandContext, file: string): Promise<BackupInput> {
  if (file === '-') {
    if (process.stdin.isTTY) {
      throw new UsageError(
        'dedup backup - reads stdin, which is a terminal: pipe the data in, e.g. pg_dump shop | dbbackup dedup backup - ...',
      );
    }
    return { source: '-', stream: process.stdin, size: null, close: async () => undefined };
  }
  const path = resolve(context.cwd, file);
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliError(`cannot read ${path} (${reason}): check the path, or give - to read stdin`, 2, { cause: error });
  }
  const info = await handle.stat();
  if (!info.isFile()) {
    await handle.close();
    throw new UsageError(`${path} is not a file: dedup backup stores one file or stdin (a dump, an archive)`);
  }
  const stream = handle.createReadStream({ highWaterMark: 1024 * 1024, autoClose: false });
  return { source: path, stream, size: info.size, close: () => handle.close() };
}
