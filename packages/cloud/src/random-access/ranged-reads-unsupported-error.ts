import { StorageError } from '../errors.js';
import type { BackendKind } from '../storage-backend.js';

/** RANGED_READS_UNSUPPORTED: the backend cannot read byte ranges, so an archive there must be downloaded first. */
export class RangedReadsUnsupportedError extends StorageError {
  constructor(backend: BackendKind, description: string) {
    super(
      backend,
      'RANGED_READS_UNSUPPORTED',
      `${backend}: ${description} cannot read byte ranges; download the archive to a local file first and read that`,
    );
  }
}
