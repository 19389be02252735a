/** Base of every error this package throws; `code` is stable and meant for programs, the message for people. */
export class CryptoError extends Error {
  override name = 'CryptoError';
  readonly code: string = 'CRYPTO';
}

/** The master key (key file or passphrase) is not the one the backup was encrypted with. */
export class WrongKeyError extends CryptoError {
  override name = 'WrongKeyError';
  override readonly code = 'WRONG_KEY';
}

/** The backup is encrypted but no key was given. */
export class MissingKeyError extends CryptoError {
  override name = 'MissingKeyError';
  override readonly code = 'MISSING_KEY';

  constructor(
    message = 'this backup is encrypted: pass --encryption-key-file FILE (or the passphrase) used when it was made',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A key file is missing, unreadable, or does not hold a 32-byte key. */
export class KeyFileError extends CryptoError {
  override name = 'KeyFileError';
  override readonly code = 'KEY_FILE';
}

/** A passphrase cannot be used (empty). */
export class PassphraseError extends CryptoError {
  override name = 'PassphraseError';
  override readonly code = 'PASSPHRASE';
}

/** An encryption header (or its scrypt parameters) is malformed or from an unsupported format version. */
export class EncryptionHeaderError extends CryptoError {
  override name = 'EncryptionHeaderError';
  override readonly code = 'ENCRYPTION_HEADER';
}

const AUTHENTICATION_FAILED = 'authentication failed (the archive was modified or truncated)';

/** An encrypted member failed authentication: its bytes were modified, truncated, extended or reordered. */
export class CorruptDataError extends CryptoError {
  override name = 'CorruptDataError';
  override readonly code = 'CORRUPT_DATA';
  readonly member: string;
  readonly segment: number;

  constructor(member: string, segment: number, reason = AUTHENTICATION_FAILED, options?: ErrorOptions) {
    super(`member ${member} is corrupt at segment ${segment}: ${reason}`, options);
    this.member = member;
    this.segment = segment;
  }
}
