import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { NotifyConfigError } from '../src/errors.js';
import { NOTIFY_EVENT_NAMES } from '../src/events.js';
import { notifyConfigFromEnv } from '../src/notify-config-from-env.js';
import { createSelfSignedCertificate } from './support/smtp-test-server.js';

const SMTP = {
  NOTIFY_SMTP_HOST: 'mail.example.com',
  NOTIFY_SMTP_FROM: 'dbbackup <backup@example.com>',
  NOTIFY_SMTP_TO: 'ops@example.com, dba@example.com',
};

function configError(env: Record<string, string>): NotifyConfigError {
  try {
    notifyConfigFromEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(NotifyConfigError);
    const configError = error as NotifyConfigError;
    expect(configError.code).toBe('NOTIFY_CONFIG');
    expect(configError.message).not.toContain('\n');
    return configError;
  }
  throw new Error(`expected a NotifyConfigError for ${JSON.stringify(env)}`);
}

describe('notifyConfigFromEnv', () => {
  const certificate = createSelfSignedCertificate();
  afterAll(() => rmSync(certificate.directory, { recursive: true, force: true }));

  it('returns null when nothing is configured (empty values count as unset)', () => {
    expect(notifyConfigFromEnv({})).toBeNull();
    expect(notifyConfigFromEnv({ NOTIFY_SMTP_HOST: '', PATH: '/usr/bin' })).toBeNull();
  });

  it('reads SMTP settings with their defaults', () => {
    const config = notifyConfigFromEnv(SMTP)!;
    expect(config.smtp).toMatchObject({
      host: 'mail.example.com',
      port: 587,
      implicitTls: false,
      user: null,
      password: null,
      from: 'dbbackup <backup@example.com>',
      to: ['ops@example.com', 'dba@example.com'],
      escalateTo: [],
      caFile: null,
    });
    expect(config.webhook).toBeNull();
    expect(config.events).toEqual(NOTIFY_EVENT_NAMES);
    expect(config.batchWindowMs).toBe(30_000);
    expect(config.escalateAfter).toBe(3);
    expect(config.attempts).toBe(3);
    expect(config.timeoutMs).toBe(10_000);
  });

  it('uses implicit TLS on port 465 and reads the other knobs', () => {
    const config = notifyConfigFromEnv({
      ...SMTP,
      NOTIFY_SMTP_PORT: '465',
      NOTIFY_SMTP_CA_FILE: certificate.caFile,
      NOTIFY_ESCALATE_TO: 'boss@example.com',
      NOTIFY_ESCALATE_AFTER: '5',
      NOTIFY_BATCH_WINDOW: '1m30s',
      NOTIFY_RETRIES: '1',
      NOTIFY_TIMEOUT: '2500ms',
      NOTIFY_EVENTS: 'backup_failed, rpo_violation',
    })!;
    expect(config.smtp?.implicitTls).toBe(true);
    expect(config.smtp?.caFile?.path).toBe(certificate.caFile);
    expect(config.smtp?.caFile?.pem).toContain('-----BEGIN CERTIFICATE-----');
    expect(config.smtp?.escalateTo).toEqual(['boss@example.com']);
    expect(config.escalateAfter).toBe(5);
    expect(config.batchWindowMs).toBe(90_000);
    expect(config.attempts).toBe(1);
    expect(config.timeoutMs).toBe(2500);
    expect(config.events).toEqual(['backup_failed', 'rpo_violation']);
    expect(notifyConfigFromEnv({ ...SMTP, NOTIFY_BATCH_WINDOW: '0' })?.batchWindowMs).toBe(0);
  });

  it('picks the webhook format from the URL unless told', () => {
    const slack = 'https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX';
    expect(notifyConfigFromEnv({ NOTIFY_WEBHOOK_URL: slack })?.webhook?.format).toBe('slack');
    expect(notifyConfigFromEnv({ NOTIFY_WEBHOOK_URL: 'https://example.com/hook' })?.webhook?.format).toBe('json');
    const forced = notifyConfigFromEnv({ NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:9/x', NOTIFY_WEBHOOK_FORMAT: 'slack' });
    expect(forced?.webhook?.format).toBe('slack');
    const escalation = notifyConfigFromEnv({ NOTIFY_ESCALATE_WEBHOOK_URL: slack, NOTIFY_WEBHOOK_SECRET: 's3cr3t' });
    expect(escalation?.escalationWebhook?.format).toBe('slack');
    expect(escalation?.webhook).toBeNull();
  });

  it('never shows secrets when the config is printed or serialised', () => {
    const config = notifyConfigFromEnv({
      ...SMTP,
      NOTIFY_SMTP_USER: 'backup',
      NOTIFY_SMTP_PASSWORD: 'hunter2-password',
      NOTIFY_WEBHOOK_URL: 'https://example.com/hook',
      NOTIFY_WEBHOOK_SECRET: 'webhook-signing-secret',
    })!;
    for (const text of [JSON.stringify(config), inspect(config, { depth: 10 }), String(config.smtp?.password)]) {
      expect(text).not.toContain('hunter2-password');
      expect(text).not.toContain('webhook-signing-secret');
    }
    expect(config.smtp?.password?.reveal()).toBe('hunter2-password');
  });

  it.each([
    [{ ...SMTP, NOTIFY_SMTP_PORT: 'abc' }, 'NOTIFY_SMTP_PORT', /not a port number: set an integer from 1 to 65535/],
    [{ ...SMTP, NOTIFY_SMTP_PORT: '70000' }, 'NOTIFY_SMTP_PORT', /not a port number/],
    [{ ...SMTP, NOTIFY_SMTP_FROM: '' }, 'NOTIFY_SMTP_FROM', /NOTIFY_SMTP_FROM is not set but NOTIFY_SMTP_HOST is/],
    [{ ...SMTP, NOTIFY_SMTP_FROM: 'backup' }, 'NOTIFY_SMTP_FROM', /is not an email address/],
    [{ ...SMTP, NOTIFY_SMTP_TO: undefined }, 'NOTIFY_SMTP_TO', /NOTIFY_SMTP_TO is not set/],
    [{ ...SMTP, NOTIFY_SMTP_TO: 'ops@example.com,nobody' }, 'NOTIFY_SMTP_TO', /entry "nobody" is not an email address/],
    [{ ...SMTP, NOTIFY_SMTP_USER: 'backup' }, 'NOTIFY_SMTP_PASSWORD', /set both for SMTP AUTH, or neither/],
    [{ ...SMTP, NOTIFY_SMTP_PASSWORD: 'x' }, 'NOTIFY_SMTP_USER', /NOTIFY_SMTP_PASSWORD is set but NOTIFY_SMTP_USER/],
    [{ ...SMTP, NOTIFY_SMTP_CA_FILE: '/nonexistent/ca.pem' }, 'NOTIFY_SMTP_CA_FILE', /cannot be read \(ENOENT\)/],
    [{ NOTIFY_SMTP_TO: 'ops@example.com' }, 'NOTIFY_SMTP_TO', /no notifier is configured/],
    [
      { NOTIFY_WEBHOOK_URL: 'https://e.com/h', NOTIFY_SMTP_TO: 'ops@example.com' },
      'NOTIFY_SMTP_TO',
      /NOTIFY_SMTP_TO is set but NOTIFY_SMTP_HOST is not/,
    ],
    [{ ...SMTP, NOTIFY_WEBHOOK_SECRET: 'x' }, 'NOTIFY_WEBHOOK_SECRET', /no webhook is/],
    [{ NOTIFY_WEBHOOK_URL: 'ftp://example.com/x' }, 'NOTIFY_WEBHOOK_URL', /not a valid http\(s\) URL/],
    [{ NOTIFY_WEBHOOK_URL: 'not a url' }, 'NOTIFY_WEBHOOK_URL', /not a valid http\(s\) URL/],
    [
      { NOTIFY_WEBHOOK_URL: 'https://e.com/h', NOTIFY_WEBHOOK_FORMAT: 'xml' },
      'NOTIFY_WEBHOOK_FORMAT',
      /use json, slack or auto/,
    ],
    [{ ...SMTP, NOTIFY_WEBHOOK_FORMAT: 'json' }, 'NOTIFY_WEBHOOK_FORMAT', /NOTIFY_WEBHOOK_URL is not/],
    [
      { NOTIFY_WEBHOOK_URL: 'https://e.com/h', NOTIFY_ESCALATE_TO: 'b@e.com' },
      'NOTIFY_ESCALATE_TO',
      /NOTIFY_SMTP_HOST/,
    ],
    [{ ...SMTP, NOTIFY_ESCALATE_AFTER: '0' }, 'NOTIFY_ESCALATE_AFTER', /whole number from 1/],
    [{ ...SMTP, NOTIFY_RETRIES: 'three' }, 'NOTIFY_RETRIES', /whole number from 1 to 10/],
    [{ ...SMTP, NOTIFY_BATCH_WINDOW: '30' }, 'NOTIFY_BATCH_WINDOW', /not a duration: write a number with a unit/],
    [{ ...SMTP, NOTIFY_TIMEOUT: '0' }, 'NOTIFY_TIMEOUT', /not a duration/],
  ] as Array<[Record<string, string>, string, RegExp]>)('%j is refused naming %s', (env, variable, message) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(variable);
  });

  it('names the valid events when NOTIFY_EVENTS has an unknown one', () => {
    const error = configError({ ...SMTP, NOTIFY_EVENTS: 'backup_failed,backup_done' });
    expect(error.variable).toBe('NOTIFY_EVENTS');
    expect(error.message).toContain('unknown event "backup_done"');
    for (const name of NOTIFY_EVENT_NAMES) expect(error.message).toContain(name);
  });

  it('does not echo webhook URLs (they carry tokens) or passwords in errors', () => {
    const error = configError({ NOTIFY_WEBHOOK_URL: 'gopher://secret-token@example.com/x' });
    expect(error.message).not.toContain('secret-token');
  });

  it('refuses a CA file without a certificate', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'notify-ca-'));
    try {
      const file = path.join(directory, 'ca.pem');
      writeFileSync(file, 'not a certificate\n');
      const error = configError({ ...SMTP, NOTIFY_SMTP_CA_FILE: file });
      expect(error.message).toMatch(/holds no valid PEM certificate/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
