import { describe, expect, it } from 'vitest';
import { createRedactor } from '../src/redactor.js';
import { createSmtpTranscriptLogger } from '../src/smtp-transcript-logger.js';

describe('redaction', () => {
  const redact = createRedactor({
    secrets: ['pa55word', 'hook-secret'],
    smtpUser: 'mailer',
    urls: [
      { url: 'https://hooks.slack.com/services/T1/B2/TOKEN', description: 'https://hooks.slack.com/services/***' },
    ],
  });

  it('replaces secrets in plain, base64, URL-encoded and AUTH PLAIN form, and token URLs', () => {
    const plainToken = Buffer.from('\0mailer\0pa55word').toString('base64');
    const line = `pa55word ${Buffer.from('pa55word').toString('base64')} ${plainToken} hook-secret https://hooks.slack.com/services/T1/B2/TOKEN`;
    expect(redact(line)).toBe('*** *** *** *** https://hooks.slack.com/services/***');
  });

  it('masks the argument of client AUTH lines in the SMTP transcript, even if nodemailer did not', () => {
    const lines: string[] = [];
    const logger = createSmtpTranscriptLogger((line) => lines.push(line), createRedactor({ secrets: [] }));
    logger.debug({ tnx: 'server' }, '250-AUTH PLAIN LOGIN');
    logger.debug({ tnx: 'client' }, `AUTH PLAIN ${Buffer.from('\0mailer\0other-password').toString('base64')}`);
    logger.debug({ tnx: 'client' }, 'AUTH LOGIN');
    logger.debug({ tnx: 'message' }, 'Subject: body lines are left out');
    logger.info({ tnx: 'network' }, 'Connection established to %s:%d', '127.0.0.1', 25);
    expect(lines).toEqual([
      'S: 250-AUTH PLAIN LOGIN',
      'C: AUTH PLAIN ***',
      'C: AUTH LOGIN',
      'Connection established to 127.0.0.1:25',
    ]);
  });
});
