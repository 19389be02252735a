import type { ArchiveReader, MemberEntry } from '@dbbackup/archive';
import type { DataMemberVerifierFactory } from '../engines/data-member-verifier.js';
import { CliError } from '../errors/cli-errors.js';

/** A data member's rows or row checksum differ from its manifest entry although its bytes are intact. Exit 2. */
export class DataMemberMismatchError extends CliError {
  constructor(entry: MemberEntry, what: string) {
    const table = entry.table
      ? ` (${entry.table.schema}.${entry.table.name}${entry.part !== undefined ? ` part ${entry.part}` : ''})`
      : '';
    super(`member ${entry.name}${table} ${what}; the backup was written wrongly, take a new backup`, 2);
  }
}

export interface ArchiveCheckResult {
  members: number;
  dataMembers: number;
  /** Rows of the data members (recounted with deep, else as the manifest records them). */
  rows: number;
}

export interface ArchiveCheckOptions {
  /** Recount rows and recompute row checksums of data members with the engine's data format. */
  deep?: DataMemberVerifierFactory;
  /** After each member passed, for progress. */
  onMember?: (done: number, total: number) => void;
}

/**
 * Checks every member of an opened archive: sha256 of the stored bytes, GCM tags, full decompression and plain size
 * (ArchiveReader.verify). With `deep`, the same single pass also feeds every data member's plaintext to the
 * engine's row verifier and compares rows and checksum with the manifest. Throws the first failure.
 */
export async function checkArchive(
  reader: ArchiveReader,
  options: ArchiveCheckOptions = {},
): Promise<ArchiveCheckResult> {
  const members = reader.manifest.members;
  const dataMembers = members.filter((entry) => entry.kind === 'data');
  let done = 0;
  if (!options.deep) {
    await reader.verify({ onMember: () => options.onMember?.(++done, members.length) });
    return {
      members: members.length,
      dataMembers: dataMembers.length,
      rows: dataMembers.reduce((sum, entry) => sum + (entry.rows ?? 0), 0),
    };
  }
  let rows = 0;
  for (const entry of members) {
    rows += await checkMemberDeep(reader, entry, entry.kind === 'data' ? options.deep : undefined);
    options.onMember?.(++done, members.length);
  }
  return { members: members.length, dataMembers: dataMembers.length, rows };
}

/** One member through every check; returns the rows counted (0 for members that are not data). */
async function checkMemberDeep(
  reader: ArchiveReader,
  entry: MemberEntry,
  createVerifier: DataMemberVerifierFactory | undefined,
): Promise<number> {
  const verifier = createVerifier?.();
  let plainSize = 0;
  for await (const chunk of reader.openMember(entry)) {
    plainSize += (chunk as Buffer).length;
    verifier?.update(chunk as Buffer);
  }
  if (plainSize !== entry.plainSize) {
    throw new DataMemberMismatchError(
      entry,
      `decodes to ${plainSize} bytes but the manifest records ${entry.plainSize}`,
    );
  }
  if (!verifier) return 0;
  const counted = verifier.finish();
  if (counted.unterminatedBytes > 0) {
    throw new DataMemberMismatchError(entry, `ends with ${counted.unterminatedBytes} bytes of an unterminated row`);
  }
  if (entry.rows !== undefined && counted.rows !== entry.rows) {
    throw new DataMemberMismatchError(entry, `holds ${counted.rows} rows but the manifest records ${entry.rows}`);
  }
  if (entry.checksum !== undefined && counted.checksum !== null && counted.checksum !== entry.checksum) {
    throw new DataMemberMismatchError(
      entry,
      `has row checksum ${counted.checksum} but the manifest records ${entry.checksum}`,
    );
  }
  return counted.rows;
}
