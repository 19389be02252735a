/**
 * @dbbackup/cloud/backends: the cloud backends' constructors. A separate entry because each one loads its SDK
 * (tens of MB and about a second of startup together); the main entry's openStorage loads only the one a URI needs.
 */
export { createAzureBackend } from './backends/azure/index.js';
export { createGcsBackend } from './backends/gcs/index.js';
export { createS3Backend } from './backends/s3/index.js';
export { createSftpBackend } from './backends/sftp/index.js';
