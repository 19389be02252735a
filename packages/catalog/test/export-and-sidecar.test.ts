import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CatalogWriteError,
  readVerificationHistory,
  readVerificationSidecar,
  renderBackupsCsv,
  renderBackupsHtml,
  SidecarFormatError,
  verificationSidecarPath,
  writeVerificationSidecar,
} from '../src/index.js';
import { recordBackup, tempCatalog, tempDirectory } from './support/temp-catalog.js';

const NASTY = 'a,b "quoted"\r\nnext line';
const SCRIPT = '<script>alert("x")</script> & \'friends\'';

describe('renderBackupsCsv', () => {
  it('writes RFC 4180: header row, CRLF, fields with commas, quotes or line breaks quoted', async () => {
    const catalog = await tempCatalog();
    const record = await recordBackup(catalog, { database: NASTY, host: ' padded', location: '/backups/x.dbb.tar' });
    const failed = await recordBackup(catalog, { database: 'plain', failed: true, startedAt: '2026-11-19T00:00:00Z' });
    const csv = renderBackupsCsv(await catalog.listBackups());
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'id,database,engine,host,kind,format,status,started_at,finished_at,duration_ms,bytes,sha256,encrypted,compression,server_version,tables,rows,verification,verification_kind,verified_at,verification_detail,error,parent_id,consistency,location',
    );
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv).toContain(
      `${record.id},"a,b ""quoted""\r\nnext line",postgresql," padded",single,archive,success,2026-11-20T02:00:00.000Z,2026-11-20T02:01:00.000Z,60000,100,${'a'.repeat(64)},false,zstd:3,15.4,3,10,,,,,,,"{""lsn"":""0/1""}",/backups/x.dbb.tar\r\n`,
    );
    expect(csv).toContain(`${failed.id},plain,postgresql,db1,single,archive,failed,2026-11-19T00:00:00.000Z,`);
    expect(parseCsv(csv)[1]?.[1]).toBe(NASTY);
  });
});

describe('renderBackupsHtml', () => {
  it('is one self-contained page with every value escaped', async () => {
    const catalog = await tempCatalog();
    const record = await recordBackup(catalog, {
      database: SCRIPT,
      host: '<b>host</b>',
      location: '/x/"><img onerror=y>',
    });
    await catalog.recordVerification(record.id, {
      at: '2026-11-21T00:00:00Z',
      result: 'failed',
      kind: 'deep',
      detail: '"><script>bad()</script>',
    });
    await recordBackup(catalog, { failed: true, startedAt: '2026-11-19T00:00:00Z' });
    const html = renderBackupsHtml(await catalog.listBackups(), {
      generatedAt: new Date('2026-11-24T08:00:00Z'),
      title: 'Backups <of> "prod"',
      stats: await catalog.stats(),
    });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>Backups &lt;of&gt; &quot;prod&quot;</title>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;');
    expect(html).toContain('&lt;b&gt;host&lt;/b&gt;');
    expect(html).toContain('<code>/<wbr>x/<wbr>&quot;&gt;&lt;img onerror=y&gt;</code>');
    expect(html).toContain('title="&quot;&gt;&lt;script&gt;bad()&lt;/script&gt;"');
    expect(html).not.toMatch(/<script|<img|<b>/);
    // No external assets: no links, sources or URLs to fetch.
    expect(html).not.toMatch(/<link|src=|url\(|@import|https?:\/\//);
    // Summary figures and the failure are shown.
    expect(html).toContain('50.0%');
    expect(html).toContain('Error: connection refused');
  });

  it('says so when there are no backups', () => {
    const html = renderBackupsHtml([], { generatedAt: new Date('2026-11-24T08:00:00Z') });
    expect(html).toContain('No backups in the catalog yet');
    expect(html).toContain('0 backups listed');
  });
});

describe('verification sidecar', () => {
  it('keeps the latest on top and the history of the same bytes, written atomically', async () => {
    const directory = await tempDirectory();
    const archive = join(directory, 'shop-20261120T020000Z.dbb.tar');
    const sha = (char: string) => char.repeat(64);
    expect(verificationSidecarPath(archive)).toBe(`${archive}.verify.json`);
    expect(await readVerificationSidecar(archive)).toBeNull();

    await writeVerificationSidecar(archive, {
      at: '2026-11-20T05:00:00Z',
      result: 'passed',
      kind: 'verify',
      detail: null,
      sha256: sha('a'),
    });
    await writeVerificationSidecar(archive, {
      at: '2026-11-21T05:00:00Z',
      result: 'failed',
      kind: 'deep',
      detail: 'bad',
      sha256: sha('a'),
    });
    expect(await readVerificationSidecar(archive)).toEqual({
      at: '2026-11-21T05:00:00.000Z',
      result: 'failed',
      kind: 'deep',
      detail: 'bad',
      sha256: sha('a'),
    });
    expect((await readVerificationHistory(archive)).map((entry) => entry.kind)).toEqual(['verify', 'deep']);
    const document = JSON.parse(await readFile(verificationSidecarPath(archive), 'utf8'));
    expect(document).toMatchObject({ format: 'dbbackup-verification', formatVersion: 1, kind: 'deep' });

    // A new file of the same name: the old bytes' results are dropped.
    await writeVerificationSidecar(archive, {
      at: '2026-11-22T05:00:00Z',
      result: 'passed',
      kind: 'restore',
      detail: null,
      sha256: sha('b'),
    });
    expect((await readVerificationHistory(archive)).map((entry) => entry.kind)).toEqual(['restore']);
    expect((await readdir(directory)).sort()).toEqual(['shop-20261120T020000Z.dbb.tar.verify.json']);

    await expect(
      writeVerificationSidecar(archive, {
        at: 'soon',
        result: 'passed',
        kind: 'verify',
        detail: null,
        sha256: sha('b'),
      }),
    ).rejects.toThrow(CatalogWriteError);
    await writeFile(verificationSidecarPath(archive), '{ not json');
    await expect(readVerificationSidecar(archive)).rejects.toThrow(SidecarFormatError);
  });
});

/** A minimal RFC 4180 reader, to prove the writer's output reads back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index++;
    } else field += char;
  }
  return rows;
}
