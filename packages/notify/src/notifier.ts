import type { NotificationMessage } from './notification-message.js';

/** How the dispatcher (or the test command) asks a notifier to send. */
export interface NotifierSendOptions {
  /** Aborted when close() stops waiting; a notifier stops as soon as it can. */
  signal?: AbortSignal;
  /** Include escalation recipients (SMTP: NOTIFY_ESCALATE_TO as Cc). Set for critical messages and for tests. */
  escalate?: boolean;
  /** Receives the conversation line by line (SMTP commands and answers, HTTP request and response), redacted. */
  transcript?: (line: string) => void;
}

/** What a successful send reports: the server's answer in one line, e.g. "250 2.0.0 Ok: queued" or "HTTP 204". */
export interface NotifierDelivery {
  response: string;
}

/**
 * One destination for notifications. `send` either delivers the whole message or rejects, preferably with a
 * NotifyDeliveryError (`permanent` when retrying cannot help); it never retries by itself: the dispatcher does.
 * Error messages and transcript lines must never contain credentials.
 */
export interface Notifier {
  /** Short kind for logs: "smtp", "webhook", "escalation webhook". */
  readonly kind: string;
  /** Where it sends, without credentials or URL tokens, e.g. "smtp://mail.example.com:587 (STARTTLS) to ops@x". */
  readonly target: string;
  send(message: NotificationMessage, options?: NotifierSendOptions): Promise<NotifierDelivery>;
  /** Releases connections; the notifier is not used afterwards. */
  close(): Promise<void>;
}
