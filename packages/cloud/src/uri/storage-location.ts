/**
 * Where a storage URI points. `prefix` is the folder inside the bucket/container/root that backups go to: no
 * leading '/', and either '' or ending in '/'.
 */
export type StorageLocation =
  | { kind: 's3'; bucket: string; prefix: string }
  | { kind: 'azure'; container: string; prefix: string }
  | { kind: 'gcs'; bucket: string; prefix: string }
  /** `path` is the remote root directory: absolute, or relative to the user's home when the URI says /~/. */
  | { kind: 'sftp'; user: string; host: string; port: number; path: string; prefix: string }
  /** `path` is an absolute directory. */
  | { kind: 'local'; path: string; prefix: string };

export type StorageLocationKind = StorageLocation['kind'];
