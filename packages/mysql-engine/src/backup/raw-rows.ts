import type mysql from 'mysql2';
import { MysqlEngineError } from '../errors.js';

/** What the packet handler gives us: one complete protocol packet (payload = buffer[offset, end)). */
interface ProtocolPacket {
  buffer: Buffer;
  offset: number;
  end: number;
  isEOF(): boolean;
}

type RowState = (this: HookableQuery, packet: ProtocolPacket, connection: unknown) => unknown;

/** The parts of mysql2's Query command this module relies on (mysql2 3.x). */
interface HookableQuery {
  row: RowState;
  on(event: 'fields', listener: (fields: unknown[]) => void): this;
  on(event: 'result', listener: (row: unknown) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'end', listener: () => void): this;
}

export interface RawRowSink {
  /** One text-protocol row: length-encoded values in bytes[start, end). Called synchronously per packet. */
  addRow(bytes: Buffer, start: number, end: number): void;
}

/** A mysql2 release changed the internals readRawRows hooks into. */
export class UnsupportedDriverError extends MysqlEngineError {
  constructor(detail: string) {
    super(
      `the installed mysql2 does not work with the raw row reader (${detail}); install the mysql2 version in @dbbackup/mysql-engine's package.json`,
    );
  }
}

/**
 * Runs a SELECT and hands every result row to `sink` as the bytes of its protocol packet, before mysql2 would parse
 * it: no row array, no Buffer per value, no string decoding. mysql2 still does everything else (the query packet,
 * column definitions, EOF and error packets, large packets spanning 16 MiB, pause/resume). It works by replacing
 * the Query command's `row` state, which mysql2's `fieldsEOF` state looks up on the instance (`return this.row`).
 * A changed mysql2 would deliver parsed rows through 'result' instead; that is detected and fails loudly.
 * Pausing the connection (core.pause/resume) pauses the rows; mysql2 queues the packets already received.
 */
export function readRawRows(
  core: mysql.Connection,
  sql: string,
  sink: RawRowSink,
  expectedColumns: number,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const query = core.query({ sql, rowsAsArray: true, typeCast: false }) as unknown as HookableQuery;
    const parseRow = query.row;
    if (typeof parseRow !== 'function') {
      reject(new UnsupportedDriverError('Query.row is missing'));
      return;
    }
    const row: RowState = function (this: HookableQuery, packet, connection) {
      if (packet.isEOF()) return parseRow.call(this, packet, connection);
      sink.addRow(packet.buffer, packet.offset, packet.end);
      return row;
    };
    query.row = row;
    query.on('fields', (fields) => {
      if (fields.length !== expectedColumns) {
        reject(new Error(`the query returned ${fields.length} columns, expected ${expectedColumns}: ${sql}`));
      }
    });
    query.on('result', () => reject(new UnsupportedDriverError('rows arrived parsed')));
    query.on('error', reject);
    query.on('end', () => resolve());
  });
}
