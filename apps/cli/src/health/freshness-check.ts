import type { BackupRecord } from '@dbbackup/catalog';
import type { BackupTarget } from './backup-targets.js';
import { formatAge, formatThreshold } from './format-age.js';
import { check, type HealthCheck } from './health-check.js';

/**
 * freshness, per target, on the newest successful backup's start time (when its data is from): not older than
 * maxAge → ok; older → warning; older than 2 × maxAge, or no successful backup at all → critical. A failed attempt
 * after it is mentioned but does not change the status (the age does, soon enough).
 */
export function checkFreshness(target: BackupTarget, maxAgeMs: number, now: Date): HealthCheck {
  const ago = (record: BackupRecord) => `${formatAge(now.getTime() - Date.parse(record.startedAt))} ago`;
  const success = target.lastSuccess;
  const attempt = target.lastBackup;
  if (success === null) {
    const last = attempt === null ? '' : `; the last attempt ${ago(attempt)} ${attemptOutcome(attempt)}`;
    return check(
      'freshness',
      target.label,
      'critical',
      `no successful backup of ${target.label} in the catalog${last}`,
    );
  }
  const ageMs = now.getTime() - Date.parse(success.startedAt);
  const max = formatThreshold(maxAgeMs);
  const laterFailure =
    attempt !== null && attempt.id !== success.id && attempt.status === 'failed'
      ? ` (a later attempt failed ${ago(attempt)})`
      : '';
  const facts = `backup of ${target.label} is ${formatAge(ageMs)} old`;
  if (ageMs > 2 * maxAgeMs) {
    return check('freshness', target.label, 'critical', `${facts}, more than twice the max ${max}${laterFailure}`);
  }
  const status = ageMs > maxAgeMs ? 'warning' : 'ok';
  return check('freshness', target.label, status, `${facts}, max ${max}${laterFailure}`);
}

function attemptOutcome(attempt: BackupRecord): string {
  if (attempt.status !== 'failed') return `is ${attempt.status}`;
  return attempt.error === null ? 'failed' : `failed: ${attempt.error}`;
}
