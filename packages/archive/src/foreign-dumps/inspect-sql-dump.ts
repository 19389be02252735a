/**
 * A plain SQL dump, as written or compressed with gzip or zstd: decompresses the whole file (node:zlib checks the
 * gzip CRC32 and length of every member, zstd the frames and their checksums), keeps the first and last 64 KiB of
 * the text to tell which tool wrote it and whether it wrote its completion line.
 */
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type CompressionAlgorithm, createDecompressStream } from '@dbbackup/pipeline';
import type { DumpCheck, DumpInspection } from './dump-inspection-types.js';
import { expectedTrailer, findTrailer, identifySqlDump } from './sql-dump-producers.js';

const EDGE_BYTES = 64 * 1024;

/** Keeps the first and the last EDGE_BYTES of a stream and counts it. */
class EdgeCollector extends Writable {
  head = Buffer.alloc(0);
  #tail: Buffer[] = [];
  #tailBytes = 0;
  bytes = 0;

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    if (this.head.length < EDGE_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, EDGE_BYTES - this.head.length)]);
    }
    this.#tail.push(chunk); // streams hand over fresh buffers, so keeping a reference is safe
    this.#tailBytes += chunk.length;
    while (this.#tail.length > 1 && this.#tailBytes - this.#tail[0]!.length >= EDGE_BYTES) {
      this.#tailBytes -= this.#tail.shift()!.length;
    }
    callback();
  }

  get tail(): Buffer {
    const joined = Buffer.concat(this.#tail);
    return joined.subarray(Math.max(0, joined.length - EDGE_BYTES));
  }
}

export async function inspectSqlDump(
  path: string,
  bytes: number,
  compression: CompressionAlgorithm,
): Promise<DumpInspection> {
  const checks: DumpCheck[] = [];
  const collector = new EdgeCollector();
  let decodeError: Error | undefined;
  try {
    await pipeline(createReadStream(path), createDecompressStream(compression), collector);
  } catch (error) {
    decodeError = error as Error;
  }
  const head = collector.head.toString('utf8');
  const identity = identifySqlDump(head);
  const wrapper = compression === 'none' ? '' : `${compression} + `;
  const signature = `${wrapper}${identity.signature ?? 'SQL text'}`;
  checks.push({
    check: 'signature',
    status: 'ok',
    detail: identity.producer ? `${signature}: written by ${identity.producer}` : `${signature} from an unknown tool`,
  });

  let reason: string | null = null;
  if (compression !== 'none') {
    if (decodeError) {
      reason = `the ${compression} data is damaged or truncated after ${collector.bytes} plain bytes (${decodeError.message})`;
      checks.push({ check: 'compression', status: 'failed', detail: reason });
    } else {
      checks.push({
        check: 'compression',
        status: 'ok',
        detail: `${compression} data intact to its end (checksums verified)`,
      });
    }
  } else if (decodeError) {
    throw decodeError;
  }

  if (decodeError) {
    checks.push({ check: 'trailer', status: 'skipped', detail: 'not reached: the text could not be read to its end' });
  } else {
    const trailer = findTrailer(collector.tail.toString('utf8'), identity.producer);
    if (trailer) {
      checks.push({ check: 'trailer', status: 'ok', detail: `ends with ${JSON.stringify(trailer)}` });
    } else {
      reason = `no completion line at the end (expected ${expectedTrailer(identity.producer)}): the dump was cut short`;
      checks.push({ check: 'trailer', status: 'failed', detail: reason });
    }
  }

  return {
    path,
    kind: 'sql',
    signature,
    producer: identity.producer,
    formatVersion: null,
    serverVersion: identity.serverVersion,
    toolVersion: identity.toolVersion,
    database: identity.database,
    createdAt: null,
    compression,
    tocEntries: null,
    dataEntries: null,
    bytes,
    plainBytes: collector.bytes,
    status: reason === null ? 'ok' : 'damaged',
    reason,
    checks,
  };
}
