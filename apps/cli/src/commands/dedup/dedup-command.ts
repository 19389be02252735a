import { addExamples } from '../../cli/help-examples.js';
import type { CommandModule } from '../command-module.js';
import { registerDedupBackup } from './dedup-backup-command.js';
import { registerDedupBackupDb } from './dedup-backup-db-command.js';
import { registerDedupDelete } from './dedup-delete-command.js';
import { registerDedupGc } from './dedup-gc-command.js';
import { registerDedupList } from './dedup-list-command.js';
import { registerDedupPrune } from './dedup-prune-command.js';
import { registerDedupRebuildIndex } from './dedup-rebuild-index-command.js';
import { registerDedupRestore } from './dedup-restore-command.js';
import { registerDedupStats } from './dedup-stats-command.js';
import { registerDedupVerify } from './dedup-verify-command.js';

/**
 * `dbbackup dedup ...`: deduplicated backups in a @dbbackup/dedup-store (a local --dedup-dir or a --cloud folder).
 * Each subcommand is one DedupStore method; the store is created by the first backup.
 */
export const dedupCommand: CommandModule = {
  register(parent) {
    const dedup = parent
      .command('dedup')
      .description(
        'deduplicated backups: daily dumps stored as content-defined chunks, so each day adds only what changed (backup, backup-db, list, restore, stats, verify, delete, prune, gc)',
      );
    addExamples(dedup, [
      {
        description: 'back up a database every day; each run stores only the changed chunks',
        command: 'dbbackup dedup backup-db shop --db-type postgres --dedup-dir /srv/dedup',
      },
      { description: 'the snapshots', command: 'dbbackup dedup list --dedup-dir /srv/dedup' },
      {
        description: 'restore one into a file',
        command: 'dbbackup dedup restore 3f2a9c01 shop.sql --dedup-dir /srv/dedup',
      },
      { description: 'keep two weeks', command: 'dbbackup dedup prune --keep-last 14 --dedup-dir /srv/dedup' },
    ]);
    registerDedupBackup(dedup);
    registerDedupBackupDb(dedup);
    registerDedupList(dedup);
    registerDedupRestore(dedup);
    registerDedupStats(dedup);
    registerDedupVerify(dedup);
    registerDedupDelete(dedup);
    registerDedupPrune(dedup);
    registerDedupGc(dedup);
    registerDedupRebuildIndex(dedup);
    return dedup;
  },
};
