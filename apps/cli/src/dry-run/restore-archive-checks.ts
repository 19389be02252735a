import type { ArchiveReader, ConnectionOptions, MemberEntry } from '@dbbackup/archive';
import { formatBytes } from '@dbbackup/pipeline';
import type { SelectedEngine } from '../engines/select-engine.js';
import type { DryRunChecklist } from './dry-run-checks.js';

export interface DataSummary {
  members: number;
  rows: number;
  bytes: number;
}

/** The data members among `members`: how many, their rows and plain bytes (from the manifest). */
export function summariseData(members: readonly MemberEntry[]): DataSummary {
  const data = members.filter((member) => member.kind === 'data');
  return {
    members: data.length,
    rows: data.reduce((sum, member) => sum + (member.rows ?? 0), 0),
    bytes: data.reduce((sum, member) => sum + member.plainSize, 0),
  };
}

/**
 * The checks every restore dry run starts with: the archive (already opened, so its manifest and key passed), the
 * key when it is encrypted, and the server. Resolves whether the server answered.
 */
export async function checkArchiveAndServer(
  checks: DryRunChecklist,
  plan: { selected: SelectedEngine; reader: ArchiveReader; connection: ConnectionOptions },
  what: string,
  data: DataSummary,
): Promise<boolean> {
  const { selected, reader, connection } = plan;
  const { manifest } = reader;
  await checks.run('archive', async () => ({
    value: true,
    detail: `${manifest.engine} backup of ${what} taken ${manifest.startedAt}: ${manifest.members.length} members, ${data.rows} rows, ${formatBytes(data.bytes)} of table data`,
  }));
  if (reader.encrypted) {
    await checks.run('encryption key', async () => ({
      value: true,
      detail: `the key opens the backup (key id ${manifest.encryption?.keyId ?? '?'})`,
    }));
  }
  const server = await checks.run('server', async () => {
    const version = await selected.engine.serverVersion(connection);
    return { value: version, detail: `${selected.name} ${version.version}` };
  });
  return server !== undefined;
}
