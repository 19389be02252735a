/**
 * Turns what decodeMemberStages saw into one check per stage: sha256 of the stored bytes, decryption (encrypted
 * archives), decompression, plain size and, with deep, row count and row checksum of data members. A stage after a
 * failed one is `skipped`, so every member shows the same list of checks.
 */
import type { CompressionAlgorithm } from '@dbbackup/pipeline';
import type { MemberEntry } from '../manifest-types.js';
import type { MemberDecodeOutcome } from './decode-member-stages.js';
import type { DiagnosisCheck, DiagnosisCheckName, DiagnosisStatus } from './diagnosis-types.js';
import type { MemberOrigin } from './member-label.js';

export interface MemberCheckContext {
  origin: MemberOrigin;
  compression: CompressionAlgorithm;
  encrypted: boolean;
  /** Rows were recounted (deep, data member). */
  deep: boolean;
}

const count = (value: number) => value.toLocaleString('en-US');
const shortHash = (hex: string) => `${hex.slice(0, 16)}…`;

export function memberChecks(
  entry: MemberEntry,
  outcome: MemberDecodeOutcome,
  context: MemberCheckContext,
): DiagnosisCheck[] {
  const checks: DiagnosisCheck[] = [];
  const add = (check: DiagnosisCheckName, status: DiagnosisStatus, detail: string) =>
    checks.push({ check, ...context.origin, status, detail });
  const failedAt = outcome.failure?.stage;

  add(...sha256Check(entry, outcome));

  if (context.encrypted) {
    if (failedAt === 'decryption') add('decryption', 'failed', outcome.failure?.error.message ?? '');
    else if (failedAt === 'read') add('decryption', 'skipped', 'not reached: the stored bytes could not be read');
    else add('decryption', 'ok', 'every AES-256-GCM segment authenticated');
  }

  const algorithm = context.compression;
  if (failedAt === 'decompression') {
    add('decompression', 'failed', `the ${algorithm} data is invalid: ${outcome.failure?.error.message ?? ''}`);
  } else if (failedAt === 'read' || failedAt === 'decryption') {
    add('decompression', 'skipped', `not reached: ${failedAt === 'read' ? 'reading' : 'decryption'} failed`);
  } else if (failedAt === 'row-count') {
    add('decompression', 'skipped', 'not finished: the row recount stopped it');
  } else {
    add('decompression', 'ok', algorithm === 'none' ? 'stored uncompressed' : `${algorithm} data intact to its end`);
  }

  if (failedAt !== undefined) {
    add('plain-size', 'skipped', 'not reached: the member could not be decoded to its end');
  } else if (outcome.plainBytes !== entry.plainSize) {
    add(
      'plain-size',
      'failed',
      `decodes to ${count(outcome.plainBytes)} bytes but the manifest records ${count(entry.plainSize)}`,
    );
  } else {
    add('plain-size', 'ok', `${count(entry.plainSize)} bytes, as recorded`);
  }

  if (context.deep) checks.push(...rowChecks(entry, outcome, context.origin));
  return checks;
}

function sha256Check(entry: MemberEntry, outcome: MemberDecodeOutcome): [DiagnosisCheckName, DiagnosisStatus, string] {
  const stored = outcome.stored;
  if (stored === null)
    return ['sha256', 'failed', `the stored bytes cannot be read (${outcome.failure?.error.message})`];
  if (stored.bytes < entry.storedSize) {
    return [
      'sha256',
      'failed',
      `only ${count(stored.bytes)} of the ${count(entry.storedSize)} stored bytes are present: the file is truncated`,
    ];
  }
  if (stored.sha256 !== entry.sha256) {
    return [
      'sha256',
      'failed',
      `the stored bytes are damaged: sha256 ${shortHash(stored.sha256)} but the manifest records ${shortHash(entry.sha256)}`,
    ];
  }
  return ['sha256', 'ok', `${count(entry.storedSize)} stored bytes match the manifest`];
}

function rowChecks(entry: MemberEntry, outcome: MemberDecodeOutcome, origin: MemberOrigin): DiagnosisCheck[] {
  const make = (check: DiagnosisCheckName, status: DiagnosisStatus, detail: string): DiagnosisCheck => ({
    check,
    ...origin,
    status,
    detail,
  });
  const counted = outcome.rows;
  if (outcome.failure?.stage === 'row-count') {
    return [make('rows', 'failed', `the rows cannot be recounted: ${outcome.failure.error.message}`)];
  }
  if (outcome.failure || !counted) {
    const why = 'not reached: the member could not be decoded to its end';
    return [
      make('rows', 'skipped', why),
      ...(entry.checksum !== undefined ? [make('row-checksum', 'skipped', why)] : []),
    ];
  }
  const checks: DiagnosisCheck[] = [];
  if (counted.unterminatedBytes > 0) {
    checks.push(make('rows', 'failed', `ends with ${count(counted.unterminatedBytes)} bytes of an unterminated row`));
  } else if (entry.rows !== undefined && counted.rows !== entry.rows) {
    checks.push(
      make('rows', 'failed', `holds ${count(counted.rows)} rows but the manifest records ${count(entry.rows)}`),
    );
  } else {
    const recorded = entry.rows === undefined ? ' (the manifest records no row count)' : ', as recorded';
    checks.push(make('rows', 'ok', `${count(counted.rows)} rows${recorded}`));
  }
  if (entry.checksum !== undefined) {
    if (counted.checksum === null) {
      checks.push(make('row-checksum', 'skipped', "the engine's row verifier computes no checksum"));
    } else if (counted.checksum !== entry.checksum) {
      checks.push(make('row-checksum', 'failed', `is ${counted.checksum} but the manifest records ${entry.checksum}`));
    } else {
      checks.push(make('row-checksum', 'ok', `${counted.checksum}, as recorded`));
    }
  }
  return checks;
}
