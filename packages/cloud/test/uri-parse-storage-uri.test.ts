import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidStorageUriError } from '../src/errors.js';
import { isStorageUri, parseStorageUri } from '../src/uri/index.js';

describe('parseStorageUri', () => {
  it('parses bucket and container URIs into a normalized prefix', () => {
    expect(parseStorageUri('s3://backups/prod/db/')).toEqual({ kind: 's3', bucket: 'backups', prefix: 'prod/db/' });
    expect(parseStorageUri('s3://backups')).toEqual({ kind: 's3', bucket: 'backups', prefix: '' });
    expect(parseStorageUri('s3://backups/')).toEqual({ kind: 's3', bucket: 'backups', prefix: '' });
    expect(parseStorageUri('S3://backups/prod')).toEqual({ kind: 's3', bucket: 'backups', prefix: 'prod/' });
    expect(parseStorageUri('azure://dumps/nightly')).toEqual({ kind: 'azure', container: 'dumps', prefix: 'nightly/' });
    expect(parseStorageUri('gcs://my-bucket/a/b/')).toEqual({ kind: 'gcs', bucket: 'my-bucket', prefix: 'a/b/' });
    expect(parseStorageUri('gs://my-bucket/a%20b/')).toEqual({ kind: 'gcs', bucket: 'my-bucket', prefix: 'a b/' });
  });

  it('parses sftp URIs with user, host, port and root path', () => {
    expect(parseStorageUri('sftp://backup@db1.example.com/srv/backups/')).toEqual({
      kind: 'sftp',
      user: 'backup',
      host: 'db1.example.com',
      port: 22,
      path: '/srv/backups',
      prefix: '',
    });
    expect(parseStorageUri('sftp://backup@127.0.0.1:2222/')).toMatchObject({ port: 2222, path: '/' });
    expect(parseStorageUri('sftp://backup@[::1]:2200/x')).toMatchObject({ host: '::1', port: 2200, path: '/x' });
    expect(parseStorageUri('sftp://backup@host/~/dumps/')).toMatchObject({ path: 'dumps' });
    expect(parseStorageUri('sftp://backup@host/~')).toMatchObject({ path: '.' });
  });

  it('parses file URIs and plain paths as local directories', () => {
    expect(parseStorageUri('file:///var/backups/')).toEqual({ kind: 'local', path: '/var/backups', prefix: '' });
    expect(parseStorageUri('/var/backups')).toEqual({ kind: 'local', path: '/var/backups', prefix: '' });
    expect(parseStorageUri('backups')).toEqual({ kind: 'local', path: path.resolve('backups'), prefix: '' });
  });

  it('refuses bad URIs with the accepted forms in the message', () => {
    const cases: Array<[string, RegExp]> = [
      ['s3://', /bucket name is missing/],
      ['s3://key:secret@bucket/x', /credentials do not belong in the URI/],
      ['azure://bad name/x', /not a valid container name/],
      ['s3://bucket/a//b/', /empty, '\.' or '\.\.' part/],
      ['gcs://bucket/../x', /empty, '\.' or '\.\.' part/],
      ['sftp://host/path', /user is missing/],
      ['sftp://user:pw@host/path', /password does not belong/],
      ['sftp://user@host:99999/path', /outside 1-65535/],
      ['file://relative/dir', /absolute path/],
      ['ftp://host/dir', /unknown scheme ftp/],
      ['s3://bucket/x?versionId=1', /query strings/],
      ['  ', /it is empty/],
    ];
    for (const [uri, why] of cases) {
      expect(() => parseStorageUri(uri), uri).toThrow(InvalidStorageUriError);
      expect(() => parseStorageUri(uri), uri).toThrow(why);
      expect(() => parseStorageUri(uri), uri).toThrow(/accepted: s3:\/\/bucket\/prefix\//);
    }
  });
});

describe('isStorageUri', () => {
  it('recognizes the storage schemes only', () => {
    for (const uri of ['s3://b/', 'azure://c', 'gcs://b', 'gs://b', 'sftp://u@h/', 'file:///x']) {
      expect(isStorageUri(uri), uri).toBe(true);
    }
    for (const text of ['/var/backups', 'backup.dbb.tar', 'postgres://localhost/db', 'https://x']) {
      expect(isStorageUri(text), text).toBe(false);
    }
  });
});
