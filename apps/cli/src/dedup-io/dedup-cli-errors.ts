import { EncryptionMismatchError, SnapshotNotFoundError, StoreNotInitialisedError } from '@dbbackup/dedup-store';
import { CliError } from '../errors/cli-errors.js';
import { type DedupLocation, locationFlag } from './dedup-location.js';

/** There is no dedup store where --dedup-dir / --cloud points. Exit 2. */
export class DedupStoreNotFoundError extends CliError {
  constructor(storeLocation: string, location: DedupLocation, options?: ErrorOptions) {
    super(
      `no dedup store at ${storeLocation}: check ${location.kind === 'directory' ? '--dedup-dir' : '--cloud'}, or create the store with dbbackup dedup backup FILE ${locationFlag(location)} (the first backup initialises it)`,
      2,
      options,
    );
  }
}

/** A key was given on the command line for a store created without encryption. Exit 2. */
export class DedupStoreNotEncryptedError extends CliError {
  constructor(storeLocation: string, location: DedupLocation, options?: ErrorOptions) {
    super(
      `the dedup store at ${storeLocation} is not encrypted, and a store cannot be encrypted later: drop --encrypt/--encryption-key-file, or back up into a new store (another ${location.kind === 'directory' ? '--dedup-dir' : '--cloud folder'}) to have an encrypted one`,
      2,
      options,
    );
  }
}

/** No snapshot id starts with what was given. Exit 2. */
export class DedupSnapshotNotFoundError extends CliError {
  constructor(snapshotId: string, storeLocation: string, location: DedupLocation, options?: ErrorOptions) {
    super(
      `no snapshot ${JSON.stringify(snapshotId)} in the dedup store at ${storeLocation}: dbbackup dedup list ${locationFlag(location)} shows the ids (a unique prefix or "latest" is enough)`,
      2,
      options,
    );
  }
}

/**
 * The library's errors whose advice names API calls get the CLI's wording (with the original as the cause, shown
 * by --debug). The others are already one actionable line for a CLI user (wrong or missing key, a held lock,
 * damaged packs) and pass through unchanged.
 */
export function dedupErrorForCli(error: unknown, location: DedupLocation): unknown {
  if (error instanceof StoreNotInitialisedError) {
    return new DedupStoreNotFoundError(error.location, location, { cause: error });
  }
  if (error instanceof EncryptionMismatchError) {
    return new DedupStoreNotEncryptedError(describeLocation(location), location, { cause: error });
  }
  if (error instanceof SnapshotNotFoundError) {
    return new DedupSnapshotNotFoundError(error.snapshotId, describeLocation(location), location, { cause: error });
  }
  return error;
}

/** The location as the user gave it: the directory's path or the cloud URI. */
export function describeLocation(location: DedupLocation): string {
  return location.kind === 'directory' ? location.path : location.uri;
}
