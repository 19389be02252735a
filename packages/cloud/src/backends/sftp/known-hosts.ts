/**
 * OpenSSH known_hosts, as sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT" describes it: `[marker] patterns keytype base64-key
 * [comment]`, where patterns are comma-separated host names with `*`/`?` wildcards and `!` negation, `[host]:port`
 * for a non-default port, or one hashed name `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`.
 */
import { createHmac } from 'node:crypto';

export interface KnownHostEntry {
  marker: 'revoked' | 'cert-authority' | undefined;
  patterns: string;
  keyType: string;
  key: Buffer;
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0] === '@revoked' ? 'revoked' : 'cert-authority';
      fields.shift();
    }
    const [patterns, keyType, keyBase64] = fields;
    if (patterns === undefined || keyType === undefined || keyBase64 === undefined) continue;
    entries.push({ marker, patterns, keyType, key: Buffer.from(keyBase64, 'base64') });
  }
  return entries;
}

/** The name ssh looks up for a host: the bare host on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Whether an entry's host patterns apply to `name` (see knownHostsName). */
export function entryMatchesHost(entry: KnownHostEntry, name: string): boolean {
  if (entry.patterns.startsWith('|1|')) return hashedNameMatches(entry.patterns, name);
  let matched = false;
  for (const pattern of entry.patterns.split(',')) {
    const negated = pattern.startsWith('!');
    if (!globMatches(negated ? pattern.slice(1) : pattern, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function hashedNameMatches(hashed: string, name: string): boolean {
  const [, , saltBase64, hashBase64] = hashed.split('|');
  if (saltBase64 === undefined || hashBase64 === undefined) return false;
  const digest = createHmac('sha1', Buffer.from(saltBase64, 'base64')).update(name).digest();
  return digest.equals(Buffer.from(hashBase64, 'base64'));
}

function globMatches(pattern: string, name: string): boolean {
  const source = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(name.toLowerCase());
}
