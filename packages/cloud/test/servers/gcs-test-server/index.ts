export { Crc32c, crc32cBase64 } from './crc32c.js';
export {
  type GcsTestServer,
  type GcsTestServerOptions,
  type RecordedRequest,
  startGcsTestServer,
} from './gcs-test-server.js';
