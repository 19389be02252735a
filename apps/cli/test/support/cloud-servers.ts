/**
 * The real local storage servers of packages/cloud's tests (s3rver, Azurite, the GCS JSON-API test server, a
 * throwaway OpenSSH sshd), started for the built CLI: each comes with a folder URI under a unique prefix, the SDK
 * environment variables and the CLI flags that reach it. s3rver and the GCS server run in this process, so the CLI
 * must be spawned asynchronously while they serve (a spawnSync would block the event loop they answer on).
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { OpenStorageOptions } from '@dbbackup/cloud';
import { startAzurite } from '../../../../packages/cloud/test/servers/azurite.js';
import { startGcsTestServer } from '../../../../packages/cloud/test/servers/gcs-test-server/index.js';
import { S3RVER_ENV, startS3rver } from '../../../../packages/cloud/test/servers/s3rver.js';
import { SSHD_BINARY, sshdAvailable, startSshd } from '../../../../packages/cloud/test/servers/sshd.js';

export const CLOUD_BACKEND_NAMES = ['s3', 'azure', 'gcs', 'sftp'] as const;
export type CloudBackendName = (typeof CLOUD_BACKEND_NAMES)[number];

export interface CloudServer {
  name: CloudBackendName;
  /** A folder URI ending in '/', under a prefix no other run uses. */
  uri: string;
  /** The SDK's credential / endpoint variables for the CLI's environment. */
  env: Record<string, string>;
  /** The CLI flags this backend needs (--cloud-endpoint, --sftp-key, --sftp-insecure). */
  flags: string[];
  /** The same settings for openStorage(), to look at the store from the test itself. */
  storageOptions: OpenStorageOptions;
  /** Another folder URI beside `uri` (same bucket / container / directory), so tests do not see each other's files. */
  folder(label: string): string;
  stop(): Promise<void>;
}

/** Why SFTP cannot run here, or undefined when sshd is installed. */
export async function sftpSkipReason(): Promise<string | undefined> {
  return (await sshdAvailable())
    ? undefined
    : `${SSHD_BINARY} is missing: install Debian openssh-server (apt-get install -y openssh-server) to run the SFTP cases`;
}

export async function startCloudServer(name: CloudBackendName): Promise<CloudServer> {
  switch (name) {
    case 's3':
      return startS3();
    case 'azure':
      return startAzure();
    case 'gcs':
      return startGcs();
    case 'sftp':
      return startSftp();
  }
}

function uniqueLabel(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

function describeServer(
  name: CloudBackendName,
  base: string,
  settings: Pick<CloudServer, 'env' | 'flags' | 'storageOptions' | 'stop'>,
): CloudServer {
  const folder = (label: string) => `${base}${uniqueLabel(label)}/`;
  return { name, uri: folder('cli'), folder, ...settings };
}

async function startS3(): Promise<CloudServer> {
  const bucket = uniqueLabel('dbbackup-cli');
  const server = await startS3rver(bucket);
  const env = {
    AWS_ACCESS_KEY_ID: S3RVER_ENV.AWS_ACCESS_KEY_ID!,
    AWS_SECRET_ACCESS_KEY: S3RVER_ENV.AWS_SECRET_ACCESS_KEY!,
  };
  return describeServer('s3', `s3://${bucket}/`, {
    env,
    flags: ['--cloud-endpoint', server.endpoint],
    storageOptions: { endpoint: server.endpoint, env },
    stop: () => server.stop(),
  });
}

/**
 * The Azure backend does not create containers (a backup store is provisioned once), so the test makes its own with
 * the SDK packages/cloud already depends on; only the two calls used here are typed.
 */
interface ContainerCreator {
  BlobServiceClient: {
    fromConnectionString(connectionString: string): {
      getContainerClient(container: string): { create(): Promise<unknown> };
    };
  };
}
const azureSdk = createRequire(new URL('../../../../packages/cloud/package.json', import.meta.url))(
  '@azure/storage-blob',
) as ContainerCreator;

async function startAzure(): Promise<CloudServer> {
  const server = await startAzurite();
  const container = uniqueLabel('dbbackup-cli');
  try {
    await azureSdk.BlobServiceClient.fromConnectionString(server.connectionString)
      .getContainerClient(container)
      .create();
  } catch (error) {
    await server.stop();
    throw error;
  }
  const env = { AZURE_STORAGE_CONNECTION_STRING: server.connectionString };
  return describeServer('azure', `azure://${container}/`, {
    env,
    flags: [],
    storageOptions: { env },
    stop: () => server.stop(),
  });
}

async function startGcs(): Promise<CloudServer> {
  const bucket = uniqueLabel('dbbackup-cli');
  const server = await startGcsTestServer({ buckets: [bucket] });
  // No metadata-server probe: the emulator needs no credentials, and a probe would wait for a timeout.
  const env = { STORAGE_EMULATOR_HOST: server.endpoint, METADATA_SERVER_DETECTION: 'none' };
  return describeServer('gcs', `gcs://${bucket}/`, {
    env,
    flags: [],
    storageOptions: { env },
    stop: () => server.close(),
  });
}

async function startSftp(): Promise<CloudServer> {
  const server = await startSshd();
  return describeServer('sftp', `sftp://${server.user}@${server.host}:${server.port}${server.dataDirectory}/`, {
    env: {},
    flags: ['--sftp-key', server.userKeyFile, '--sftp-insecure'],
    storageOptions: { sftpKeyFile: server.userKeyFile, sftpInsecure: true, env: {} },
    stop: () => server.stop(),
  });
}
