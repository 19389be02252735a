import { resolve } from 'node:path';
import { Catalog, CatalogOpenError, CatalogVersionError } from '@dbbackup/catalog';
import type { CommandContext } from '../cli/command-context.js';
import { CliError } from '../errors/cli-errors.js';

/** The catalog file cannot be used: one line naming the file and `--catalog PATH`. Exit 2. */
export class CatalogUnavailableError extends CliError {
  constructor(cause: CatalogOpenError | CatalogVersionError) {
    super(cause.message, 2, { cause });
  }
}

/**
 * Opens the catalog of this run: --catalog PATH (or DBBACKUP_CATALOG, `catalog =` in .dbbackup.conf, default
 * ~/.dbbackup/catalog.db), relative to the working directory. The caller closes it.
 */
export async function openCatalog(context: CommandContext): Promise<Catalog> {
  const path = resolve(context.cwd, context.config.catalog);
  context.logger.debug(`catalog: ${path}`);
  try {
    return await Catalog.open(path);
  } catch (error) {
    if (error instanceof CatalogOpenError || error instanceof CatalogVersionError) {
      throw new CatalogUnavailableError(error);
    }
    throw error;
  }
}

/** Opens the catalog, runs `work`, and closes it whatever happens. */
export async function withCatalog<T>(context: CommandContext, work: (catalog: Catalog) => Promise<T>): Promise<T> {
  const catalog = await openCatalog(context);
  try {
    return await work(catalog);
  } finally {
    await catalog.close();
  }
}
