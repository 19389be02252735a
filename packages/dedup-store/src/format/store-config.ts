import type { ChunkerParameters } from '../chunker/chunker-parameters.js';
import { validateChunkerParameters } from '../chunker/chunker-parameters.js';
import { StoreFormatError } from '../errors.js';

/** The `config` object: what every process needs to read and write the store the same way. Plain JSON. */
export interface StoreConfig {
  format: 'dbbackup-dedup-store';
  version: 1;
  /** Random, 32 hex digits; also the salt of the keys derived from the data key. */
  id: string;
  created: string;
  chunker: ChunkerParameters & { algorithm: 'fastcdc-gear32' };
  compression: { algorithm: 'zstd'; level: number };
  /** Packs are closed once they reach this many bytes. */
  packSize: number;
  encryption: 'none' | 'AES-256-GCM';
}

export const STORE_FORMAT = 'dbbackup-dedup-store';
export const DEFAULT_PACK_SIZE = 16 * 1024 * 1024;
export const DEFAULT_COMPRESSION_LEVEL = 3;

export function encodeStoreConfig(config: StoreConfig): Buffer {
  return Buffer.from(`${JSON.stringify(config, null, 2)}\n`, 'utf8');
}

export function decodeStoreConfig(bytes: Buffer, location: string): StoreConfig {
  const damaged = (reason: string, cause?: unknown) =>
    new StoreFormatError(
      `the config of the dedup store at ${location} ${reason}: restore it from a copy, or use a dbbackup that supports it`,
      cause === undefined ? undefined : { cause },
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw damaged('is not JSON', error);
  }
  const config = parsed as Partial<StoreConfig> | null;
  if (config?.format !== STORE_FORMAT) throw damaged('is not a dbbackup dedup store config');
  if (config.version !== 1) throw damaged(`has format version ${String(config.version)}, newer than this dbbackup's 1`);
  if (typeof config.id !== 'string' || !/^[0-9a-f]{32}$/.test(config.id)) throw damaged('has no valid store id');
  if (config.chunker?.algorithm !== 'fastcdc-gear32') throw damaged('names an unknown chunker');
  if (config.compression?.algorithm !== 'zstd' || !Number.isInteger(config.compression.level)) {
    throw damaged('names an unknown compression');
  }
  if (config.encryption !== 'none' && config.encryption !== 'AES-256-GCM') throw damaged('names an unknown encryption');
  if (!Number.isInteger(config.packSize) || (config.packSize ?? 0) <= 0) throw damaged('has no valid pack size');
  try {
    validateChunkerParameters(config.chunker);
  } catch (error) {
    throw damaged('has invalid chunker parameters', error);
  }
  return config as StoreConfig;
}
