import type { VerificationKind, VerificationResult } from '@dbbackup/catalog';
import type { CommandContext } from '../cli/command-context.js';
import { notify } from './command-notifications.js';

const KIND_WORDS: Record<VerificationKind, string> = {
  verify: 'verification',
  deep: 'deep verification',
  restore: 'test restore',
};

/** verify_completed / verify_failed for one archive: verify-backup [--deep] and backup --verify-restore. */
export function notifyVerification(
  context: CommandContext,
  facts: {
    path: string;
    database: string | null;
    engine: string | null;
    kind: VerificationKind;
    result: VerificationResult;
    detail: string;
  },
): void {
  const passed = facts.result === 'passed';
  notify(context, {
    event: passed ? 'verify_completed' : 'verify_failed',
    database: facts.database,
    message: `${KIND_WORDS[facts.kind]} of ${facts.path} ${passed ? 'passed' : 'failed'}: ${facts.detail}`,
    details: { path: facts.path, engine: facts.engine, kind: facts.kind, result: facts.result, detail: facts.detail },
  });
}
