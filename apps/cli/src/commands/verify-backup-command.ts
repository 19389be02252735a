import { z } from 'zod';
import { sha256OfFile } from '../archive-io/file-hash.js';
import { openArchive } from '../archive-io/open-archive.js';
import { checkArchive } from '../archive-io/verify-archive.js';
import { recordVerification } from '../catalog-io/run-recorder.js';
import { commandAction } from '../cli/command-action.js';
import type { CommandContext } from '../cli/command-context.js';
import { addExamples } from '../cli/help-examples.js';
import { isCloudLocation, resolveBackupLocation } from '../cloud-io/cloud-object.js';
import { selectEngineForArchive } from '../engines/select-engine.js';
import { notifyVerification } from '../notify-io/verification-notice.js';
import { renderKeyValues } from '../output/render-table.js';
import type { CommandModule } from './command-module.js';

const verifyBackupOptions = z.object({ deep: z.boolean().optional() });

/** The JSON document of `verify-backup` (printed only when every check passed). */
interface VerifyBackupReport {
  path: string;
  ok: true;
  members: number;
  data_members: number;
  rows: number;
  deep: boolean;
  engine: string;
  database: string | null;
  created_at: string;
}

/** `dbbackup verify-backup PATH`: is this archive complete and intact, without restoring it? */
export const verifyBackupCommand: CommandModule = {
  register(parent) {
    const command = parent
      .command('verify-backup')
      .description(
        'check a backup without restoring it: manifest present, every member’s sha256, GCM tags and decompression',
      )
      .argument('<path>', 'the backup file (.dbb.tar)')
      .option('--deep', 'also recount the rows of every data member and recompute their checksums');
    addExamples(command, [
      { description: 'check a backup', command: 'dbbackup verify-backup ./backups/shop-20261123T221500Z.dbb.tar' },
      {
        description: 'an encrypted backup, rows and checksums too',
        command: 'dbbackup verify-backup shop-20261123T221500Z.dbb.tar --encryption-key-file ~/.dbbackup.key --deep',
      },
      {
        description: 'as JSON, for monitoring',
        command: 'dbbackup verify-backup shop-20261123T221500Z.dbb.tar --format json',
      },
    ]);
    return command.action(
      commandAction(async (context, path: string) => {
        const { deep } = context.options(verifyBackupOptions);
        await verifyBackup(context, resolveBackupLocation(context.cwd, path), deep === true);
      }),
    );
  },
};

async function verifyBackup(context: CommandContext, path: string, deep: boolean): Promise<void> {
  const kind = deep ? ('deep' as const) : ('verify' as const);
  let facts: { database: string | null; engine: string | null } = { database: null, engine: null };
  try {
    await verifyArchive(context, path, deep, (manifest) => {
      facts = manifest;
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    notifyVerification(context, { path, ...facts, kind, result: 'failed', detail });
    throw error;
  }
}

/** Checks the archive, records the verification (catalog and sidecar) and renders the report. */
async function verifyArchive(
  context: CommandContext,
  path: string,
  deep: boolean,
  opened: (facts: { database: string | null; engine: string }) => void,
): Promise<void> {
  const { config, logger } = context;
  const reader = await openArchive(path, { keyFile: config.encryptionKeyFile, env: context.env, logger, context });
  try {
    const { manifest } = reader;
    opened({ database: manifest.database, engine: manifest.engine });
    // Only --deep needs the engine (its data format); plain verification works for any engine's archive.
    const verifier = deep ? (await selectEngineForArchive(manifest.engine)).dataMemberVerifier : undefined;
    const kind = deep ? ('deep' as const) : ('verify' as const);
    let checked: Awaited<ReturnType<typeof checkArchive>>;
    try {
      checked = await checkArchive(reader, {
        ...(verifier ? { deep: verifier } : {}),
        onMember: (done, total) => context.progress.update(`verify ${done}/${total} members`),
      });
    } catch (error) {
      context.progress.stop();
      const detail = error instanceof Error ? error.message : String(error);
      await recordVerification(
        context,
        { path, sha256: await localSha256(path) },
        verificationOf('failed', kind, detail),
      );
      throw error;
    }
    context.progress.stop();
    const detail = `${checked.members} members intact${deep ? `, ${checked.rows} rows recounted` : ''}`;
    await recordVerification(
      context,
      { path, sha256: await localSha256(path) },
      verificationOf('passed', kind, detail),
    );
    notifyVerification(context, {
      path,
      database: manifest.database,
      engine: manifest.engine,
      kind,
      result: 'passed',
      detail,
    });
    const report: VerifyBackupReport = {
      path,
      ok: true,
      members: checked.members,
      data_members: checked.dataMembers,
      rows: checked.rows,
      deep,
      engine: manifest.engine,
      database: manifest.database,
      created_at: manifest.startedAt,
    };
    context.output.result(report, renderVerifyReport);
    await context.saveConfigAfterSuccess();
  } finally {
    context.progress.stop();
    await reader.close();
  }
}

function renderVerifyReport(report: VerifyBackupReport): string {
  const checks = report.deep
    ? 'sha256, GCM tags, decompression, row counts and row checksums'
    : 'sha256, GCM tags and decompression';
  return renderKeyValues([
    ['backup', report.path],
    ['result', `ok: complete, ${report.members} members passed (${checks})`],
    ['engine', report.engine],
    ['database', report.database ?? 'cluster'],
    ['created', report.created_at],
    ['data', `${report.data_members} members, ${report.rows.toLocaleString('en-US')} rows`],
  ]);
}

function verificationOf(result: 'passed' | 'failed', kind: 'verify' | 'deep', detail: string) {
  return { at: new Date().toISOString(), result, kind, detail };
}

/** The sha256 a verification sidecar is tied to; none for a cloud backup (its sidecar lives only in the catalog). */
async function localSha256(path: string): Promise<string | undefined> {
  return isCloudLocation(path) ? undefined : sha256OfFile(path);
}
