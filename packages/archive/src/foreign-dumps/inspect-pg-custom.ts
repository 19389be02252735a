/**
 * A file starting with "PGDMP": pg_dump's custom format (header, TOC, data blocks: all checked) or the toc.dat of
 * a directory or tar dump on its own (header and TOC; the data lives in the files next to it).
 */
import { openFileSource } from '../file-source.js';
import { ByteCursor } from './byte-cursor.js';
import type { DumpInspection } from './dump-inspection-types.js';
import { PG_FORMAT_CUSTOM, PG_FORMAT_TAR, type PgArchiveHeader, readPgArchiveHeader } from './pg-archive-header.js';
import { type PgTocEntry, readPgToc } from './pg-archive-toc.js';
import { walkCustomDataBlocks } from './pg-custom-data.js';
import { isDumpDamage, PgInspection } from './pg-inspection.js';

export async function inspectPgArchiveFile(path: string, bytes: number): Promise<DumpInspection> {
  const source = await openFileSource(path);
  try {
    const cursor = new ByteCursor((offset, length) => source.read(offset, length), 0, bytes);
    const inspection = new PgInspection(path, 'pg-custom', bytes);
    let header: PgArchiveHeader;
    try {
      header = await readPgArchiveHeader(cursor);
    } catch (error) {
      if (isDumpDamage(error)) return inspection.damaged('header', error.message);
      throw error;
    }
    inspection.header(header);
    if (header.format !== PG_FORMAT_CUSTOM && header.format !== PG_FORMAT_TAR) {
      return inspection.damaged('header', `format byte ${header.format} is neither custom (1) nor tar/directory (3)`);
    }
    const custom = header.format === PG_FORMAT_CUSTOM;
    if (!custom) inspection.report.kind = 'pg-toc';

    let entries: PgTocEntry[];
    try {
      entries = await readPgToc(cursor, header, custom ? 'custom' : 'filename');
    } catch (error) {
      if (isDumpDamage(error)) return inspection.damaged('toc', error.message);
      throw error;
    }
    inspection.toc(entries);

    if (!custom) {
      inspection.skipped(
        'data',
        'this is the toc.dat of a directory or tar dump: its data is in the files beside it; inspect the directory or the .tar',
      );
      return inspection.report;
    }
    try {
      const data = await walkCustomDataBlocks(cursor, header, entries);
      inspection.report.plainBytes = data.plainBytes;
      const decoded =
        header.compression === 'none'
          ? 'stored uncompressed'
          : data.plainBytes === null
            ? `${header.compression} streams walked, not decoded (node has no ${header.compression})`
            : `${header.compression} streams decoded`;
      const plain = data.plainBytes === null ? '' : `, ${data.plainBytes.toLocaleString('en-US')} plain bytes`;
      inspection.ok('data', `${data.blocks} data blocks present at their recorded offsets, ${decoded}${plain}`);
    } catch (error) {
      if (isDumpDamage(error)) return inspection.damaged('data', error.message);
      throw error;
    }
    return inspection.report;
  } finally {
    await source.close();
  }
}
