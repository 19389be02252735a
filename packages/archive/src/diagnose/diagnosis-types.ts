import type { KeyProvider } from '../archive-reader.js';
import type { ArchiveHeader, Manifest, MemberKind } from '../manifest-types.js';

/** `skipped`: the check could not run because an earlier check of the same member failed. */
export type DiagnosisStatus = 'ok' | 'failed' | 'skipped';

/**
 * What one check looked at. `header`/`manifest` concern the whole archive; `tar` is reported only when the tar
 * structure is damaged but a manifest could still be found; the rest are per member (`tar-header` only then too).
 */
export type DiagnosisCheckName =
  | 'header'
  | 'tar'
  | 'manifest'
  | 'tar-header'
  | 'sha256'
  | 'decryption'
  | 'decompression'
  | 'plain-size'
  | 'rows'
  | 'row-checksum';

export interface DiagnosisCheck {
  check: DiagnosisCheckName;
  /** The tar member checked: header.json, manifest.json, or a member name. */
  member: string;
  /** Data members: the table from the manifest, `schema.name` (with ` part N` for a split table). */
  table?: string;
  /** Cluster archives: the database the member belongs to. */
  database?: string;
  status: DiagnosisStatus;
  /** One line: what was found (ok) or what is wrong (failed) or why it did not run (skipped). */
  detail: string;
}

/** Recounts the rows (and recomputes the row checksum) of a data member's plaintext; the engine knows the format. */
export interface RowVerifier {
  /** Called with the member's plaintext, in order. */
  update(chunk: Buffer): void;
  /** After the last chunk. `unterminatedBytes` > 0: the member ends inside a row, which a writer never does. */
  finish(): { rows: number; checksum: string | null; unterminatedBytes: number };
}

export type RowVerifierFactory = () => RowVerifier;

/** Every check of one member. */
export interface MemberDiagnosis {
  member: string;
  kind: MemberKind;
  table?: string;
  database?: string;
  ok: boolean;
  checks: DiagnosisCheck[];
  /** Rows recounted by the deep check (data members, only with `deep`). */
  rows?: number;
}

export interface DamagedMember {
  member: string;
  table?: string;
  database?: string;
  /** Details of the failed checks. */
  problems: string[];
}

export interface ArchiveDiagnosis {
  /** The source's description (the path for a local file). */
  source: string;
  /** True when no check failed. */
  ok: boolean;
  /** No manifest: the backup never finished (interrupted writer or truncated file). */
  incomplete: boolean;
  /** header.json, when it could be read. */
  header: ArchiveHeader | null;
  /** The manifest the members were checked against, when one could be read. */
  manifest: Manifest | null;
  encrypted: boolean;
  deep: boolean;
  /** Every check in archive order: header, manifest, then each member's checks. */
  checks: DiagnosisCheck[];
  members: MemberDiagnosis[];
  /** Names of the damaged members in archive order (header.json / manifest.json included when they are). */
  damaged: string[];
  /** The same members with their table names from the manifest and what is wrong with each. */
  damagedMembers: DamagedMember[];
}

export interface DiagnoseOptions {
  /** Supplies the master key of an encrypted archive; called at most once. */
  keyProvider?: KeyProvider;
  /** Also recount rows and row checksums of every data member with the engine's row verifier. */
  deep?: RowVerifierFactory;
  /** After each member was checked (for progress). */
  onMember?: (member: MemberDiagnosis, done: number, total: number) => void;
}
