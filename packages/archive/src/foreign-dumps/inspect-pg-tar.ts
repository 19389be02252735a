/**
 * pg_dump's tar format: a tar whose first member is toc.dat, then one member per table (`NNNN.dat`) and
 * restore.sql. The tar structure is walked to its end blocks (a cut file ends inside a member or before them), the
 * TOC is read from toc.dat, and every data file it names must be a member. pg_dump's tar format is never compressed
 * and has no checksums, so a changed byte inside table data cannot be detected.
 */
import { openFileSource } from '../file-source.js';
import { type TarEntry, walkTar } from '../tar/tar-walk.js';
import { ByteCursor } from './byte-cursor.js';
import type { DumpInspection } from './dump-inspection-types.js';
import { describeTocEntry, type PgTocEntry } from './pg-archive-toc.js';
import { largeObjectFileNames, PgInspection, readTocDat } from './pg-inspection.js';

/**
 * The member holding an entry's data. Large objects are listed in `blobs.toc` (one per BLOBS entry from pg_dump 17
 * on: `blobs_<dump id>.toc`) beside one `blob_<oid>.dat` per object, whatever file name the TOC records.
 */
function dataMemberOf(entry: PgTocEntry, members: Map<string, TarEntry>): string | undefined {
  const candidates =
    entry.desc === 'BLOBS' ? ['blobs.toc', `blobs_${entry.dumpId}.toc`, entry.filename] : [entry.filename];
  return candidates.find((name): name is string => typeof name === 'string' && members.has(name));
}

export async function inspectPgTar(path: string, bytes: number): Promise<DumpInspection> {
  const inspection = new PgInspection(path, 'pg-tar', bytes);
  inspection.report.signature = 'tar + PGDMP (toc.dat)';
  const source = await openFileSource(path);
  try {
    const members = new Map<string, TarEntry>();
    let structureProblem: string | undefined;
    for await (const step of walkTar(source, bytes)) {
      if (step.kind === 'entry') members.set(step.entry.name, step.entry);
      else if (step.kind === 'truncated') {
        structureProblem = `the tar ends at byte ${bytes} without its end blocks (last complete member before byte ${step.at}): it is truncated`;
      } else if (step.kind === 'invalid') {
        structureProblem = `the tar header at byte ${step.at} is damaged (${step.reason})`;
      }
    }

    const toc = members.get('toc.dat');
    if (!toc) return inspection.damaged('members', structureProblem ?? 'the tar has no toc.dat member');
    const cursor = new ByteCursor((offset, length) => source.read(offset, length), toc.offset, toc.offset + toc.size);
    const entries = await readTocDat(cursor, inspection);
    if (!Array.isArray(entries)) return entries;

    if (structureProblem) return inspection.damaged('members', structureProblem);
    const problems: string[] = [];
    let dataBytes = 0;
    for (const entry of entries) {
      if (!entry.hadDumper || !entry.filename) continue;
      const member = dataMemberOf(entry, members);
      if (!member) {
        problems.push(`the member ${entry.filename} of ${describeTocEntry(entry)} is missing`);
        continue;
      }
      dataBytes += members.get(member)?.size ?? 0;
      if (member.endsWith('.toc')) {
        const listing = members.get(member)!;
        const text = (await source.read(listing.offset, listing.size)).toString('utf8');
        for (const file of largeObjectFileNames(text)) {
          const data = members.get(file);
          if (data) dataBytes += data.size;
          else problems.push(`the large object member ${file} listed in ${member} is missing`);
        }
      }
    }
    if (problems.length > 0) {
      const more = problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : '';
      return inspection.damaged('members', `${problems[0]}${more}`);
    }
    inspection.report.plainBytes = dataBytes;
    inspection.ok('members', `${members.size} members, the tar ends properly, every data file of the TOC is present`);
    return inspection.report;
  } finally {
    await source.close();
  }
}
