import type { ArchiveReader, ConnectionOptions } from '@dbbackup/archive';
import type { CommandContext } from '../cli/command-context.js';
import { type DryRunCheck, DryRunChecklist, renderChecks } from '../dry-run/dry-run-checks.js';
import { checkArchiveAndServer, summariseData } from '../dry-run/restore-archive-checks.js';
import type { SelectedEngine } from '../engines/select-engine.js';
import type { RestoreRequest } from './restore-single.js';

interface RestoreDryRunReport {
  dry_run: true;
  ok: boolean;
  database: string;
  source: string;
  checks: DryRunCheck[];
}

/**
 * `restore single --dry-run`: the archive is already open (manifest and key checked); connects to the server and
 * reports the target's state (exists? holds tables?) against --create/--confirm. Touches nothing.
 */
export async function restoreDryRun(
  context: CommandContext,
  plan: { selected: SelectedEngine; reader: ArchiveReader; request: RestoreRequest; connection: ConnectionOptions },
): Promise<void> {
  const { selected, reader, request, connection } = plan;
  const { manifest } = reader;
  const checks = new DryRunChecklist();
  const data = summariseData(
    manifest.members.filter((member) => !manifest.cluster || member.database === request.sourceDatabase),
  );
  const what = manifest.cluster ? `database "${request.sourceDatabase}" of a cluster` : `"${manifest.database}"`;
  const server = await checkArchiveAndServer(checks, { selected, reader, connection }, what, data);

  let action = '';
  if (server) {
    action = (await checks.run('target', async () => targetCheck(selected, connection, request))) ?? '';
  } else {
    checks.skip('target', 'needs a connection to the server');
  }

  const mode = `${request.mode} mode, ${context.config.jobs} jobs`;
  const critical = request.criticalTables.length > 0 ? `; first: ${request.criticalTables.join(', ')}` : '';
  const summary = checks.firstFailure
    ? []
    : [
        `dry run: would ${action} and restore ${data.members} data members (${data.rows} rows) in ${mode}${critical}; nothing was changed`,
      ];
  const report: RestoreDryRunReport = {
    dry_run: true,
    ok: checks.firstFailure === undefined,
    database: request.target,
    source: request.path,
    checks: checks.checks,
  };
  context.output.result(report, (document) => renderChecks(document.checks, summary));
  checks.assertPassed();
}

/** The target's state against the flags; resolves with what the restore would do to it. */
async function targetCheck(
  selected: SelectedEngine,
  connection: ConnectionOptions,
  request: RestoreRequest,
): Promise<{ value: string; detail: string }> {
  const { target } = request;
  const exists = (await selected.engine.listDatabases(connection)).some((database) => database.name === target);
  if (request.create) {
    if (exists) {
      throw new Error(
        `database "${target}" already exists; drop --create and pass --confirm to restore into it, or choose another --target`,
      );
    }
    return { value: `create database "${target}"`, detail: `"${target}" does not exist and would be created` };
  }
  if (!exists) throw new Error(`target database "${target}" does not exist; add --create to create it`);
  const contents = await targetContents(selected, connection, target);
  if (contents.empty) {
    return { value: `restore into the empty database "${target}"`, detail: `"${target}" exists and has no objects` };
  }
  if (!request.confirm) {
    throw new Error(
      `target database "${target}" is not empty (${contents.summary}); pass --confirm to restore into it, with --clean to drop its objects first`,
    );
  }
  return request.clean
    ? {
        value: `drop every object in "${target}"`,
        detail: `"${target}" has ${contents.summary}; --clean drops them first`,
      }
    : {
        value: `restore into "${target}" beside its ${contents.summary}`,
        detail: `"${target}" has ${contents.summary}; --confirm allows restoring into it`,
      };
}

/**
 * What the target holds, judged the way the restore itself will judge it: the engine's targetState when it has one
 * (every kind of object counts, not only tables), else its table count.
 */
async function targetContents(
  selected: SelectedEngine,
  connection: ConnectionOptions,
  target: string,
): Promise<{ empty: boolean; summary: string }> {
  if (selected.engine.targetState) {
    const state = await selected.engine.targetState(connection, target);
    return { empty: state.empty, summary: state.summary };
  }
  const { tables } = await selected.engine.estimateSize(connection, target);
  return { empty: tables === 0, summary: `${tables} tables` };
}
