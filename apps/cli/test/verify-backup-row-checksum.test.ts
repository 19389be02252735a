import { checksumCopyText, RowChecksum } from '@dbbackup/pg-engine';
import { describe, expect, it } from 'vitest';
import { createLineChecksumVerifier } from '../src/engines/data-member-verifier.js';

const body = Buffer.from(
  Array.from({ length: 500 }, (_, i) => `${i}\tname ${i} Zoë ☃\t${i % 3 === 0 ? '\\N' : `x\\ny ${i}`}\n`).join(''),
);
const expected = checksumCopyText(body);

/** Feeds `bytes` in chunks cut at the given sizes (cycling), as a decoding stream would. */
function feed(bytes: Buffer, sizes: number[]) {
  const verifier = createLineChecksumVerifier(() => new RowChecksum())();
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    verifier.update(bytes.subarray(at, at + size));
    at += size;
  }
  return verifier.finish();
}

describe('the line checksum verifier of verify-backup --deep', () => {
  it.each([[[1]], [[7]], [[3, 500, 1]], [[64 * 1024]], [[body.length]]])(
    'gives the same rows and checksum as the engine whatever the chunking (%j)',
    (sizes) => {
      expect(feed(body, sizes)).toEqual({ rows: 500, checksum: expected.checksum, unterminatedBytes: 0 });
    },
  );

  it('reports a member that ends inside a row', () => {
    const cut = body.subarray(0, body.length - 3);
    expect(feed(cut, [100]).unterminatedBytes).toBeGreaterThan(0);
  });

  it('an empty member has no rows and the empty checksum', () => {
    const verifier = createLineChecksumVerifier(() => new RowChecksum())();
    expect(verifier.finish()).toEqual({ rows: 0, checksum: checksumCopyText('').checksum, unterminatedBytes: 0 });
  });
});
