/** What kind of file a dump is, decided from its content (the extension is only a hint). */
export type DumpKind =
  /** pg_dump -Fc: one file starting with "PGDMP". */
  | 'pg-custom'
  /** pg_dump -Fd: a directory holding toc.dat and one file per table. */
  | 'pg-directory'
  /** pg_dump -Ft: a tar holding toc.dat, one member per table and restore.sql. */
  | 'pg-tar'
  /** The toc.dat of a directory or tar dump on its own: the table of contents without the data. */
  | 'pg-toc'
  /** A plain SQL script (pg_dump, pg_dumpall, mysqldump, mariadb-dump, dbbackup), possibly gzip or zstd compressed. */
  | 'sql'
  /** A dbbackup archive: diagnose it with diagnoseArchive. */
  | 'dbbackup-archive'
  | 'unknown';

export type DumpProducer = 'pg_dump' | 'pg_dumpall' | 'mysqldump' | 'mariadb-dump' | 'dbbackup';

export type DumpCheckName = 'signature' | 'header' | 'toc' | 'data' | 'compression' | 'trailer' | 'members';

export interface DumpCheck {
  check: DumpCheckName;
  status: 'ok' | 'failed' | 'skipped';
  detail: string;
}

/** What inspectDumpFile found. Fields that do not apply to the kind (or could not be read) are null. */
export interface DumpInspection {
  path: string;
  kind: DumpKind;
  /** What identified the file, e.g. `PGDMP`, `gzip + -- PostgreSQL database dump`, `-- MariaDB dump`. */
  signature: string;
  producer: DumpProducer | null;
  /** pg_dump archives: the archive format version (`1.14.0` is written by pg_dump 12–15). */
  formatVersion: string | null;
  serverVersion: string | null;
  toolVersion: string | null;
  database: string | null;
  /** pg_dump archives: creation time as recorded (the dumping machine's local time, no zone). */
  createdAt: string | null;
  /** The file's own compression (sql: gzip/zstd/none) or, for pg_dump archives, that of the table data. */
  compression: string | null;
  /** pg_dump archives: entries in the table of contents. */
  tocEntries: number | null;
  /** pg_dump archives: TOC entries that carry data (TABLE DATA, BLOBS, ...). */
  dataEntries: number | null;
  /** Bytes on disk (all files of a directory dump). */
  bytes: number;
  /** Decompressed bytes read: the SQL text, or the table data of a pg_dump archive. */
  plainBytes: number | null;
  status: 'ok' | 'damaged' | 'unsupported';
  /** One line: what is damaged, or why the file cannot be inspected; null when ok. */
  reason: string | null;
  checks: DumpCheck[];
}
