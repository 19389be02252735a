import { addChecksums, EMPTY_CHECKSUM } from '@dbbackup/engine-kit';
import type { ArchivedTable } from '../archive-layout.js';
import type { PlannedTable } from './work-plan.js';

/** A table being dumped: its plan facts plus the totals of the parts written so far. */
export interface TableBackupState extends PlannedTable {
  schema: string;
  name: string;
  relkind: string;
  isPartitionParent: boolean;
  persistence: string;
  nextPart: number;
  rows: number;
  bytes: number;
  partChecksums: string[];
  /** Work items of this table not yet finished (ranges of a split table). */
  itemsLeft: number;
}

export function toArchivedTable(table: TableBackupState): ArchivedTable {
  return {
    schema: table.schema,
    name: table.name,
    qualifiedName: table.qualifiedName,
    columns: table.columns,
    relkind: table.relkind,
    isPartitionParent: table.isPartitionParent,
    persistence: table.persistence,
    estimatedBytes: table.estimatedBytes,
    rows: table.rows,
    checksum: table.partChecksums.length > 0 ? addChecksums(table.partChecksums) : EMPTY_CHECKSUM,
    bytes: table.bytes,
    parts: table.nextPart,
  };
}
