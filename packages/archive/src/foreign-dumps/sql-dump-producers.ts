/**
 * Which tool wrote a plain SQL dump (from the comment lines it starts with) and whether it finished (each tool's
 * last comment line). The markers are the tools' own: pg_dump "-- PostgreSQL database dump" ... "-- PostgreSQL
 * database dump complete" (pg_dumpall: "database cluster dump"), mysqldump/mariadb-dump "-- MySQL dump" /
 * "-- MariaDB dump" ... "-- Dump completed", dbbackup "-- dbbackup SQL script" ... "-- dbbackup SQL script complete".
 */
import type { DumpProducer } from './dump-inspection-types.js';

export interface SqlDumpIdentity {
  producer: DumpProducer | null;
  /** The first line that identified it. */
  signature: string | null;
  serverVersion: string | null;
  toolVersion: string | null;
  database: string | null;
}

interface ProducerRule {
  producer: DumpProducer;
  header: RegExp;
  /** The completion line; only blank lines, comments and psql meta-commands may follow it. */
  trailer: RegExp;
}

const PRODUCERS: readonly ProducerRule[] = [
  {
    producer: 'pg_dumpall',
    header: /^-- PostgreSQL database cluster dump$/m,
    trailer: /^-- PostgreSQL database cluster dump complete$/m,
  },
  { producer: 'pg_dump', header: /^-- PostgreSQL database dump$/m, trailer: /^-- PostgreSQL database dump complete$/m },
  { producer: 'mariadb-dump', header: /^-- MariaDB dump\b.*$/m, trailer: /^-- Dump completed\b.*$/m },
  { producer: 'mysqldump', header: /^-- MySQL dump\b.*$/m, trailer: /^-- Dump completed\b.*$/m },
  { producer: 'dbbackup', header: /^-- dbbackup SQL script\b.*$/m, trailer: /^-- dbbackup SQL script complete$/m },
];

const ALL_TRAILERS = PRODUCERS.map((rule) => rule.trailer);

/** Identifies the producer from the start of the text (the first few KiB are enough). */
export function identifySqlDump(head: string): SqlDumpIdentity {
  const rule = PRODUCERS.find((candidate) => candidate.header.test(head));
  const signature = rule ? (head.match(rule.header)?.[0] ?? null) : null;
  const capture = (pattern: RegExp) => head.match(pattern)?.[1]?.trim() ?? null;
  switch (rule?.producer) {
    case 'pg_dump':
    case 'pg_dumpall':
      return {
        producer: rule.producer,
        signature,
        serverVersion: capture(/^-- Dumped from database version (.+)$/m),
        toolVersion: capture(/^-- Dumped by pg_dump(?:all)? version (.+)$/m),
        database: capture(/^-- Name: (\S+); Type: DATABASE;/m),
      };
    case 'mariadb-dump':
    case 'mysqldump':
      return {
        producer: rule.producer,
        signature,
        serverVersion: capture(/^-- Server version\s+(.+)$/m),
        toolVersion: capture(/^-- (?:MySQL|MariaDB) dump (\S+)/m),
        database: capture(/^-- Host: .*Database: (\S+)/m),
      };
    case 'dbbackup':
      return {
        producer: 'dbbackup',
        signature,
        serverVersion: capture(/^-- dbbackup SQL script of database .* \((.+)\)$/m),
        toolVersion: null,
        database: parseQuoted(capture(/^-- dbbackup SQL script of database (".*") \(/m)),
      };
    default:
      return { producer: null, signature: null, serverVersion: null, toolVersion: null, database: null };
  }
}

/** The completion line found at the end of the text (the last few KiB), or null when the dump is cut short. */
export function findTrailer(tail: string, producer: DumpProducer | null): string | null {
  const trailers = producer ? [PRODUCERS.find((rule) => rule.producer === producer)!.trailer] : ALL_TRAILERS;
  const lines = tail.split('\n');
  // Walk back over what may follow the completion line: blank lines, comments, psql meta-commands (\unrestrict).
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = (lines[index] ?? '').replace(/\r$/, '');
    if (trailers.some((trailer) => new RegExp(trailer.source).test(line))) return line;
    if (line.trim() === '' || line.startsWith('--') || line.startsWith('\\')) continue;
    return null;
  }
  return null;
}

export function expectedTrailer(producer: DumpProducer | null): string {
  switch (producer) {
    case 'pg_dump':
      return '"-- PostgreSQL database dump complete"';
    case 'pg_dumpall':
      return '"-- PostgreSQL database cluster dump complete"';
    case 'mysqldump':
    case 'mariadb-dump':
      return '"-- Dump completed"';
    case 'dbbackup':
      return '"-- dbbackup SQL script complete"';
    default:
      return 'a completion line ("-- PostgreSQL database dump complete", "-- Dump completed", "-- dbbackup SQL script complete")';
  }
}

function parseQuoted(text: string | null): string | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as string;
  } catch {
    return text;
  }
}
