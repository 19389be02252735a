/**
 * diagnoseArchive on archives written with ArchiveWriter, intact and damaged in every way it must report: flipped
 * bytes in several members at once, truncation, a file that is no archive, a malformed manifest, a wrong or
 * missing key, a damaged tar header, and (deep) row counts and checksums that disagree with the manifest.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { MasterKey } from '@dbbackup/crypto';
import type { CompressionAlgorithm } from '@dbbackup/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveWriter } from '../src/archive-writer.js';
import { diagnoseArchive } from '../src/diagnose/diagnose-archive.js';
import type { ArchiveDiagnosis, RowVerifier } from '../src/diagnose/diagnosis-types.js';
import type { MemberEntry, MemberMeta } from '../src/manifest-types.js';
import { BLOCK_SIZE } from '../src/tar/tar-header.js';
import { bufferSource, makeMasterKey, makeTempDirectory, manifestFields, readAll, writerOptions } from './helpers.js';

let directory: Awaited<ReturnType<typeof makeTempDirectory>>;
beforeAll(async () => {
  directory = await makeTempDirectory();
});
afterAll(async () => {
  await directory.remove();
});

/** Rows of text, one per line, like a COPY member. */
function rowsText(count: number, seed: string): string {
  let text = '';
  for (let row = 0; row < count; row++) {
    text += `${row}\t${createHash('sha256').update(`${seed}${row}`).digest('hex')}\n`;
  }
  return text;
}

/** The test's row checksum: sha256 over the sorted lines (order-independent, like the engines' checksums). */
function rowChecksum(text: string): string {
  const lines = text.split('\n').filter((line) => line !== '');
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex').slice(0, 16);
}

/** A RowVerifier for the lines above: counts '\n'-terminated rows and checksums them. */
function lineVerifier(): RowVerifier {
  const chunks: Buffer[] = [];
  return {
    update: (chunk) => chunks.push(Buffer.from(chunk)),
    finish: () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const end = text.lastIndexOf('\n') + 1;
      const complete = text.slice(0, end);
      return {
        rows: complete.split('\n').length - 1,
        checksum: rowChecksum(complete),
        unterminatedBytes: text.length - end,
      };
    },
  };
}

interface MemberSpec {
  meta: MemberMeta;
  body: string;
  extension: string;
}

/** pre-data, a table split into two parts, a second table (in a cluster-style database), an empty one, post-data. */
function members(): MemberSpec[] {
  const part0 = rowsText(3000, 'a0');
  const part1 = rowsText(2000, 'a1');
  const other = rowsText(700, 'b');
  const data = (schema: string, name: string, body: string, part?: number): MemberSpec => ({
    meta: {
      kind: 'data',
      table: { schema, name },
      ...(part !== undefined ? { part } : {}),
      rows: body.split('\n').length - 1,
      checksum: rowChecksum(body),
    },
    body,
    extension: '.copy',
  });
  return [
    {
      meta: { kind: 'schema', label: 'pre-data' },
      body: 'CREATE TABLE public.a (id int, h text);\n',
      extension: '.sql',
    },
    data('public', 'a', part0, 0),
    data('public', 'a', part1, 1),
    data('sales', 'b', other),
    data('public', 'empty', ''),
    { meta: { kind: 'schema', label: 'post-data' }, body: 'CREATE INDEX ON public.a (id);\n', extension: '.sql' },
  ];
}

async function writeArchive(
  algorithm: CompressionAlgorithm,
  masterKey?: MasterKey,
  specs: MemberSpec[] = members(),
): Promise<{ bytes: Buffer; entries: MemberEntry[] }> {
  const sink = new PassThrough();
  const collected = readAll(sink);
  const writer = await ArchiveWriter.create(sink, writerOptions(algorithm, masterKey));
  const entries: MemberEntry[] = [];
  for (const spec of specs) entries.push(await writer.addMember(spec.meta, spec.body, spec.extension));
  await writer.finish(manifestFields());
  return { bytes: await collected, entries };
}

function flipped(bytes: Buffer, ...positions: number[]): Buffer {
  const copy = Buffer.from(bytes);
  for (const position of positions) copy[position]! ^= 0x40;
  return copy;
}

const middleOf = (entry: MemberEntry) => entry.offset + Math.floor(entry.storedSize / 2);
const statuses = (report: ArchiveDiagnosis, member: string) =>
  Object.fromEntries(report.checks.filter((check) => check.member === member).map((c) => [c.check, c.status]));

describe('an intact archive', () => {
  it.each(['zstd', 'gzip', 'none'] as const)('%s: every check passes, in archive order', async (algorithm) => {
    const { bytes, entries } = await writeArchive(algorithm);
    const report = await diagnoseArchive(bufferSource(bytes, 'intact.dbb'));
    expect(report).toMatchObject({ source: 'intact.dbb', ok: true, incomplete: false, encrypted: false, damaged: [] });
    expect(report.checks.slice(0, 2).map((check) => [check.check, check.status])).toEqual([
      ['header', 'ok'],
      ['manifest', 'ok'],
    ]);
    expect(report.checks[1]?.detail).toContain('6 members (4 data)');
    expect(report.members.map((member) => member.member)).toEqual(entries.map((entry) => entry.name));
    for (const member of report.members) {
      expect(member.checks.map((check) => `${check.check}:${check.status}`)).toEqual([
        'sha256:ok',
        'decompression:ok',
        'plain-size:ok',
      ]);
    }
    // Table names come from the manifest; the part is shown only for the table split in two.
    expect(report.members.map((member) => member.table)).toEqual([
      undefined,
      'public.a part 0',
      'public.a part 1',
      'sales.b',
      'public.empty',
      undefined,
    ]);
  });

  it('encrypted: the GCM tags are checked too, and the key is asked for once', async () => {
    const masterKey = makeMasterKey();
    const { bytes } = await writeArchive('zstd', masterKey);
    let asked = 0;
    const report = await diagnoseArchive(bufferSource(bytes), {
      keyProvider: async () => {
        asked += 1;
        return masterKey;
      },
    });
    expect(report).toMatchObject({ ok: true, encrypted: true });
    expect(asked).toBe(1);
    expect(report.checks[0]?.detail).toContain(`key id ${masterKey.keyId}`);
    expect(report.members[1]?.checks.map((check) => `${check.check}:${check.status}`)).toEqual([
      'sha256:ok',
      'decryption:ok',
      'decompression:ok',
      'plain-size:ok',
    ]);
  });

  it('deep: recounts every data member against the manifest', async () => {
    const { bytes } = await writeArchive('gzip');
    const seen: Array<[string, number, number]> = [];
    const report = await diagnoseArchive(bufferSource(bytes), {
      deep: lineVerifier,
      onMember: (member, done, total) => seen.push([member.member, done, total]),
    });
    expect(report).toMatchObject({ ok: true, deep: true });
    expect(report.members.map((member) => member.rows)).toEqual([undefined, 3000, 2000, 700, 0, undefined]);
    expect(statuses(report, report.members[3]!.member)).toMatchObject({ rows: 'ok', 'row-checksum': 'ok' });
    expect(seen.map(([, done, total]) => `${done}/${total}`)).toEqual(['1/6', '2/6', '3/6', '4/6', '5/6', '6/6']);
  });

  it('reads a local file by path', async () => {
    const { bytes } = await writeArchive('zstd');
    const path = join(directory.path, 'intact.dbb.tar');
    await writeFile(path, bytes);
    expect(await diagnoseArchive(path)).toMatchObject({ source: path, ok: true });
  });
});

describe('damaged members', () => {
  it.each(['zstd', 'gzip', 'none'] as const)(
    '%s: reports every damaged member, not just the first',
    async (algorithm) => {
      const { bytes, entries } = await writeArchive(algorithm);
      const [first, second] = [entries[1]!, entries[3]!];
      const report = await diagnoseArchive(bufferSource(flipped(bytes, middleOf(first), middleOf(second))));
      expect(report.ok).toBe(false);
      expect(report.damaged).toEqual([first.name, second.name]);
      expect(report.damagedMembers.map((member) => member.table)).toEqual(['public.a part 0', 'sales.b']);
      expect(statuses(report, first.name).sha256).toBe('failed');
      expect(report.damagedMembers[0]?.problems[0]).toContain('sha256');
      // The members around them are intact and said so.
      for (const entry of [entries[0]!, entries[2]!, entries[4]!, entries[5]!]) {
        expect(report.members.find((member) => member.member === entry.name)?.ok).toBe(true);
      }
    },
  );

  it('encrypted: the flipped segment fails authentication; the stages after it are skipped', async () => {
    const masterKey = makeMasterKey();
    const { bytes, entries } = await writeArchive('zstd', masterKey);
    const target = entries[2]!;
    const report = await diagnoseArchive(bufferSource(flipped(bytes, middleOf(target))), {
      keyProvider: async () => masterKey,
    });
    expect(report.damaged).toEqual([target.name]);
    expect(statuses(report, target.name)).toEqual({
      sha256: 'failed',
      decryption: 'failed',
      decompression: 'skipped',
      'plain-size': 'skipped',
    });
    const decryption = report.checks.find((check) => check.member === target.name && check.check === 'decryption');
    expect(decryption?.detail).toMatch(/corrupt at segment \d+/);
  });

  it('deep: rows and checksums that disagree with the manifest, and an unterminated last row', async () => {
    const specs = members();
    specs[1]!.meta.rows = 2999; // the manifest says one row less than the member holds
    specs[3]!.meta.checksum = '0123456789abcdef';
    specs[4]!.body = 'a row without its newline';
    const { bytes, entries } = await writeArchive('zstd', undefined, specs);
    const report = await diagnoseArchive(bufferSource(bytes), { deep: lineVerifier });
    expect(report.damaged).toEqual([entries[1]!.name, entries[3]!.name, entries[4]!.name]);
    const detail = (entry: MemberEntry, check: string) =>
      report.checks.find((candidate) => candidate.member === entry.name && candidate.check === check)?.detail;
    expect(detail(entries[1]!, 'rows')).toBe('holds 3,000 rows but the manifest records 2,999');
    expect(detail(entries[3]!, 'row-checksum')).toContain('but the manifest records 0123456789abcdef');
    expect(detail(entries[4]!, 'rows')).toBe('ends with 25 bytes of an unterminated row');
    // Bytes themselves are intact.
    expect(statuses(report, entries[1]!.name).sha256).toBe('ok');
  });
});

describe('incomplete archives and files that are not archives', () => {
  it('a truncated archive: header ok, manifest missing', async () => {
    const { bytes, entries } = await writeArchive('zstd');
    const report = await diagnoseArchive(bufferSource(bytes.subarray(0, middleOf(entries[2]!)), 'cut.dbb'));
    expect(report).toMatchObject({ ok: false, incomplete: true, damaged: [], members: [] });
    expect(report.checks.map((check) => [check.check, check.status])).toEqual([
      ['header', 'ok'],
      ['manifest', 'failed'],
    ]);
    expect(report.checks[1]?.detail).toBe(
      'manifest missing: the backup never finished (interrupted, or the file is truncated)',
    );
  });

  it('cut inside header.json: the header check fails as incomplete', async () => {
    const { bytes } = await writeArchive('zstd');
    const report = await diagnoseArchive(bufferSource(bytes.subarray(0, 600)));
    expect(report).toMatchObject({ ok: false, incomplete: true, header: null });
    expect(report.checks).toEqual([
      {
        check: 'header',
        member: 'header.json',
        status: 'failed',
        detail: 'the file ends inside header.json: the backup never finished',
      },
    ]);
  });

  it('random bytes and a tar of something else fail the header check', async () => {
    const random = await diagnoseArchive(bufferSource(randomBytes(5000), 'random.bin'));
    expect(random.checks).toHaveLength(1);
    expect(random.checks[0]).toMatchObject({ check: 'header', status: 'failed' });
    expect(random.checks[0]?.detail).toContain('not a dbbackup archive: random.bin is not a tar file');
    expect(random.damaged).toEqual([]);
  });
});

describe('the manifest and the key', () => {
  /** Replaces the manifest body's bytes (unencrypted archive) with text of the same length. */
  function rewriteManifest(bytes: Buffer, edit: (text: string) => string): Buffer {
    const at = bytes.lastIndexOf(Buffer.from('{"format":"dbbackup-archive"'));
    const end = bytes.indexOf(0, at);
    const text = bytes.toString('utf8', at, end);
    const replaced = Buffer.from(edit(text));
    expect(replaced.length).toBe(end - at);
    const copy = Buffer.from(bytes);
    replaced.copy(copy, at);
    return copy;
  }

  it('a manifest that is not JSON, or not a valid manifest, is reported damaged', async () => {
    const { bytes } = await writeArchive('none');
    for (const edit of [
      (text: string) => `[${text.slice(1)}`,
      (text: string) => text.replace('"members"', '"memberz"'),
    ]) {
      const report = await diagnoseArchive(bufferSource(rewriteManifest(bytes, edit)));
      expect(report).toMatchObject({ ok: false, incomplete: false, damaged: ['manifest.json'] });
      expect(report.checks.at(-1)).toMatchObject({ check: 'manifest', status: 'failed' });
      expect(report.checks.at(-1)?.detail).toMatch(/^is damaged: .*manifest\.json/);
    }
  });

  it('without a key: the header passes, the manifest check names --encryption-key-file', async () => {
    const { bytes } = await writeArchive('zstd', makeMasterKey());
    const report = await diagnoseArchive(bufferSource(bytes));
    expect(report.checks.map((check) => [check.check, check.status])).toEqual([
      ['header', 'ok'],
      ['manifest', 'failed'],
    ]);
    expect(report.checks[1]?.detail).toContain('--encryption-key-file');
    expect(report).toMatchObject({ ok: false, damaged: [], encrypted: true });
  });

  it('with the wrong key: the manifest check says so', async () => {
    const { bytes } = await writeArchive('zstd', makeMasterKey());
    const wrong = makeMasterKey();
    const report = await diagnoseArchive(bufferSource(bytes), { keyProvider: async () => wrong });
    expect(report.checks[1]).toMatchObject({ check: 'manifest', status: 'failed' });
    expect(report.checks[1]?.detail).toContain('wrong encryption key');
  });
});

describe('a damaged tar header', () => {
  it('finds the manifest from the end and still checks every member', async () => {
    const { bytes, entries } = await writeArchive('zstd');
    const target = entries[2]!;
    // A byte of the member's name in its tar header block: the header checksum no longer matches.
    const report = await diagnoseArchive(bufferSource(flipped(bytes, target.offset - BLOCK_SIZE + 3)));
    expect(report.checks.slice(1, 3).map((check) => [check.check, check.status])).toEqual([
      ['tar', 'failed'],
      ['manifest', 'ok'],
    ]);
    expect(report.checks[1]?.detail).toContain('damaged tar header');
    expect(report.checks[2]?.detail).toContain('found by scanning back from the end of the file');
    expect(report.damaged).toEqual([target.name]);
    expect(statuses(report, target.name)).toMatchObject({ 'tar-header': 'failed', sha256: 'ok' });
    expect(report.members.filter((member) => member.ok)).toHaveLength(entries.length - 1);
  });
});
