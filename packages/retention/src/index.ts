/** @dbbackup/retention: which backups a policy keeps and which it deletes, and why. See README.md. */
export { applyRetention } from './apply-retention.js';
export { isoWeekKey, utcDayKey, utcMonthKey, utcYearKey } from './calendar-periods.js';
export { describePolicy } from './describe-policy.js';
export { BackupTimestampParseError, RetentionError, RetentionInputError, RetentionPolicyError } from './errors.js';
export { parseBackupTimestamps } from './parse-backup-timestamps.js';
export { type RetentionSimulation, type StoragePoint, simulateRetention } from './simulate-retention.js';
export { simulateSchedule } from './simulate-schedule.js';
export type { RetentionBackup, RetentionDecision, RetentionPolicy, RetentionResult } from './types.js';
export { validatePolicy } from './validate-policy.js';
