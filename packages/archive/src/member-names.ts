/**
 * Neutral tar names: `<kind directory>/<sequence>.<engine extension><compression extension>`, e.g.
 * data/000017.copy.zst. Real table names live only in the manifest, so an encrypted archive does not leak them.
 */
import { ArchiveWriterStateError } from './errors.js';
import { HEADER_MEMBER_NAME, MANIFEST_MEMBER_NAME } from './format.js';
import type { MemberKind } from './manifest-types.js';

const DIRECTORY_BY_KIND: Record<MemberKind, string> = {
  schema: 'schema',
  data: 'data',
  globals: 'globals',
  'large-object': 'large-objects',
  meta: 'meta',
};

const EXTENSION_PATTERN = /^(\.[A-Za-z0-9_-]+)*$/;
const SEQUENCE_DIGITS = 6;

/** Accepts 'sql', '.sql' or 'copy.part' style extensions and returns them with a leading dot ('' stays ''). */
export function normaliseExtension(extension: string): string {
  const dotted = extension === '' || extension.startsWith('.') ? extension : `.${extension}`;
  if (!EXTENSION_PATTERN.test(dotted)) {
    throw new ArchiveWriterStateError(
      `invalid member extension ${JSON.stringify(extension)}: use letters, digits, '-', '_' and dots only (e.g. '.copy')`,
    );
  }
  return dotted;
}

export function memberName(
  kind: MemberKind,
  sequence: number,
  extension: string,
  compressionExtension: string,
): string {
  const directory = DIRECTORY_BY_KIND[kind];
  if (directory === undefined) throw new ArchiveWriterStateError(`unknown member kind ${JSON.stringify(kind)}`);
  return `${directory}/${String(sequence).padStart(SEQUENCE_DIGITS, '0')}${normaliseExtension(extension)}${compressionExtension}`;
}

export function isReservedName(name: string): boolean {
  return name === HEADER_MEMBER_NAME || name === MANIFEST_MEMBER_NAME;
}
