/** Plaintext bytes per GCM segment; the last segment of a member may be shorter (or empty). */
export const SEGMENT_PLAINTEXT_SIZE = 65536;
/** Random bytes that start every encrypted member and make its nonces unique to it. */
export const NONCE_PREFIX_SIZE = 7;
/** GCM authentication tag after every segment's ciphertext. */
export const TAG_SIZE = 16;
/** One full segment as stored: ciphertext followed by its tag. */
export const SEGMENT_RECORD_SIZE = SEGMENT_PLAINTEXT_SIZE + TAG_SIZE;
/** AES-256 key length, for data keys and master keys alike. */
export const KEY_SIZE = 32;
/** The nonce counter is a uint32, so one member holds at most this many segments (256 TiB). */
export const MAX_SEGMENT_INDEX = 0xffff_ffff;
