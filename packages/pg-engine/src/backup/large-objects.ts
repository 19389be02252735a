import { Readable } from 'node:stream';
import type { ArchiveWriter, MemberMeta } from '@dbbackup/archive';
import type pg from 'pg';

const LARGE_OBJECT_CHUNK_BYTES = 1024 * 1024;

export interface LargeObjectRef {
  oid: number;
  owner: string | null;
}

/**
 * Streams one large object into its own archive member (oid and owner in the member's extra), reading it with
 * lo_get in 1 MiB chunks inside the worker's snapshot so memory stays small however big the object is.
 */
export async function dumpLargeObject(
  client: pg.Client,
  writer: ArchiveWriter,
  largeObject: LargeObjectRef,
  tag: Pick<MemberMeta, 'database'> = {},
): Promise<number> {
  let bytes = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let offset = 0; ; offset += LARGE_OBJECT_CHUNK_BYTES) {
      const result = await client.query<{ chunk: Buffer }>('SELECT lo_get($1::oid, $2::bigint, $3::int) AS chunk', [
        largeObject.oid,
        offset,
        LARGE_OBJECT_CHUNK_BYTES,
      ]);
      const chunk = result.rows[0]!.chunk;
      if (chunk.length > 0) {
        bytes += chunk.length;
        yield chunk;
      }
      if (chunk.length < LARGE_OBJECT_CHUNK_BYTES) return;
    }
  }
  await writer.addMember(
    { kind: 'large-object', ...tag, extra: { oid: largeObject.oid, owner: largeObject.owner } },
    Readable.from(chunks(), { objectMode: false }),
    '.blob',
  );
  return bytes;
}
