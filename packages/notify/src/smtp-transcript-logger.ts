import { format } from 'node:util';
import type { Logger, LoggerLevel } from 'nodemailer/lib/shared/index.js';
import type { Redactor } from './redactor.js';

const LEVELS: readonly LoggerLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/**
 * A nodemailer logger that writes the SMTP conversation to a sink, one redacted line at a time: "C: EHLO ...",
 * "S: 250-STARTTLS", plus nodemailer's own notes ("Connection upgraded with STARTTLS"). The MIME message itself
 * (logged line by line in debug mode) is left out; the transcript is about the conversation.
 */
export function createSmtpTranscriptLogger(sink: (line: string) => void, redact: Redactor): Logger {
  const write = (level: LoggerLevel, entry: { tnx?: string } | undefined, message: unknown, ...args: unknown[]) => {
    if (entry?.tnx === 'message' && level === 'debug') return;
    const prefix = entry?.tnx === 'client' ? 'C: ' : entry?.tnx === 'server' ? 'S: ' : '';
    for (let line of format(message, ...args).split(/\r?\n/)) {
      // "AUTH PLAIN <token>" carries the password in base64; nodemailer masks it, and so do we, whatever the method.
      if (entry?.tnx === 'client') line = line.replace(/^(AUTH\s+\S+)\s+\S.*$/i, '$1 ***');
      sink(redact(prefix + line));
    }
  };
  const logger = { level: () => {} } as unknown as Logger;
  for (const level of LEVELS) {
    (logger as unknown as Record<string, unknown>)[level] = (
      entry: { tnx?: string },
      message: unknown,
      ...args: unknown[]
    ) => write(level, entry, message, ...args);
  }
  return logger;
}
