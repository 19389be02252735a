import { RetentionInputError } from './errors.js';
import { DAY_MS } from './retention-candidate.js';

/** Refuse schedules that would not fit in memory comfortably (10 years of backups every 5 minutes is ~1.05 million). */
const MAX_SCHEDULED_BACKUPS = 2_000_000;

/**
 * Backup times every `intervalMs`, the last at `end` (default now), going back `days` days: every time t with
 * end - days < t <= end, oldest first. 1 day every hour gives 24 times.
 */
export function simulateSchedule(options: { days: number; intervalMs: number; end?: Date }): Date[] {
  const { days, intervalMs } = options;
  const end = (options.end ?? new Date()).getTime();
  if (!Number.isFinite(days) || days < 0) {
    throw new RetentionInputError(`days is ${days}; use a number of days of 0 or more`);
  }
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
    throw new RetentionInputError(`intervalMs is ${intervalMs}; use a positive number of milliseconds`);
  }
  if (Number.isNaN(end)) throw new RetentionInputError('end is an invalid Date; pass a valid Date');
  const span = days * DAY_MS;
  const count = span === 0 ? 0 : Math.ceil(span / intervalMs);
  if (count > MAX_SCHEDULED_BACKUPS) {
    throw new RetentionInputError(
      `the schedule has ${count} backups (more than ${MAX_SCHEDULED_BACKUPS}); use fewer days or a longer interval`,
    );
  }
  const times: Date[] = [];
  for (let step = count - 1; step >= 0; step--) times.push(new Date(end - step * intervalMs));
  return times;
}
