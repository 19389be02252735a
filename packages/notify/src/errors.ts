/**
 * Errors of the notify package. Each message is one actionable line: what went wrong and how to fix it. `code` is
 * stable, so callers can branch on it instead of on message text. Messages never contain a password or secret.
 */
export class NotifyError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A NOTIFY_* environment variable is missing, malformed or contradicts another one. */
export class NotifyConfigError extends NotifyError {
  /** The variable at fault, e.g. "NOTIFY_SMTP_PORT". */
  readonly variable: string;
  constructor(variable: string, message: string, options?: ErrorOptions) {
    super('NOTIFY_CONFIG', message, options);
    this.variable = variable;
  }
}

/**
 * One delivery attempt failed. `permanent` means retrying cannot help (an HTTP 4xx other than 408/429, an SMTP 5xx
 * answer such as a rejected login or recipient), so the retry loop stops early.
 */
export class NotifyDeliveryError extends NotifyError {
  readonly permanent: boolean;
  constructor(message: string, options?: ErrorOptions & { permanent?: boolean }) {
    super('NOTIFY_DELIVERY', message, options);
    this.permanent = options?.permanent ?? false;
  }
}
