export interface GcsBackendOptions {
  /** The bucket every key lives in. */
  bucket: string;
  /**
   * Where credentials and emulator settings come from (default process.env): GOOGLE_APPLICATION_CREDENTIALS names a
   * service-account key file (otherwise the SDK's application-default credentials apply); STORAGE_EMULATOR_HOST
   * (`http://127.0.0.1:4443/storage/v1` or `http://127.0.0.1:4443`) points at an emulator and turns auth off.
   */
  env?: NodeJS.ProcessEnv;
  /** Another JSON-API endpoint (`http://127.0.0.1:4443`); a loopback one is treated as an emulator (no auth). */
  apiEndpoint?: string;
  /** Only needed for requests the backend does not make (bucket creation); harmless otherwise. */
  projectId?: string;
  /** Bytes per resumable-upload request, a multiple of 256 KiB (default 8 MiB); the SDK retries one chunk. */
  chunkSize?: number;
}

/** GCS rejects non-final resumable chunks that are not a multiple of 256 KiB. */
export const GCS_CHUNK_GRANULARITY = 256 * 1024;
export const DEFAULT_GCS_CHUNK_SIZE = 32 * GCS_CHUNK_GRANULARITY;
