import { rootCertificates } from 'node:tls';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { renderEmail } from './email-content.js';
import { NotifyDeliveryError } from './errors.js';
import type { NotificationMessage } from './notification-message.js';
import type { Notifier, NotifierDelivery, NotifierSendOptions } from './notifier.js';
import type { SmtpConfig } from './notify-config.js';
import { oneLine, type Redactor } from './redactor.js';
import { createSmtpTranscriptLogger } from './smtp-transcript-logger.js';

type SmtpTransporter = Transporter<SMTPTransport.SentMessageInfo>;

/**
 * Email through nodemailer's SMTP transport (loaded on the first message: it costs every command ~0.1 s of startup), one connection per message (no pool: an idle pooled connection would
 * keep a CLI process alive). TLS: implicit on port 465; otherwise STARTTLS whenever the server offers it, with the
 * certificate always verified, against Node's public roots plus NOTIFY_SMTP_CA_FILE.
 */
export class SmtpNotifier implements Notifier {
  readonly kind = 'smtp';
  readonly target: string;
  readonly #config: SmtpConfig;
  readonly #timeoutMs: number;
  readonly #redact: Redactor;
  /** The shared transport, made on first use. */
  #transport: Promise<SmtpTransporter> | undefined;

  constructor(config: SmtpConfig, options: { timeoutMs: number; redact: Redactor }) {
    this.#config = config;
    this.#timeoutMs = options.timeoutMs;
    this.#redact = options.redact;
    this.target = describeSmtpTarget(config);
  }

  async send(message: NotificationMessage, options: NotifierSendOptions = {}): Promise<NotifierDelivery> {
    if (options.signal?.aborted === true) throw abortError();
    const { subject, text } = renderEmail(message);
    const cc =
      options.escalate === true && this.#config.escalateTo.length > 0 ? [...this.#config.escalateTo] : undefined;
    const shared = options.transcript === undefined;
    if (shared) this.#transport ??= this.#createTransport();
    const transport = await (shared ? this.#transport! : this.#createTransport(options.transcript));
    try {
      const sending = transport.sendMail({
        from: this.#config.from,
        to: [...this.#config.to],
        cc,
        subject,
        text,
        priority: message.severity === 'critical' ? 'high' : 'normal',
        headers: {
          'X-Dbbackup-Event': message.events.length === 1 ? message.events[0]!.event : 'batch',
          'X-Dbbackup-Severity': message.severity,
        },
      });
      const info = await abortable(sending, options.signal);
      const rejected = info.rejected.map((address) => (typeof address === 'string' ? address : address.address));
      const response = oneLine(this.#redact(info.response ?? 'accepted'));
      return { response: rejected.length === 0 ? response : `${response} (rejected: ${rejected.join(', ')})` };
    } catch (error) {
      throw this.#deliveryError(error);
    } finally {
      if (!shared) transport.close();
    }
  }

  async close(): Promise<void> {
    (await this.#transport)?.close();
  }

  async #createTransport(transcript?: (line: string) => void): Promise<SmtpTransporter> {
    const { default: nodemailer } = await import('nodemailer');
    const { host, port, implicitTls, user, password, caFile } = this.#config;
    const options: SMTPTransport.Options = {
      host,
      port,
      secure: implicitTls,
      connectionTimeout: this.#timeoutMs,
      greetingTimeout: this.#timeoutMs,
      dnsTimeout: this.#timeoutMs,
      socketTimeout: this.#timeoutMs,
      tls: caFile === null ? {} : { ca: [...rootCertificates, caFile.pem] },
    };
    if (user !== null && password !== null) options.auth = { user, pass: password.reveal() };
    if (transcript !== undefined) {
      options.logger = createSmtpTranscriptLogger(transcript, this.#redact);
      options.debug = true;
    }
    return nodemailer.createTransport(options);
  }

  #deliveryError(error: unknown): NotifyDeliveryError {
    if (error instanceof NotifyDeliveryError) return error;
    const details = error as { message?: string; responseCode?: number; code?: string };
    let reason = oneLine(this.#redact(details.message ?? String(error)));
    if (/certificate/i.test(reason)) {
      reason += ` (trust the server's CA with NOTIFY_SMTP_CA_FILE, or fix its certificate)`;
    }
    // 5xx answers (bad login, unknown recipient, policy rejection) repeat on retry; 4xx and network errors may not.
    const permanent = typeof details.responseCode === 'number' && details.responseCode >= 500;
    return new NotifyDeliveryError(reason, { cause: error, permanent });
  }
}

export function describeSmtpTarget(config: SmtpConfig): string {
  const tls = config.implicitTls ? 'implicit TLS' : 'STARTTLS when offered';
  const ca = config.caFile === null ? '' : `, CA file ${config.caFile.path}`;
  const auth = config.user === null ? '' : `, user ${config.user}`;
  const escalation = config.escalateTo.length === 0 ? '' : `, Cc ${config.escalateTo.join(', ')} when critical`;
  return `smtp://${config.host}:${config.port} (${tls}${ca}${auth}) from ${config.from} to ${config.to.join(', ')}${escalation}`;
}

/** Resolves with the promise, or rejects as soon as the signal aborts (the socket then ends on its own timeout). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function abortError(): NotifyDeliveryError {
  return new NotifyDeliveryError('abandoned: close() stopped waiting', { permanent: true });
}
