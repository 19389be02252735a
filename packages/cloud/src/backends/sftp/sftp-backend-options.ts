/** Where an SFTP backend points and how it authenticates. Nothing here is secret except `password`, never logged. */
export interface SftpBackendOptions {
  host: string;
  /** Default 22. */
  port?: number;
  user: string;
  /** Directory on the server that holds the objects; relative paths start at the user's login directory. */
  root: string;
  /** Private key (OpenSSH or PEM format, unencrypted) used for public-key authentication. */
  keyFile?: string;
  /** Password authentication; the CLI takes it only from the environment or a prompt. */
  password?: string;
  /** Skip host-key verification (accept any host key). */
  insecure?: boolean;
  /** known_hosts file to verify the host key against; default ~/.ssh/known_hosts. */
  knownHostsFile?: string;
  /** Environment to read SSH_AUTH_SOCK and HOME from; default process.env. */
  env?: NodeJS.ProcessEnv;
}
