import type { ArchiveReader, ConnectionOptions } from '@dbbackup/archive';
import { archiveDatabases, quotedList } from '../archive-io/archive-databases.js';
import type { CommandContext } from '../cli/command-context.js';
import { type DryRunCheck, DryRunChecklist, renderChecks } from '../dry-run/dry-run-checks.js';
import { checkArchiveAndServer, summariseData } from '../dry-run/restore-archive-checks.js';
import type { SelectedEngine } from '../engines/select-engine.js';
import type { RestoreClusterRequest } from './restore-cluster.js';

interface RestoreClusterDryRunReport {
  dry_run: true;
  ok: boolean;
  /** The databases of the backup that would be restored. */
  databases: string[];
  source: string;
  checks: DryRunCheck[];
}

/**
 * `restore cluster --dry-run`: the archive is already open (manifest and key checked); connects to the target
 * server and reports, for each database to restore, whether it would be created or already exists (and holds
 * tables). Roles are not compared: the restore creates the missing ones and alters those that exist. Touches
 * nothing.
 */
export async function restoreClusterDryRun(
  context: CommandContext,
  plan: {
    selected: SelectedEngine;
    reader: ArchiveReader;
    request: RestoreClusterRequest;
    connection: ConnectionOptions;
  },
): Promise<void> {
  const { selected, reader, request, connection } = plan;
  const databases = request.databases ?? archiveDatabases(reader.manifest);
  const checks = new DryRunChecklist();
  const data = summariseData(
    reader.manifest.members.filter((member) => member.database !== undefined && databases.includes(member.database)),
  );
  const what = `a cluster (${quotedList(archiveDatabases(reader.manifest), 5)})`;
  if (await checkArchiveAndServer(checks, { selected, reader, connection }, what, data)) {
    await checks.run('target', async () => targetCheck(selected, connection, databases));
  } else {
    checks.skip('target', 'needs a connection to the server');
  }

  const summary = checks.firstFailure
    ? []
    : [
        `dry run: would restore the roles and tablespaces, then ${databases.length} databases (${data.members} data members, ${data.rows} rows) in ${request.mode} mode, ${context.config.jobs} jobs; nothing was changed`,
      ];
  const report: RestoreClusterDryRunReport = {
    dry_run: true,
    ok: checks.firstFailure === undefined,
    databases,
    source: request.path,
    checks: checks.checks,
  };
  context.output.result(report, (document) => renderChecks(document.checks, summary));
  checks.assertPassed();
}

/** Which databases would be created, and which exist already (restored into; with tables, beside them). */
async function targetCheck(
  selected: SelectedEngine,
  connection: ConnectionOptions,
  databases: readonly string[],
): Promise<{ value: true; detail: string }> {
  const existing = new Set((await selected.engine.listDatabases(connection)).map((database) => database.name));
  const created = databases.filter((name) => !existing.has(name));
  const parts = created.length > 0 ? [`would create ${quotedList(created, 5)}`] : [];
  for (const name of databases.filter((candidate) => existing.has(candidate))) {
    const { tables } = await selected.engine.estimateSize(connection, name);
    parts.push(
      tables === 0
        ? `"${name}" exists and is empty: restored into it`
        : `"${name}" exists with ${tables} tables: the backup's objects would be added beside them`,
    );
  }
  return { value: true, detail: parts.join('; ') };
}
