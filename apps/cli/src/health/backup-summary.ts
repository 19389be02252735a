import type { BackupRecord, Verification } from '@dbbackup/catalog';

/** One backup as `status` prints it in JSON (snake_case, like every dbbackup JSON document). */
export interface BackupSummary {
  location: string;
  kind: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  error: string | null;
  bytes: number | null;
  encrypted: boolean;
  verification: VerificationSummary | null;
}

export interface VerificationSummary {
  result: Verification['result'];
  kind: Verification['kind'];
  at: string;
  detail: string | null;
}

export function summariseBackup(record: BackupRecord): BackupSummary {
  return {
    location: record.location,
    kind: record.kind,
    started_at: record.startedAt,
    finished_at: record.finishedAt,
    status: record.status,
    error: record.error,
    bytes: record.bytes,
    encrypted: record.encrypted,
    verification: record.verification === null ? null : summariseVerification(record.verification),
  };
}

export function summariseVerification(verification: Verification): VerificationSummary {
  return {
    result: verification.result,
    kind: verification.kind,
    at: verification.at,
    detail: verification.detail,
  };
}

/** 'passed', 'failed' or 'not verified', for tables. */
export function verificationWord(verification: Pick<Verification, 'result'> | null): string {
  return verification === null ? 'not verified' : verification.result;
}

/** How a verification was done, in the words of the command that does it. */
export function verificationMethod(kind: Verification['kind']): string {
  switch (kind) {
    case 'verify':
      return 'verify-backup';
    case 'deep':
      return 'verify-backup --deep';
    case 'restore':
      return 'a verify-restore';
  }
}
