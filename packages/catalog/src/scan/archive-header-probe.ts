import { open } from 'node:fs/promises';
import { type ArchiveHeader, archiveHeaderSchema, HEADER_MEMBER_NAME, MANIFEST_MEMBER_NAME } from '@dbbackup/archive';

const BLOCK_SIZE = 512;
const MAX_HEADER_BYTES = 1024 * 1024;

export interface HeaderProbe {
  /** header.json, parsed; null when the file does not start with one. */
  header: ArchiveHeader | null;
  /** Whether a manifest.json member follows (the backup finished). */
  hasManifest: boolean;
}

/**
 * Reads what an encrypted archive shows without its key: the plain header.json (first member) and whether the tar
 * holds a manifest.json (last member, written only when the backup completed). Walks the tar headers only, one
 * 512-byte block per member. ArchiveReader cannot do this: it needs the key before it looks for the manifest.
 */
export async function probeArchiveHeader(path: string): Promise<HeaderProbe> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const block = Buffer.alloc(BLOCK_SIZE);
    let header: ArchiveHeader | null = null;
    let hasManifest = false;
    let offset = 0;
    let first = true;
    while (offset + BLOCK_SIZE <= size) {
      const { bytesRead } = await file.read(block, 0, BLOCK_SIZE, offset);
      if (bytesRead < BLOCK_SIZE || block.every((byte) => byte === 0)) break;
      const entry = parseBlock(block);
      if (entry === null) break;
      const bodyOffset = offset + BLOCK_SIZE;
      if (first) {
        if (entry.name !== HEADER_MEMBER_NAME || entry.size > MAX_HEADER_BYTES) break;
        const body = Buffer.alloc(entry.size);
        await file.read(body, 0, entry.size, bodyOffset);
        const parsed = archiveHeaderSchema.safeParse(parseJson(body));
        if (!parsed.success) break;
        header = parsed.data;
        first = false;
      } else if (entry.name === MANIFEST_MEMBER_NAME && entry.typeflag !== 'x' && entry.typeflag !== 'g') {
        hasManifest = bodyOffset + entry.size <= size;
        break;
      }
      offset = bodyOffset + Math.ceil(entry.size / BLOCK_SIZE) * BLOCK_SIZE;
    }
    return { header, hasManifest };
  } finally {
    await file.close();
  }
}

function parseBlock(block: Buffer): { name: string; size: number; typeflag: string } | null {
  const nameEnd = block.indexOf(0, 0);
  const name = block.toString('utf8', 0, nameEnd < 0 || nameEnd > 100 ? 100 : nameEnd);
  const size = readSize(block);
  if (size === null) return null;
  return { name, size, typeflag: String.fromCharCode(block[156]!) };
}

/** Octal text, or base-256 (high bit set) for members over 8 GiB. */
function readSize(block: Buffer): number | null {
  if ((block[124]! & 0x80) !== 0) {
    let value = 0;
    for (let index = 125; index < 136; index++) value = value * 256 + block[index]!;
    return Number.isSafeInteger(value) ? value : null;
  }
  const text = block
    .toString('latin1', 124, 136)
    .replace(/[\0 ]+$/, '')
    .trim();
  return /^[0-7]+$/.test(text) ? Number.parseInt(text, 8) : null;
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
}
