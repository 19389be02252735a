import { Catalog } from '@dbbackup/catalog';
import type { MetricsSnapshot } from '../metrics-snapshot.js';
import { type CollectOptions, collectCatalogMetrics, unavailableCatalogMetrics } from './collect-catalog-metrics.js';

/**
 * One scrape of the catalog file at `path`: opens it read-only (nothing is created or migrated, so a catalog
 * replaced or recreated since the last scrape is simply read anew), collects, closes. A catalog that cannot be
 * opened or read gives dbbackup_catalog_up 0 with the reason in catalogProblem, never a rejection: the exporter
 * keeps answering so the "catalog unreadable" alert can fire.
 */
export async function collectCatalogFileMetrics(path: string, options: CollectOptions): Promise<MetricsSnapshot> {
  let catalog: Catalog;
  try {
    catalog = await Catalog.openReadOnly(path);
  } catch (error) {
    return unavailableCatalogMetrics(options, describe(error));
  }
  try {
    return await collectCatalogMetrics(catalog, options);
  } catch (error) {
    return unavailableCatalogMetrics(options, `cannot read the backup catalog ${path}: ${describe(error)}`);
  } finally {
    await catalog.close().catch(() => undefined);
  }
}

/**
 * Whether the catalog at `path` can be opened read-only and queried: null when it can, else the one-line reason
 * (what /health answers with).
 */
export async function catalogProblem(path: string): Promise<string | null> {
  let catalog: Catalog;
  try {
    catalog = await Catalog.openReadOnly(path);
  } catch (error) {
    return describe(error);
  }
  try {
    await catalog.listBackups({ limit: 1 });
    await catalog.listRestores({ limit: 1 });
    return null;
  } catch (error) {
    return `cannot read the backup catalog ${path}: ${describe(error)}`;
  } finally {
    await catalog.close().catch(() => undefined);
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\n\s*/g, ' ');
}
