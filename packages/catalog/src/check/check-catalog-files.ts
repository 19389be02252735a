import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { Catalog } from '../catalog.js';
import { fileSha256 } from '../scan/file-sha256.js';

export interface CheckProblem {
  id: number;
  location: string;
  problem: 'missing' | 'size-mismatch' | 'hash-mismatch';
  detail: string;
}

export interface CheckResult {
  checked: number;
  /** Successful entries that are not local files (URIs such as s3://…). */
  skipped: number;
  problems: CheckProblem[];
}

/**
 * `catalog check`: does every successful backup the catalog lists still exist, with the size and (unless
 * `hash: false`) the sha256 it had? Only local paths are checked; a URI (s3://…) counts as skipped.
 */
export async function checkCatalogFiles(
  catalog: Catalog,
  options: { hash?: boolean; onFile?: (path: string) => void } = {},
): Promise<CheckResult> {
  const result: CheckResult = { checked: 0, skipped: 0, problems: [] };
  const records = await catalog.listBackups({ status: 'success', order: 'oldest' });
  for (const record of records) {
    if (!isAbsolute(record.location)) {
      result.skipped++;
      continue;
    }
    options.onFile?.(record.location);
    result.checked++;
    const problem = (problem: CheckProblem['problem'], detail: string) =>
      result.problems.push({ id: record.id, location: record.location, problem, detail });
    let size: number;
    try {
      const info = await stat(record.location);
      if (!info.isFile()) {
        problem('missing', 'the path is not a file');
        continue;
      }
      size = info.size;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problem('missing', code === 'ENOENT' ? 'the file no longer exists' : (error as Error).message);
      continue;
    }
    if (record.bytes !== null && size !== record.bytes) {
      problem('size-mismatch', `the file has ${size} bytes, the catalog recorded ${record.bytes}`);
      continue;
    }
    if (options.hash !== false && record.sha256 !== null) {
      const sha256 = await fileSha256(record.location);
      if (sha256 !== record.sha256) {
        problem('hash-mismatch', `sha256 is ${sha256}, the catalog recorded ${record.sha256}`);
      }
    }
  }
  return result;
}
