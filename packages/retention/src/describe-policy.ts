import type { RetentionPolicy } from './types.js';
import { validatePolicy } from './validate-policy.js';

function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function unsuccessfulClause(retentionDays: number): string {
  return retentionDays === 0
    ? 'failed and incomplete backups are deleted right away'
    : `failed and incomplete backups are deleted after ${plural(retentionDays, 'day')}`;
}

/** One line for humans, e.g. "per database: keep the newest backup, 7 daily, 4 weekly and 12 monthly; ...". */
export function describePolicy(policy: RetentionPolicy): string {
  validatePolicy(policy);
  if (policy.kind === 'age') {
    const age =
      policy.retentionDays === 0
        ? 'delete every successful backup'
        : `keep successful backups for ${plural(policy.retentionDays, 'day')}`;
    const floor = Math.max(policy.minBackups, 1);
    const protect = floor === 1 ? 'but always the newest one' : `but always the newest ${floor}`;
    return `per database: ${age}, ${protect}; ${unsuccessfulClause(policy.retentionDays)}`;
  }
  const rules = [
    policy.keepLast > 0 ? `the last ${policy.keepLast}` : '',
    policy.daily > 0 ? `${policy.daily} daily` : '',
    policy.weekly > 0 ? `${policy.weekly} weekly` : '',
    policy.monthly > 0 ? `${policy.monthly} monthly` : '',
    policy.yearly > 0 ? `${policy.yearly} yearly` : '',
  ].filter((rule) => rule !== '');
  const keeps =
    rules.length === 0
      ? 'keeps only the newest backup (every GFS count is 0)'
      : `keep the newest backup, ${listInWords(rules)} (newest of each UTC day, ISO week, month, year)`;
  return `per database: ${keeps}; ${unsuccessfulClause(policy.retentionDays ?? 0)}`;
}
