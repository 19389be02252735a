/** known_hosts parsing and matching (the host-key check itself runs against sshd in sftp.test.ts). */
import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHostKey, hostKeyFingerprint, loadKnownHostKeys } from '../src/backends/sftp/host-key-check.js';
import { entryMatchesHost, knownHostsName, parseKnownHosts } from '../src/backends/sftp/known-hosts.js';

/** A syntactically plausible ed25519 key blob: string "ssh-ed25519", string <32 bytes>. */
function keyBlob(fill: number): Buffer {
  const type = Buffer.from('ssh-ed25519');
  const key = Buffer.alloc(32, fill);
  const blob = Buffer.alloc(4 + type.length + 4 + key.length);
  blob.writeUInt32BE(type.length, 0);
  type.copy(blob, 4);
  blob.writeUInt32BE(key.length, 4 + type.length);
  key.copy(blob, 8 + type.length);
  return blob;
}

function hashedName(name: string, salt: Buffer): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts', () => {
  it('names hosts like ssh: bare on port 22, [host]:port otherwise', () => {
    expect(knownHostsName('backup.example', 22)).toBe('backup.example');
    expect(knownHostsName('backup.example', 2222)).toBe('[backup.example]:2222');
  });

  it('matches plain, wildcard, negated and hashed patterns', () => {
    const blob = keyBlob(1).toString('base64');
    const salt = Buffer.alloc(20, 9);
    const entries = parseKnownHosts(
      [
        '# comment',
        '',
        `backup.example,10.0.0.5 ssh-ed25519 ${blob}`,
        `*.corp.example,!secret.corp.example ssh-ed25519 ${blob}`,
        `[files.example]:2222 ssh-ed25519 ${blob} comment here`,
        `${hashedName('[hashed.example]:2200', salt)} ssh-ed25519 ${blob}`,
        `@revoked old.example ssh-ed25519 ${blob}`,
      ].join('\n'),
    );
    expect(entries).toHaveLength(5);
    const [plain, wildcard, ported, hashed, revoked] = entries;
    expect(entryMatchesHost(plain!, '10.0.0.5')).toBe(true);
    expect(entryMatchesHost(plain!, 'BACKUP.example')).toBe(true);
    expect(entryMatchesHost(plain!, '[backup.example]:2222')).toBe(false);
    expect(entryMatchesHost(wildcard!, 'db.corp.example')).toBe(true);
    expect(entryMatchesHost(wildcard!, 'secret.corp.example')).toBe(false);
    expect(entryMatchesHost(ported!, '[files.example]:2222')).toBe(true);
    expect(entryMatchesHost(ported!, 'files.example')).toBe(false);
    expect(entryMatchesHost(hashed!, '[hashed.example]:2200')).toBe(true);
    expect(entryMatchesHost(hashed!, 'hashed.example')).toBe(false);
    expect(revoked!.marker).toBe('revoked');
  });

  it('trusts a known key, refuses a different, unknown or revoked one with the fingerprint', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'dbbackup-known-hosts-'));
    try {
      const file = path.join(directory, 'known_hosts');
      await writeFile(
        file,
        [
          `[good.example]:2222 ssh-ed25519 ${keyBlob(1).toString('base64')}`,
          `@revoked bad.example ssh-ed25519 ${keyBlob(3).toString('base64')}`,
          `bad.example ssh-ed25519 ${keyBlob(3).toString('base64')}`,
        ].join('\n'),
      );
      const good = await loadKnownHostKeys(file, 'good.example', 2222);
      expect(checkHostKey(good, keyBlob(1))).toBeUndefined();
      const mismatch = checkHostKey(good, keyBlob(2));
      expect(mismatch?.message).toContain('MISMATCH');
      expect(mismatch?.message).toContain(hostKeyFingerprint(keyBlob(2)));
      expect(mismatch?.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);

      const unknown = checkHostKey(await loadKnownHostKeys(file, 'new.example', 22), keyBlob(1));
      expect(unknown?.message).toContain('ssh-keyscan new.example >>');
      expect(unknown?.message).toContain('--sftp-insecure');

      const revoked = checkHostKey(await loadKnownHostKeys(file, 'bad.example', 22), keyBlob(3));
      expect(revoked?.message).toContain('@revoked');

      const missingFile = await loadKnownHostKeys(path.join(directory, 'absent'), 'good.example', 2222);
      expect(checkHostKey(missingFile, keyBlob(1))?.message).toContain('is not in');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
