/**
 * The manifest check: unwrap the key, then open the archive exactly as a restore does (ArchiveReader.open: walk the
 * tar, read manifest.json, cross-check every member's offset and size). When the tar walk fails on damaged bytes,
 * the manifest is looked for from the end of the file instead, so the members can still be checked one by one.
 */
import { CorruptDataError, CryptoError, decryptBuffer, MissingKeyError, unwrapDataKey } from '@dbbackup/crypto';
import { ArchiveReader, type KeyProvider } from '../archive-reader.js';
import { ArchiveFormatError, IncompleteBackupError, UnsupportedFormatError } from '../errors.js';
import { MANIFEST_MEMBER_NAME } from '../format.js';
import type { ArchiveHeader, Manifest } from '../manifest-types.js';
import { parseManifestDocument } from '../parse-documents.js';
import type { RandomAccessSource } from '../random-access-source.js';
import type { DiagnosisCheck } from './diagnosis-types.js';
import { findManifestFromEnd } from './find-manifest-from-end.js';

export type ManifestCheckResult =
  | {
      ok: true;
      manifest: Manifest;
      dataKey: Buffer | undefined;
      /** The manifest check, preceded by a failed `tar` check when the manifest had to be found from the end. */
      checks: DiagnosisCheck[];
      /** The tar walk failed: members must have their own tar headers checked. */
      recovered: boolean;
    }
  | {
      ok: false;
      checks: DiagnosisCheck[];
      /** What is damaged: manifest.json, or the tar structure when no manifest could be found past it. */
      damaged: string | undefined;
      /** There is no manifest: the backup never finished. */
      incomplete: boolean;
    };

const manifestCheck = (status: 'ok' | 'failed', detail: string): DiagnosisCheck => ({
  check: 'manifest',
  member: MANIFEST_MEMBER_NAME,
  status,
  detail,
});

/** Where the tar structure is damaged and no member can be named. */
export const TAR_STRUCTURE = '(tar structure)';

function failed(detail: string, flags: { damaged?: string; incomplete?: boolean } = {}): ManifestCheckResult {
  return {
    ok: false,
    checks: [manifestCheck('failed', detail)],
    damaged: flags.damaged,
    incomplete: flags.incomplete ?? false,
  };
}

export async function checkManifest(
  source: RandomAccessSource,
  size: number,
  header: ArchiveHeader,
  keyProvider: KeyProvider | undefined,
): Promise<ManifestCheckResult> {
  let dataKey: Buffer | undefined;
  let masterKey: Awaited<ReturnType<KeyProvider>> | undefined;
  if (header.encryption) {
    if (!keyProvider) return failed(`cannot be read: ${new MissingKeyError().message}`);
    try {
      masterKey = await keyProvider(header.encryption);
      dataKey = unwrapDataKey(header.encryption, masterKey);
    } catch (error) {
      if (error instanceof CryptoError) return failed(`cannot be read: ${error.message}`);
      throw error;
    }
  }

  try {
    // The key was unwrapped above; hand the same master key over rather than asking (or prompting) twice.
    const reader = await ArchiveReader.open(source, masterKey ? { keyProvider: async () => masterKey } : {});
    const { manifest } = reader;
    await reader.close();
    return {
      ok: true,
      manifest,
      dataKey,
      recovered: false,
      checks: [manifestCheck('ok', describeManifest(manifest, 'present and consistent with the tar'))],
    };
  } catch (error) {
    if (error instanceof IncompleteBackupError) {
      return failed('manifest missing: the backup never finished (interrupted, or the file is truncated)', {
        incomplete: true,
      });
    }
    if (error instanceof CorruptDataError)
      return failed(`is damaged: ${error.message}`, { damaged: MANIFEST_MEMBER_NAME });
    if (error instanceof UnsupportedFormatError) return failed(error.message);
    if (!(error instanceof ArchiveFormatError)) throw error;
    return recoverManifest(source, size, header, dataKey, error);
  }
}

async function recoverManifest(
  source: RandomAccessSource,
  size: number,
  header: ArchiveHeader,
  dataKey: Buffer | undefined,
  walkError: ArchiveFormatError,
): Promise<ManifestCheckResult> {
  const found = await findManifestFromEnd(source, size);
  if (!found) return failed(walkError.message, { damaged: TAR_STRUCTURE });
  let manifest: Manifest;
  try {
    const stored = await source.read(found.offset, found.size);
    const plain = dataKey ? decryptBuffer(dataKey, stored, MANIFEST_MEMBER_NAME) : stored;
    manifest = parseManifestDocument(plain, source.description);
  } catch (error) {
    if (error instanceof CorruptDataError || error instanceof ArchiveFormatError) {
      return failed(`is damaged: ${error.message}`, { damaged: MANIFEST_MEMBER_NAME });
    }
    if (error instanceof UnsupportedFormatError) return failed(error.message);
    throw error;
  }
  const disagreement = headerDisagreement(manifest, header);
  if (disagreement) return failed(`is inconsistent: ${disagreement}`, { damaged: MANIFEST_MEMBER_NAME });
  const tarCheck: DiagnosisCheck = { check: 'tar', member: TAR_STRUCTURE, status: 'failed', detail: walkError.message };
  const where = `found by scanning back from the end of the file (byte ${found.offset})`;
  return {
    ok: true,
    manifest,
    dataKey,
    recovered: true,
    checks: [tarCheck, manifestCheck('ok', describeManifest(manifest, where))],
  };
}

function headerDisagreement(manifest: Manifest, header: ArchiveHeader): string | undefined {
  if (manifest.formatVersion !== header.formatVersion) {
    return `header.json says format ${header.formatVersion} but manifest.json says ${manifest.formatVersion}`;
  }
  if (manifest.compression.algorithm !== header.compression.algorithm) {
    return 'header.json and manifest.json disagree on the compression';
  }
  if ((manifest.encryption === null) !== (header.encryption === undefined)) {
    return 'header.json and manifest.json disagree on whether the backup is encrypted';
  }
  return undefined;
}

function describeManifest(manifest: Manifest, how: string): string {
  const data = manifest.members.filter((member) => member.kind === 'data').length;
  return `${how}: ${manifest.members.length} members (${data} data), finished ${manifest.finishedAt}`;
}
