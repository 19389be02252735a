/** The S3 backend (AWS S3, MinIO, Backblaze B2, any S3-compatible endpoint). */
export { createS3Backend } from './s3-backend.js';
export type { S3BackendOptions } from './s3-backend-options.js';
