/**
 * Errors of @dbbackup/metrics. Each message is one actionable line (what went wrong + how to fix it); `code` is
 * stable so callers branch on it, never on the text.
 */
export class MetricsError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Another process already listens on the port the metrics server was asked to use. */
export class MetricsPortInUseError extends MetricsError {
  readonly host: string;
  readonly port: number;
  constructor(host: string, port: number, options?: ErrorOptions) {
    super(
      'METRICS_PORT_IN_USE',
      `port ${port} on ${host} is already in use (is another exporter running?); stop that process or choose another port with --port`,
      options,
    );
    this.host = host;
    this.port = port;
  }
}

/** The metrics server cannot listen for another reason: an address this machine does not have, a privileged port. */
export class MetricsListenError extends MetricsError {
  readonly host: string;
  readonly port: number;
  constructor(host: string, port: number, reason: string, options?: ErrorOptions) {
    super(
      'METRICS_LISTEN',
      `cannot listen on ${host}:${port} (${reason}); choose another address with --host or another port with --port`,
      options,
    );
    this.host = host;
    this.port = port;
  }
}

/** The textfile-collector file could not be written; the previous file, if any, is left as it was. */
export class TextfileWriteError extends MetricsError {
  readonly path: string;
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(
      'METRICS_TEXTFILE_WRITE',
      `cannot write the metrics file ${path} (${reason}); make sure its directory exists and is writable, or choose another --output FILE`,
      options,
    );
    this.path = path;
  }
}
