/** Non-secret settings of an S3 backend; credentials come from the SDK's environment (or `env`), never from here. */
export interface S3BackendOptions {
  bucket: string;
  /** Any S3-compatible endpoint (MinIO, B2, s3rver); defaults to AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL, then AWS. */
  endpoint?: string;
  /** Defaults to AWS_REGION / AWS_DEFAULT_REGION, the profile's region, or us-east-1 for a custom endpoint. */
  region?: string;
  /**
   * Where AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE, AWS_REGION and the endpoint
   * variables are read from instead of process.env (tests pass their own so they never touch process.env).
   */
  env?: NodeJS.ProcessEnv;
  /** Bytes per multipart part (S3's minimum is 5 MiB, which is also the default). */
  partSize?: number;
  /** Parts uploaded in parallel (default 4). */
  queueSize?: number;
  /** Attempts per request, parts included, through the SDK's retry strategy (default 5). */
  maxAttempts?: number;
}
