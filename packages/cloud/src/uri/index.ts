export { formatStorageLocation } from './format-storage-location.js';
export { ACCEPTED_STORAGE_URIS, isStorageUri, parseStorageUri } from './parse-storage-uri.js';
export type { StorageLocation, StorageLocationKind } from './storage-location.js';
