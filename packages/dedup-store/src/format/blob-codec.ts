import { createHash, createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { CorruptDataError, decryptBuffer, encryptBuffer } from '@dbbackup/crypto';
import { DamagedPackError } from '../errors.js';
import type { BlobType, PackBlobEntry } from './pack-format.js';

const zstdCompress = promisify(zlib.zstdCompress);

/** Keys of an encrypted store, both from its data key (see store-secrets.ts). */
export interface StoreSecrets {
  /** AES-256-GCM key for blobs, pack headers, index files and snapshots (@dbbackup/crypto's member format). */
  dataKey: Buffer;
  /** HMAC-SHA256 key for chunk ids, so an id does not reveal (or confirm a guess of) the content. */
  idKey: Buffer;
}

/** A blob ready to go into a pack. */
export interface EncodedBlob {
  id: Buffer;
  type: BlobType;
  compressed: boolean;
  stored: Buffer;
  plainLength: number;
}

/** What decoding needs to know about a stored blob. */
export type StoredBlobDescription = Pick<PackBlobEntry, 'id' | 'compressed' | 'plainLength'>;

/** The AAD of a blob: binds it to its id, so blobs cannot be swapped between places without failing authentication. */
function blobMember(id: Buffer): string {
  return `blob/${id.toString('hex')}`;
}

/**
 * Turns plain chunks into stored blobs and back: id (SHA-256, or HMAC-SHA256 in encrypted stores), zstd (kept only
 * when it saves bytes), then AES-256-GCM when the store is encrypted. Decoding checks everything and names the pack
 * and blob in a DamagedPackError.
 */
export class BlobCodec {
  private readonly secrets: StoreSecrets | null;
  private readonly zstdOptions: zlib.ZstdOptions;

  constructor(secrets: StoreSecrets | null, compressionLevel: number) {
    this.secrets = secrets;
    this.zstdOptions = { params: { [zlib.constants.ZSTD_c_compressionLevel]: compressionLevel } };
  }

  get encrypted(): boolean {
    return this.secrets !== null;
  }

  idOf(plain: Uint8Array): Buffer {
    return this.secrets
      ? createHmac('sha256', this.secrets.idKey).update(plain).digest()
      : createHash('sha256').update(plain).digest();
  }

  /** Compression runs on the libuv thread pool, so several chunks compress in parallel while the caller hashes. */
  async encode(plain: Buffer, type: BlobType, id: Buffer = this.idOf(plain)): Promise<EncodedBlob> {
    // Chunk lists are random ids: compressing them only burns CPU. pledgedSrcSize lets zstd size its window and
    // tables for one chunk instead of an unknown stream: about 3.5x faster per 128 KiB chunk at level 3.
    const packed =
      type === 'list' || plain.length === 0
        ? plain
        : await zstdCompress(plain, { ...this.zstdOptions, pledgedSrcSize: plain.length });
    const compressed = packed.length < plain.length;
    const body = compressed ? packed : plain;
    const stored = this.secrets ? encryptBuffer(this.secrets.dataKey, body, blobMember(id)) : body;
    return { id, type, compressed, stored, plainLength: plain.length };
  }

  /** Decrypts, decompresses and checks the id of one stored blob. */
  decode(stored: Buffer, blob: StoredBlobDescription, packId: string): Buffer {
    const blobHex = blob.id.toString('hex');
    let body = stored;
    if (this.secrets) {
      try {
        body = decryptBuffer(this.secrets.dataKey, stored, blobMember(blob.id));
      } catch (error) {
        if (!(error instanceof CorruptDataError)) throw error;
        throw new DamagedPackError(packId, blobHex, 'its encrypted bytes fail authentication', { cause: error });
      }
    }
    let plain = body;
    if (blob.compressed) {
      try {
        plain = zlib.zstdDecompressSync(body, { maxOutputLength: Math.max(1, blob.plainLength) });
      } catch (error) {
        throw new DamagedPackError(packId, blobHex, 'its zstd frame does not decompress', { cause: error });
      }
    }
    if (plain.length !== blob.plainLength) {
      throw new DamagedPackError(packId, blobHex, `it holds ${plain.length} bytes instead of ${blob.plainLength}`);
    }
    if (!this.idOf(plain).equals(blob.id)) {
      throw new DamagedPackError(packId, blobHex, 'its content does not match its id');
    }
    return plain;
  }

  /** Encrypts a whole object (pack header, index file, snapshot) when the store is encrypted; else returns it. */
  seal(plain: Buffer, member: string): Buffer {
    return this.secrets ? encryptBuffer(this.secrets.dataKey, plain, member) : plain;
  }

  /** Reverses seal; throws @dbbackup/crypto's CorruptDataError when an encrypted object fails authentication. */
  open(sealed: Buffer, member: string): Buffer {
    return this.secrets ? decryptBuffer(this.secrets.dataKey, sealed, member) : sealed;
  }
}
