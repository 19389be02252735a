/**
 * zod schemas for header.json and manifest.json. Readers validate everything they parse; the writer validates the
 * manifest before writing it, so an engine bug fails the backup instead of producing an unreadable archive.
 */
import { z } from 'zod';
import { ARCHIVE_FORMAT_NAME } from './format.js';
import type { ArchiveHeader, Manifest, MemberEntry, MemberMeta } from './manifest-types.js';

const nonNegativeInteger = z.number().int().nonnegative();
const timestamp = z.iso.datetime({ offset: true });

const compressionSchema = z.object({
  algorithm: z.enum(['zstd', 'gzip', 'none']),
  level: z.number().int(),
});

const scryptSchema = z.object({
  name: z.literal('scrypt'),
  salt: z.string(),
  N: z.number().int().positive(),
  r: z.number().int().positive(),
  p: z.number().int().positive(),
});

export const encryptionHeaderSchema = z.object({
  version: z.literal(1),
  algorithm: z.literal('AES-256-GCM'),
  segmentSize: z.number().int().positive(),
  keyId: z.string().min(1),
  kdf: scryptSchema.optional(),
  wrappedKey: z.string().min(1),
});

const memberMetaObject = z.object({
  kind: z.enum(['schema', 'data', 'globals', 'large-object', 'meta']),
  database: z.string().optional(),
  table: z.object({ schema: z.string(), name: z.string() }).optional(),
  part: nonNegativeInteger.optional(),
  rows: nonNegativeInteger.optional(),
  checksum: z.string().optional(),
  label: z.string().optional(),
  extra: z.record(z.string(), z.unknown()).optional(),
});

export const memberMetaSchema: z.ZodType<MemberMeta> = memberMetaObject;

export const memberEntrySchema: z.ZodType<MemberEntry> = memberMetaObject.extend({
  name: z.string().min(1),
  offset: nonNegativeInteger,
  storedSize: nonNegativeInteger,
  plainSize: nonNegativeInteger,
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex sha256'),
});

export const archiveHeaderSchema: z.ZodType<ArchiveHeader> = z.object({
  format: z.literal(ARCHIVE_FORMAT_NAME),
  formatVersion: z.number().int().positive(),
  engine: z.string().min(1),
  toolVersion: z.string(),
  createdAt: timestamp,
  compression: compressionSchema,
  encryption: encryptionHeaderSchema.optional(),
});

export const manifestSchema: z.ZodType<Manifest> = z
  .object({
    format: z.literal(ARCHIVE_FORMAT_NAME),
    formatVersion: z.number().int().positive(),
    toolVersion: z.string(),
    engine: z.string().min(1),
    serverVersion: z.string(),
    database: z.string().nullable(),
    cluster: z.boolean(),
    startedAt: timestamp,
    finishedAt: timestamp,
    consistency: z.record(z.string(), z.unknown()),
    compression: compressionSchema,
    encryption: encryptionHeaderSchema.nullable(),
    members: z.array(memberEntrySchema),
    extra: z.record(z.string(), z.unknown()),
    source: z.object({ host: z.string().nullable(), port: z.number().int().nullable() }).optional(),
  })
  .superRefine((manifest, context) => {
    const seen = new Set<string>();
    for (const [index, member] of manifest.members.entries()) {
      if (seen.has(member.name)) {
        context.addIssue({
          code: 'custom',
          path: ['members', index, 'name'],
          message: `duplicate member ${member.name}`,
        });
      }
      seen.add(member.name);
    }
  });

/** One line summarising the first few problems, e.g. `members.3.sha256: expected a lowercase hex sha256`. */
export function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  const more = error.issues.length > shown.length ? ` (and ${error.issues.length - shown.length} more)` : '';
  return shown.join('; ') + more;
}
