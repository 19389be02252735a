import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AuthenticationError } from '../../errors.js';
import { entryMatchesHost, knownHostsName, parseKnownHosts } from './known-hosts.js';

/** The host key is unknown, revoked or different from the one in known_hosts. */
export class HostKeyVerificationError extends AuthenticationError {
  readonly fingerprint: string;
  constructor(message: string, fingerprint: string) {
    super('sftp', message);
    this.fingerprint = fingerprint;
  }
}

/** What known_hosts says about one host: the keys it trusts and the ones it revoked. */
export interface KnownHostKeys {
  file: string;
  name: string;
  trusted: Array<{ keyType: string; key: Buffer }>;
  revoked: Buffer[];
}

export async function loadKnownHostKeys(file: string, host: string, port: number): Promise<KnownHostKeys> {
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const name = knownHostsName(host, port);
  const known: KnownHostKeys = { file, name, trusted: [], revoked: [] };
  for (const entry of parseKnownHosts(text)) {
    if (!entryMatchesHost(entry, name)) continue;
    if (entry.marker === 'revoked') known.revoked.push(entry.key);
    // Host certificates (@cert-authority) are not supported: such lines neither trust nor reject a plain key.
    else if (entry.marker === undefined) known.trusted.push({ keyType: entry.keyType, key: entry.key });
  }
  return known;
}

/** `SHA256:<base64 without padding>`, as ssh and ssh-keygen -l print it. */
export function hostKeyFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name at the start of an SSH public key blob (string keytype, then the key's fields). */
export function hostKeyType(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const length = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}

/** Undefined when the server's key is trusted; otherwise the error to fail the connection with. */
export function checkHostKey(known: KnownHostKeys, keyBlob: Buffer): HostKeyVerificationError | undefined {
  const fingerprint = hostKeyFingerprint(keyBlob);
  const offered = `${hostKeyType(keyBlob)} ${fingerprint}`;
  const scan = keyscanCommand(known.name, known.file);
  if (known.revoked.some((key) => key.equals(keyBlob))) {
    return new HostKeyVerificationError(
      `sftp: host key of ${known.name} (${offered}) is marked @revoked in ${known.file}; do not connect until the server has a new key`,
      fingerprint,
    );
  }
  if (known.trusted.some((entry) => entry.key.equals(keyBlob))) return undefined;
  if (known.trusted.length === 0) {
    return new HostKeyVerificationError(
      `sftp: host key of ${known.name} is not in ${known.file} (server offered ${offered}); check the fingerprint and add it with \`${scan}\`, or pass --sftp-insecure to skip the check`,
      fingerprint,
    );
  }
  return new HostKeyVerificationError(
    `sftp: HOST KEY MISMATCH for ${known.name}: server offered ${offered}, which is not the key in ${known.file} (possible man-in-the-middle); if the key really changed, run \`ssh-keygen -R '${known.name}' -f ${known.file}\` and \`${scan}\`, or pass --sftp-insecure`,
    fingerprint,
  );
}

function keyscanCommand(name: string, file: string): string {
  const bracketed = /^\[(.*)\]:(\d+)$/.exec(name);
  const target = bracketed ? `-p ${bracketed[2]} ${bracketed[1]}` : name;
  return `ssh-keyscan ${target} >> ${file}`;
}

/** Host-key algorithms ssh2 can verify; known_hosts may hold others (security keys, certificates). */
const SSH2_HOST_KEY_ALGORITHMS = new Set([
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
]);

/** Server host-key algorithms to ask for first, so the server offers the kind of key known_hosts holds. */
export function preferredHostKeyAlgorithms(known: KnownHostKeys): string[] {
  const algorithms = new Set<string>();
  for (const { keyType } of known.trusted) {
    const names = keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType];
    for (const name of names) if (SSH2_HOST_KEY_ALGORITHMS.has(name)) algorithms.add(name);
  }
  return [...algorithms];
}
