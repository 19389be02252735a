import { verificationMethod } from './backup-summary.js';
import type { BackupTarget } from './backup-targets.js';
import { formatAge } from './format-age.js';
import { check, type HealthCheck } from './health-check.js';

/**
 * verification, per target with a successful backup, on that newest successful backup's latest verification:
 * passed → ok; failed → critical; never verified → warning. Targets without a successful backup are left to
 * freshness (returns null).
 */
export function checkVerification(target: BackupTarget, now: Date): HealthCheck | null {
  const backup = target.lastSuccess;
  if (backup === null) return null;
  const verification = backup.verification;
  if (verification === null) {
    return check(
      'verification',
      target.label,
      'warning',
      `latest backup of ${target.label} is not verified; run \`dbbackup verify-backup ${backup.location}\` or back up with --verify-restore`,
    );
  }
  const when = `${formatAge(now.getTime() - Date.parse(verification.at))} ago`;
  const method = verificationMethod(verification.kind);
  if (verification.result === 'failed') {
    return check(
      'verification',
      target.label,
      'critical',
      `latest backup of ${target.label} failed ${method} ${when}${verification.detail ? `: ${verification.detail}` : ''}; ${backup.location} cannot be trusted, take a new backup`,
    );
  }
  return check('verification', target.label, 'ok', `latest backup of ${target.label} passed ${method} ${when}`);
}
