/**
 * @dbbackup/engine-kit: engine-neutral helpers shared by @dbbackup/pg-engine and @dbbackup/mysql-engine (the engines
 * may not import each other).
 */
export { addChecksums, checksumLines, EMPTY_CHECKSUM, RowChecksum } from './checksum/row-checksum.js';
export { type ProgressOffsets, progressWithOffsets } from './cluster/cluster-progress.js';
export { capList, count, MAX_LISTED, nameList } from './privileges/listing.js';
export { compileTablePatterns } from './restore/critical-tables.js';
export {
  choosePass,
  type DependentItem,
  runOnIdleSessions,
  type SessionTask,
  takeFirstReady,
} from './restore/session-scheduler.js';
export { PERCENT_BUCKETS, percentThreshold, sampleSpecProblem } from './sample/sample-spec.js';
export { SinkWriter } from './sql-script/sink-writer.js';
export { ProgressReporter } from './util/progress-reporter.js';
export { runParallel } from './util/run-parallel.js';
