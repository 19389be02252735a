import type { StorageLocation } from './storage-location.js';

/** The canonical URI of a location (never holds credentials): 's3://bucket/prefix/', 'sftp://u@h:22/srv/'. */
export function formatStorageLocation(location: StorageLocation): string {
  switch (location.kind) {
    case 's3':
    case 'gcs':
      return `${location.kind}://${location.bucket}/${location.prefix}`;
    case 'azure':
      return `azure://${location.container}/${location.prefix}`;
    case 'sftp': {
      const host = location.host.includes(':') ? `[${location.host}]` : location.host;
      const remote = location.path.startsWith('/') ? location.path : `/~/${location.path}`;
      return `sftp://${location.user}@${host}:${location.port}${remote.replace(/\/?$/, '/')}${location.prefix}`;
    }
    case 'local':
      return `file://${location.path.replace(/\/?$/, '/')}${location.prefix}`;
  }
}
