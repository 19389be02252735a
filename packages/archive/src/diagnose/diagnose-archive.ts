/**
 * Looks into a backup without restoring it and reports every problem, not just the first: header.json, the manifest
 * (present, well formed, consistent with the tar; readable with the key), then every member through every stage —
 * sha256 of the stored bytes, GCM tags, decompression, plain size and, with `deep`, row count and row checksum.
 * ArchiveReader.verify stops at the first damaged member; a diagnosis checks them all and lists the damaged ones
 * with their tables, so the user knows what a partial restore would lose.
 */

import { openFileSource } from '../file-source.js';
import { HEADER_MEMBER_NAME } from '../format.js';
import type { RandomAccessSource } from '../random-access-source.js';
import { decodeMemberStages } from './decode-member-stages.js';
import type {
  ArchiveDiagnosis,
  DamagedMember,
  DiagnoseOptions,
  DiagnosisCheck,
  MemberDiagnosis,
} from './diagnosis-types.js';
import { checkHeader } from './header-check.js';
import { checkManifest } from './manifest-check.js';
import { memberChecks } from './member-checks.js';
import { memberOrigins } from './member-label.js';
import { checkMemberTarHeader } from './member-tar-header-check.js';

/** Diagnoses an archive from a source or a local path (a path is opened and closed here). */
export async function diagnoseArchive(
  source: RandomAccessSource | string,
  options: DiagnoseOptions = {},
): Promise<ArchiveDiagnosis> {
  const opened = typeof source === 'string' ? await openFileSource(source) : source;
  try {
    return await diagnoseSource(opened, options);
  } finally {
    if (typeof source === 'string') await opened.close();
  }
}

async function diagnoseSource(source: RandomAccessSource, options: DiagnoseOptions): Promise<ArchiveDiagnosis> {
  const report: ArchiveDiagnosis = {
    source: source.description,
    ok: false,
    incomplete: false,
    header: null,
    manifest: null,
    encrypted: false,
    deep: options.deep !== undefined,
    checks: [],
    members: [],
    damaged: [],
    damagedMembers: [],
  };
  const size = await source.size();

  const headerResult = await checkHeader(source, size);
  report.checks.push(headerResult.check);
  if (!headerResult.ok) {
    report.incomplete = headerResult.incomplete;
    if (headerResult.damaged) markDamaged(report, { member: HEADER_MEMBER_NAME }, [headerResult.check.detail]);
    return report;
  }
  const header = headerResult.header;
  report.header = header;
  report.encrypted = header.encryption !== undefined;

  const manifestResult = await checkManifest(source, size, header, options.keyProvider);
  report.checks.push(...manifestResult.checks);
  if (!manifestResult.ok) {
    report.incomplete = manifestResult.incomplete;
    const detail = manifestResult.checks.at(-1)?.detail ?? '';
    if (manifestResult.damaged !== undefined) markDamaged(report, { member: manifestResult.damaged }, [detail]);
    return report;
  }
  const { manifest, dataKey } = manifestResult;
  report.manifest = manifest;

  try {
    const origins = memberOrigins(manifest.members);
    let done = 0;
    for (const entry of manifest.members) {
      const origin = origins.get(entry.name) ?? { member: entry.name };
      const deep = entry.kind === 'data' ? options.deep : undefined;
      const checks: DiagnosisCheck[] = [];
      if (manifestResult.recovered) checks.push(await checkMemberTarHeader(source, entry, origin));
      const rowVerifier = deep?.();
      const outcome = await decodeMemberStages(source, entry, {
        compression: manifest.compression.algorithm,
        ...(dataKey ? { dataKey } : {}),
        ...(rowVerifier ? { rowVerifier } : {}),
      });
      checks.push(
        ...memberChecks(entry, outcome, {
          origin,
          compression: manifest.compression.algorithm,
          encrypted: dataKey !== undefined,
          deep: deep !== undefined,
        }),
      );
      const member: MemberDiagnosis = {
        ...origin,
        kind: entry.kind,
        ok: checks.every((check) => check.status !== 'failed'),
        checks,
        ...(deep && outcome.rows && !outcome.failure ? { rows: outcome.rows.rows } : {}),
      };
      report.members.push(member);
      report.checks.push(...checks);
      if (!member.ok) {
        const problems = checks.filter((check) => check.status === 'failed').map((check) => check.detail);
        markDamaged(report, origin, problems);
      }
      options.onMember?.(member, ++done, manifest.members.length);
    }
  } finally {
    dataKey?.fill(0);
  }
  report.ok = report.checks.every((check) => check.status !== 'failed');
  return report;
}

function markDamaged(report: ArchiveDiagnosis, origin: Omit<DamagedMember, 'problems'>, problems: string[]): void {
  report.damaged.push(origin.member);
  report.damagedMembers.push({ ...origin, problems });
}
