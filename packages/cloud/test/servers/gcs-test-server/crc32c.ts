/**
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), table-driven: the checksum GCS keeps for every object and
 * reports base64-encoded (big-endian) in `crc32c` and `x-goog-hash`. Written here rather than borrowed from the SDK
 * so the test server checks the SDK instead of agreeing with it by construction.
 */
const CASTAGNOLI_REFLECTED = 0x82f63b78;

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let value = byte;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? (value >>> 1) ^ CASTAGNOLI_REFLECTED : value >>> 1;
    table[byte] = value >>> 0;
  }
  return table;
})();

/** Running CRC32C: feed buffers in order, read `base64` at the end. */
export class Crc32c {
  #state = 0xffffffff;

  update(data: Uint8Array): this {
    let state = this.#state;
    for (let index = 0; index < data.length; index++) {
      state = (TABLE[(state ^ (data[index] as number)) & 0xff] as number) ^ (state >>> 8);
    }
    this.#state = state >>> 0;
    return this;
  }

  get value(): number {
    return (this.#state ^ 0xffffffff) >>> 0;
  }

  get base64(): string {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(this.value);
    return bytes.toString('base64');
  }
}

export function crc32cBase64(data: Uint8Array): string {
  return new Crc32c().update(data).base64;
}
