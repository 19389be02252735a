/** A compression algorithm, level or tuning option that cannot be used; the message names the valid values. */
export class InvalidCompressionError extends Error {
  override readonly name = 'InvalidCompressionError';
}

/** Compressed input that cannot be decoded: not the expected format, damaged, or cut short. */
export class CorruptCompressedDataError extends Error {
  override readonly name = 'CorruptCompressedDataError';
}

/** A transfer rate that is not in a form parseRate understands, or is not a positive number of bytes per second. */
export class InvalidRateError extends Error {
  override readonly name = 'InvalidRateError';
}

/** Sha256Stream.digest() was called before the stream finished, so the hash would cover only part of the data. */
export class DigestNotReadyError extends Error {
  override readonly name = 'DigestNotReadyError';
}
