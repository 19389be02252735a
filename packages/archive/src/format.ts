/** Archive format constants shared by the writer and the readers. */
export const FORMAT_VERSION = 1;
export const ARCHIVE_FORMAT_NAME = 'dbbackup-archive';

/** First member: never compressed nor encrypted, so a reader learns the format and encryption before anything else. */
export const HEADER_MEMBER_NAME = 'header.json';
/** Last member: its presence is what makes a backup complete. Encrypted with the data key when the backup is. */
export const MANIFEST_MEMBER_NAME = 'manifest.json';

/** header.json is a few hundred bytes; refuse to buffer absurd sizes from a damaged or hostile file. */
export const MAX_HEADER_MEMBER_SIZE = 1024 * 1024;
/** Upper bound for buffering manifest.json (about 300 bytes per member, so millions of members fit). */
export const MAX_MANIFEST_MEMBER_SIZE = 1024 * 1024 * 1024;
