/**
 * What verify-backup --deep needs from an engine's data format: recount the rows of a data member's plaintext and,
 * when the engine records one, recompute its row checksum, so the result can be compared with the manifest entry.
 */
export interface DataMemberVerifier {
  /** Feed the member's plaintext in order. */
  update(chunk: Buffer): void;
  /** After the last chunk. `unterminatedBytes` > 0: the member ends inside a row, which a writer never does. */
  finish(): { rows: number; checksum: string | null; unterminatedBytes: number };
}

export type DataMemberVerifierFactory = () => DataMemberVerifier;

/** A checksum over newline-terminated rows, as engines export it (pg-engine's RowChecksum). */
export interface LineChecksum {
  rows: number;
  /** Hashes every complete line in bytes[start, end); returns the offset after the last '\n' consumed. */
  addLines(bytes: Uint8Array, start: number, end: number): number;
  hex(): string;
}

const NEWLINE = 0x0a;

/**
 * Adapts a line checksum to a chunked stream. A row may be split across chunks: the unfinished tail of a chunk is
 * kept and completed with the start of the next one, so only that one row is copied, never whole chunks.
 */
export function createLineChecksumVerifier(createChecksum: () => LineChecksum): DataMemberVerifierFactory {
  return () => {
    const checksum = createChecksum();
    let tail: Buffer | undefined;
    return {
      update(chunk) {
        let start = 0;
        if (tail) {
          const newline = chunk.indexOf(NEWLINE);
          if (newline < 0) {
            tail = Buffer.concat([tail, chunk]);
            return;
          }
          const row = Buffer.concat([tail, chunk.subarray(0, newline + 1)]);
          checksum.addLines(row, 0, row.length);
          tail = undefined;
          start = newline + 1;
        }
        const consumed = checksum.addLines(chunk, start, chunk.length);
        // A copy: the stream may reuse the chunk's memory after this call returns.
        if (consumed < chunk.length) tail = Buffer.from(chunk.subarray(consumed));
      },
      finish() {
        return { rows: checksum.rows, checksum: checksum.hex(), unterminatedBytes: tail?.length ?? 0 };
      },
    };
  };
}
