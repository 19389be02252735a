import type { VerifyProblem, VerifyReport } from '@dbbackup/dedup-store';
import { formatBytes } from '@dbbackup/pipeline';
import type { Command } from 'commander';
import { z } from 'zod';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { type DedupLocation, locationFlag, resolveDedupLocation } from '../../dedup-io/dedup-location.js';
import { dedupProgress } from '../../dedup-io/dedup-progress.js';
import { withDedupStore } from '../../dedup-io/open-dedup-store.js';
import { CliError } from '../../errors/cli-errors.js';
import { counted } from '../../output/counted.js';
import { renderKeyValues, renderTable } from '../../output/render-table.js';
import { addDedupDirOption, dedupStoreOptions } from './dedup-store-option.js';

const verifyOptions = dedupStoreOptions.extend({ readData: z.boolean().optional() });

/** One finding of `dedup verify`, in JSON. */
interface VerifyProblemDocument {
  kind: string;
  message: string;
  pack_id: string | null;
  blob_id: string | null;
  snapshot_id: string | null;
  key: string | null;
}

/** The JSON document of `dedup verify`. */
interface DedupVerifyReport {
  store: string;
  ok: boolean;
  read_data: boolean;
  snapshots: number;
  packs: number;
  blobs: number;
  bytes_read: number;
  errors: VerifyProblemDocument[];
  /** Not damage: packs no index lists, left by an interrupted backup (dedup gc deletes them). */
  warnings: VerifyProblemDocument[];
}

/** verify found damage; the report (every problem) was printed first. Exit 2. */
export class DedupStoreDamagedError extends CliError {
  constructor(report: DedupVerifyReport, location: DedupLocation) {
    const [first] = report.errors;
    const more = report.errors.length > 1 ? ` and ${counted(report.errors.length - 1, 'more problem')}` : '';
    super(
      `the dedup store at ${report.store} is damaged: ${first ? describeProblem(first) : 'see the report'}${more} (all in the report above); ${first ? fixFor(first, location) : ''}`,
      2,
    );
  }
}

/** `dbbackup dedup verify [--read-data]`: is every snapshot restorable from what the store holds? */
export function registerDedupVerify(dedup: Command): void {
  const command = dedup
    .command('verify')
    .description(
      'check the store without changing it: index files, every pack header against the index, every snapshot’s chunks. --read-data also reads every pack and checks every blob. Exit 2 naming the first damaged pack or blob',
    );
  addDedupDirOption(command).option(
    '--read-data',
    'read all the data: each pack’s sha256, and each blob authenticated, decompressed and hashed (finds any flipped byte)',
  );
  addExamples(command, [
    {
      description: 'the quick check (pack headers and index)',
      command: 'dbbackup dedup verify --dedup-dir /srv/dedup',
    },
    {
      description: 'read every byte, e.g. weekly',
      command:
        'dbbackup dedup verify --read-data --cloud s3://backups/dedup/ --encryption-key-file /etc/dbbackup/dedup.key',
    },
  ]);
  command.action(commandAction((context) => dedupVerify(context)));
}

async function dedupVerify(context: CommandContext): Promise<void> {
  const options = context.options(verifyOptions);
  const location = resolveDedupLocation(context, options.dedupDir, 'verify');
  const readData = options.readData === true;
  const report = await withDedupStore(context, { location, create: false }, async (store) => {
    const progress = dedupProgress(context);
    try {
      const verified = await store.verify({
        readData,
        onProgress: (done) =>
          progress.update(
            () => `dedup verify  ${done.packsChecked} / ${done.packs} packs  ${formatBytes(done.bytesRead)} read`,
          ),
      });
      return verifyReport(store.location, verified);
    } finally {
      progress.stop();
    }
  });
  for (const warning of report.warnings) context.logger.warn(warning.message);
  context.output.result(report, renderVerifyReport);
  if (!report.ok) throw new DedupStoreDamagedError(report, location);
  await context.saveConfigAfterSuccess();
}

function verifyReport(store: string, report: VerifyReport): DedupVerifyReport {
  return {
    store,
    ok: report.ok,
    read_data: report.readData,
    snapshots: report.snapshots,
    packs: report.packs,
    blobs: report.blobs,
    bytes_read: report.bytesRead,
    errors: report.errors.map(problemDocument),
    warnings: report.warnings.map(problemDocument),
  };
}

function problemDocument(problem: VerifyProblem): VerifyProblemDocument {
  return {
    kind: problem.kind,
    message: problem.message,
    pack_id: problem.packId ?? null,
    blob_id: problem.blobId ?? null,
    snapshot_id: problem.snapshotId ?? null,
    key: problem.key ?? null,
  };
}

function renderVerifyReport(report: DedupVerifyReport): string {
  const summary = renderKeyValues([
    ['store', report.store],
    ['result', report.ok ? 'ok' : `damaged: ${counted(report.errors.length, 'problem')}`],
    [
      'checked',
      `${counted(report.snapshots, 'snapshot')}, ${counted(report.packs, 'pack')}, ${counted(report.blobs, 'blob')}`,
    ],
    ['read', report.read_data ? formatBytes(report.bytes_read) : 'pack headers only (--read-data reads everything)'],
  ]);
  const problems = [...report.errors, ...report.warnings];
  if (problems.length === 0) return summary;
  const table = renderTable(problems, [
    { header: 'problem', value: (problem) => problem.kind },
    { header: 'where', value: (problem) => describeProblem(problem) },
    { header: 'detail', value: (problem) => problem.message },
  ]);
  return `${summary}\n${table}`;
}

/** `pack 3f2a… blob 9c01…`, `snapshot 1a2b…`, or the object's key. */
function describeProblem(problem: VerifyProblemDocument): string {
  if (problem.pack_id !== null) {
    return `pack ${problem.pack_id}${problem.blob_id !== null ? ` blob ${problem.blob_id}` : ''} (${problem.kind})`;
  }
  if (problem.snapshot_id !== null) return `snapshot ${problem.snapshot_id} (${problem.kind})`;
  if (problem.key !== null) return `${problem.key} (${problem.kind})`;
  return problem.kind;
}

/** What to do about the first problem, as dbbackup commands. */
function fixFor(problem: VerifyProblemDocument, location: DedupLocation): string {
  const flag = locationFlag(location);
  switch (problem.kind) {
    case 'damaged-index':
    case 'index-mismatch':
      return `rebuild the index from the packs with dbbackup dedup rebuild-index ${flag}, then verify again`;
    case 'damaged-snapshot':
      return `delete that snapshot with dbbackup dedup delete ID ${flag} and back up again`;
    case 'missing-chunk':
      return `run dbbackup dedup rebuild-index ${flag} (the pack may only be unindexed) and verify again; if the chunk is still missing, delete the snapshots that need it (dbbackup dedup delete ID) and back up again`;
    default:
      return `restore the pack from a copy of the store if you have one; otherwise delete the snapshots that need it (dbbackup dedup delete ID ${flag}), run dbbackup dedup gc, and back up again`;
  }
}
