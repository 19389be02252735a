import { addExamples } from '../../cli/help-examples.js';
import type { CommandModule } from '../command-module.js';
import { registerCatalogCheck } from './catalog-check-command.js';
import { registerCatalogExport } from './catalog-export-command.js';
import { registerCatalogGaps } from './catalog-gaps-command.js';
import { registerCatalogInfo } from './catalog-info-command.js';
import { registerCatalogList } from './catalog-list-command.js';
import { registerCatalogSearch } from './catalog-search-command.js';
import { registerCatalogStats } from './catalog-stats-command.js';
import { registerCatalogSync } from './catalog-sync-command.js';

/**
 * `dbbackup catalog sync|list|stats|gaps|search|info|export|check`: the record of every backup, kept in a SQLite
 * file (--catalog PATH, default ~/.dbbackup/catalog.db) and rebuilt from the backups themselves with sync.
 */
export const catalogCommand: CommandModule = {
  register(parent) {
    const catalog = parent
      .command('catalog')
      .description(
        'the catalog of backups (a SQLite file, --catalog PATH): rebuild it from a directory, list, search, find gaps, export, check',
      );
    addExamples(catalog, [
      { description: 'rebuild the catalog from a backup directory', command: 'dbbackup catalog sync /var/backups' },
      { description: 'the latest backups of shop', command: 'dbbackup catalog list --database shop --limit 5' },
      {
        description: 'databases without a successful backup for over 26 hours',
        command: 'dbbackup catalog gaps --interval 26h',
      },
      { description: 'a report page', command: 'dbbackup catalog export --format html --output backups.html' },
    ]);
    registerCatalogSync(catalog);
    registerCatalogList(catalog);
    registerCatalogStats(catalog);
    registerCatalogGaps(catalog);
    registerCatalogSearch(catalog);
    registerCatalogInfo(catalog);
    registerCatalogExport(catalog);
    registerCatalogCheck(catalog);
    return catalog;
  },
};
