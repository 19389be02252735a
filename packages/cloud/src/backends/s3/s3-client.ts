import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3BackendOptions } from './s3-backend-options.js';

const defaultMaxAttempts = 5;

/** The endpoint the options or the environment name, or undefined for AWS itself. */
function resolveS3Endpoint(options: S3BackendOptions): string | undefined {
  const environment = options.env ?? process.env;
  return options.endpoint ?? nonEmpty(environment.AWS_ENDPOINT_URL_S3) ?? nonEmpty(environment.AWS_ENDPOINT_URL);
}

/**
 * Builds the client. Credentials stay with the SDK: its default chain (environment, shared files, SSO, instance
 * metadata) unless `env` is given, whose keys (or profile) are then used explicitly so process.env is never read.
 */
export function createS3Client(options: S3BackendOptions): S3Client {
  const environment = options.env ?? process.env;
  const endpoint = resolveS3Endpoint(options);
  const region =
    options.region ??
    nonEmpty(environment.AWS_REGION) ??
    nonEmpty(environment.AWS_DEFAULT_REGION) ??
    // Custom endpoints (MinIO, s3rver) rarely care about the region, but SigV4 needs one.
    (endpoint === undefined ? undefined : 'us-east-1');
  const config: S3ClientConfig = {
    maxAttempts: options.maxAttempts ?? defaultMaxAttempts,
    ...(region === undefined ? {} : { region }),
    // Path-style URLs (http://host/bucket/key) work on every S3-compatible server; virtual hosts need DNS for each bucket.
    ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true }),
  };
  if (options.env !== undefined) {
    const accessKeyId = nonEmpty(options.env.AWS_ACCESS_KEY_ID);
    const secretAccessKey = nonEmpty(options.env.AWS_SECRET_ACCESS_KEY);
    const sessionToken = nonEmpty(options.env.AWS_SESSION_TOKEN);
    const profile = nonEmpty(options.env.AWS_PROFILE);
    if (accessKeyId !== undefined && secretAccessKey !== undefined) {
      config.credentials = { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) };
    } else if (profile !== undefined) {
      config.profile = profile;
    }
  }
  return new S3Client(config);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
