import path from 'node:path';
import { InvalidStorageUriError } from '../errors.js';
import type { StorageLocation } from './storage-location.js';

export const ACCEPTED_STORAGE_URIS =
  's3://bucket/prefix/, azure://container/prefix/, gcs://bucket/prefix/, sftp://user@host[:port]/path/, ' +
  'file:///directory/ or a plain directory path';

const SCHEME_PATTERN = /^(s3|azure|gcs|gs|sftp|file):\/\//i;
const ANY_SCHEME_PATTERN = /^([a-z][a-z0-9+.-]*):\/\//i;
const BUCKET_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const DEFAULT_SFTP_PORT = 22;

/** Whether `text` names cloud or file storage by scheme (s3://, azure://, gcs:// or gs://, sftp://, file://). */
export function isStorageUri(text: string): boolean {
  return SCHEME_PATTERN.test(text.trim());
}

function fail(uri: string, why: string): never {
  throw new InvalidStorageUriError(
    `invalid storage URI ${JSON.stringify(uri)}: ${why}; accepted: ${ACCEPTED_STORAGE_URIS}`,
  );
}

function decode(uri: string, text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return fail(uri, `bad percent-encoding in ${JSON.stringify(text)}`);
  }
}

/** '/a/b' or 'a/b/' → 'a/b/'; '' or '/' → ''. Refuses empty, '.' and '..' segments. */
function normalizePrefix(uri: string, text: string): string {
  const segments = text.split('/').filter((segment, index, all) => {
    // leading and trailing slashes are fine; slashes in a row are not
    return !(segment === '' && (index === 0 || index === all.length - 1));
  });
  if (segments.length === 0) return '';
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') {
      fail(uri, `the path ${JSON.stringify(text)} has an empty, '.' or '..' part`);
    }
  }
  return `${segments.map((segment) => decode(uri, segment)).join('/')}/`;
}

function splitAuthority(rest: string): { authority: string; path: string } {
  const slash = rest.indexOf('/');
  return slash < 0 ? { authority: rest, path: '' } : { authority: rest.slice(0, slash), path: rest.slice(slash) };
}

function parseBucketUri(uri: string, kind: 's3' | 'azure' | 'gcs', rest: string): StorageLocation {
  const { authority, path: pathPart } = splitAuthority(rest);
  const noun = kind === 'azure' ? 'container' : 'bucket';
  if (authority.includes('@')) {
    fail(uri, `credentials do not belong in the URI; set them in the environment (${kind} SDK defaults)`);
  }
  if (authority === '') fail(uri, `the ${noun} name is missing (${kind}://${noun}/prefix/)`);
  if (!BUCKET_PATTERN.test(authority)) fail(uri, `${JSON.stringify(authority)} is not a valid ${noun} name`);
  const prefix = normalizePrefix(uri, pathPart);
  if (kind === 'azure') return { kind, container: authority, prefix };
  return { kind, bucket: authority, prefix };
}

function parseSftpUri(uri: string, rest: string): StorageLocation {
  const { authority, path: pathPart } = splitAuthority(rest);
  const at = authority.lastIndexOf('@');
  if (at < 0) fail(uri, 'the user is missing (sftp://user@host[:port]/path/)');
  const userInfo = authority.slice(0, at);
  if (userInfo.includes(':')) {
    fail(uri, 'a password does not belong in the URI; use a key file or the password option (SFTP_PASSWORD)');
  }
  const user = decode(uri, userInfo);
  if (user === '') fail(uri, 'the user is empty (sftp://user@host[:port]/path/)');
  const hostPort = authority.slice(at + 1);
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(hostPort);
  if (!match) fail(uri, `${JSON.stringify(hostPort)} is not host or host:port`);
  const host = (match[1] ?? match[2])!;
  const port = match[3] === undefined ? DEFAULT_SFTP_PORT : Number(match[3]);
  if (!(port >= 1 && port <= 65_535)) fail(uri, `port ${match[3]} is outside 1-65535`);

  // sftp://host/~/backups is relative to the user's home; sftp://host/srv/backups is absolute.
  const homeRelative = pathPart === '/~' || pathPart.startsWith('/~/');
  const normalized = normalizePrefix(uri, homeRelative ? pathPart.slice(2) : pathPart);
  const directory = normalized.replace(/\/$/, '');
  const remotePath = homeRelative ? directory || '.' : `/${directory}`;
  return { kind: 'sftp', user, host, port, path: remotePath, prefix: '' };
}

function parseFileUri(uri: string, rest: string): StorageLocation {
  if (!rest.startsWith('/')) {
    fail(uri, 'file URIs need an absolute path (file:///var/backups/, three slashes) or use a plain path');
  }
  return { kind: 'local', path: path.resolve(decode(uri, rest)), prefix: '' };
}

/**
 * Parses where backups are kept: s3://bucket/prefix/, azure://container/prefix/, gcs://bucket/prefix/ (or gs://),
 * sftp://user@host[:port]/path/ (/~/path for home-relative), file:///directory/ or a plain path. Credentials never
 * go in the URI. Throws InvalidStorageUriError naming the accepted forms.
 */
export function parseStorageUri(uri: string): StorageLocation {
  const text = uri.trim();
  if (text === '') fail(uri, 'it is empty');
  const scheme = ANY_SCHEME_PATTERN.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'local', path: path.resolve(text), prefix: '' };
  if (/[?#]/.test(text)) fail(uri, 'query strings and fragments are not supported');
  const rest = text.slice(scheme.length + 3);
  switch (scheme) {
    case 's3':
      return parseBucketUri(uri, 's3', rest);
    case 'azure':
      return parseBucketUri(uri, 'azure', rest);
    case 'gcs':
    case 'gs':
      return parseBucketUri(uri, 'gcs', rest);
    case 'sftp':
      return parseSftpUri(uri, rest);
    case 'file':
      return parseFileUri(uri, rest);
    default:
      return fail(uri, `unknown scheme ${scheme}://`);
  }
}
