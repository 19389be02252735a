import { RetentionPolicyError } from './errors.js';
import type { RetentionPolicy } from './types.js';

function requireCount(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RetentionPolicyError(field, `${field} is ${String(value)}; use a whole number of 0 or more`);
  }
}

function requireDays(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RetentionPolicyError(field, `${field} is ${String(value)}; use a number of days of 0 or more`);
  }
}

/**
 * Throws RetentionPolicyError unless every count is a whole number >= 0 and every day count a finite number >= 0.
 * A GFS policy with every count 0 is valid: it keeps only the newest backup of each database.
 */
export function validatePolicy(policy: RetentionPolicy): void {
  if (policy.kind === 'age') {
    requireDays('retentionDays', policy.retentionDays);
    requireCount('minBackups', policy.minBackups);
    return;
  }
  if (policy.kind === 'gfs') {
    for (const field of ['keepLast', 'daily', 'weekly', 'monthly', 'yearly'] as const) {
      requireCount(field, policy[field]);
    }
    if (policy.retentionDays !== undefined) requireDays('retentionDays', policy.retentionDays);
    return;
  }
  const kind = (policy as { kind?: unknown }).kind;
  throw new RetentionPolicyError('kind', `unknown retention policy kind ${JSON.stringify(kind)}; use "age" or "gfs"`);
}
