import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifyDispatcher } from '../src/create-notify-dispatcher.js';
import { notifyConfigFromEnv } from '../src/notify-config-from-env.js';
import { sendTestNotification } from '../src/send-test-notification.js';
import {
  createSelfSignedCertificate,
  removeDirectory,
  type SmtpTestServer,
  startSmtpTestServer,
} from './support/smtp-test-server.js';

const USER = 'backup-sender';
const PASSWORD = 'Sup3r-S3cret-Passw0rd';

describe('SMTP notifier against a real smtp-server (STARTTLS + AUTH)', () => {
  const certificate = createSelfSignedCertificate();
  let server: SmtpTestServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startSmtpTestServer({ tls: certificate, user: USER, password: PASSWORD });
    env = {
      NOTIFY_SMTP_HOST: '127.0.0.1',
      NOTIFY_SMTP_PORT: String(server.port),
      NOTIFY_SMTP_USER: USER,
      NOTIFY_SMTP_PASSWORD: PASSWORD,
      NOTIFY_SMTP_FROM: 'dbbackup <backup@example.com>',
      NOTIFY_SMTP_TO: 'ops@example.com,dba@example.com',
      NOTIFY_SMTP_CA_FILE: certificate.caFile,
      NOTIFY_ESCALATE_TO: 'oncall@example.com',
    };
  });
  afterAll(async () => {
    await server.close();
    removeDirectory(certificate.directory);
  });

  function mailsSince(count: number) {
    return server.mails.slice(count);
  }

  it('sends a test mail over STARTTLS with AUTH and reports a transcript without the password', async () => {
    const before = server.mails.length;
    const reports = await sendTestNotification(notifyConfigFromEnv(env)!, { verbose: true, database: 'shop' });
    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(report).toMatchObject({ kind: 'smtp', ok: true });
    expect(report!.detail).toMatch(/^250/);
    expect(report!.target).toBe(
      `smtp://127.0.0.1:${server.port} (STARTTLS when offered, CA file ${certificate.caFile}, user ${USER}) from dbbackup <backup@example.com> to ops@example.com, dba@example.com, Cc oncall@example.com when critical`,
    );

    const transcript = report!.transcript.join('\n');
    expect(transcript).toContain('C: STARTTLS');
    expect(transcript).toContain('Connection upgraded with STARTTLS');
    expect(transcript).toContain('S: 250 AUTH PLAIN LOGIN');
    expect(transcript).toContain('C: AUTH PLAIN ***');
    expect(transcript).toMatch(/S: 235/);
    for (const form of [
      PASSWORD,
      Buffer.from(PASSWORD).toString('base64'),
      Buffer.from(`\0${USER}\0${PASSWORD}`).toString('base64'),
    ]) {
      expect(transcript).not.toContain(form);
    }
    // The MIME body is not part of the conversation transcript.
    expect(transcript).not.toContain('Test notification from dbbackup');

    const mails = mailsSince(before);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.secure).toBe(true);
    expect(mail.authenticatedUser).toBe(USER);
    expect(mail.envelopeFrom).toBe('backup@example.com');
    // A test includes the escalation recipients, so they are checked too.
    expect(mail.envelopeTo.sort()).toEqual(['dba@example.com', 'oncall@example.com', 'ops@example.com']);
    expect(mail.headers.get('subject')).toMatch(/^\[dbbackup\] test: shop on \S+$/);
    expect(mail.headers.get('x-dbbackup-event')).toBe('test');
    expect(mail.body).toContain('Event:      test (info, severity info)');
  });

  it('batches three events into one mail with a counting subject and one block per event', async () => {
    const before = server.mails.length;
    const logs: string[] = [];
    const dispatcher = createNotifyDispatcher(notifyConfigFromEnv({ ...env, NOTIFY_BATCH_WINDOW: '10m' }), {
      log: (line) => logs.push(line),
    });
    const details = { host: 'db1', engine: 'postgres' };
    dispatcher.emit({
      event: 'backup_completed',
      database: 'shop',
      message: 'shop backed up',
      details: { ...details, bytes: 123_456 },
    });
    dispatcher.emit({
      event: 'backup_failed',
      database: 'crm',
      message: 'crm backup failed',
      details: { ...details, error: new Error('connection refused\nat line 2') },
      consecutiveFailures: 1,
    });
    dispatcher.emit({ event: 'backup_completed', database: 'blog', message: 'blog backed up', details });
    expect(mailsSince(before)).toHaveLength(0);
    await dispatcher.close();

    expect(logs).toEqual([]);
    const mails = mailsSince(before);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.secure).toBe(true);
    expect(mail.headers.get('subject')).toBe('[dbbackup] WARNING 3 events: 1 failed, 2 completed');
    expect(mail.headers.get('x-dbbackup-event')).toBe('batch');
    expect(mail.headers.get('x-dbbackup-severity')).toBe('warning');
    // Not critical: the escalation recipient is left out.
    expect(mail.envelopeTo.sort()).toEqual(['dba@example.com', 'ops@example.com']);
    expect(mail.body).toContain('--- 1 of 3 ---');
    expect(mail.body).toContain('--- 3 of 3 ---');
    expect(mail.body).toContain('Event:      backup_failed (failed, severity warning)');
    expect(mail.body).toContain('Database:   crm');
    expect(mail.body).toContain('Host:       db1');
    expect(mail.body).toContain('Message:    crm backup failed');
    expect(mail.body).toContain('Failures:   1 in a row');
    expect(mail.body).toMatch(/ {2}error: +connection refused\n {2} +at line 2/);
    expect(mail.body).toMatch(/ {2}bytes: +123456/);
  });

  it('escalates after N consecutive failures: CRITICAL subject and the extra recipient', async () => {
    const before = server.mails.length;
    const dispatcher = createNotifyDispatcher(notifyConfigFromEnv({ ...env, NOTIFY_BATCH_WINDOW: '0' }), {
      log: () => {},
    });
    dispatcher.emit({
      event: 'backup_failed',
      database: 'shop',
      message: 'pg_dump: server closed the connection',
      details: { host: 'db1', engine: 'postgres' },
      consecutiveFailures: 3,
    });
    await dispatcher.close();
    const mails = mailsSince(before);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.headers.get('subject')).toBe('[dbbackup] CRITICAL backup_failed: shop on db1');
    expect(mail.headers.get('x-dbbackup-severity')).toBe('critical');
    expect(mail.headers.get('x-priority')).toMatch(/^1/);
    expect(mail.headers.get('cc')).toBe('oncall@example.com');
    expect(mail.envelopeTo.sort()).toEqual(['dba@example.com', 'oncall@example.com', 'ops@example.com']);
    expect(mail.body).toContain('Severity: CRITICAL');
    expect(mail.body).toContain('Failures:   3 in a row (escalated)');
  });

  it('refuses the self-signed certificate without NOTIFY_SMTP_CA_FILE (checks are never switched off)', async () => {
    const before = server.mails.length;
    const { NOTIFY_SMTP_CA_FILE: _unused, ...withoutCa } = env;
    const [report] = await sendTestNotification(notifyConfigFromEnv(withoutCa)!);
    expect(report!.ok).toBe(false);
    expect(report!.detail).toMatch(/certificate/i);
    expect(report!.detail).toContain('NOTIFY_SMTP_CA_FILE');
    expect(mailsSince(before)).toHaveLength(0);
  });

  it('reports a rejected login once, without retrying a 5xx and without the password', async () => {
    const before = server.mails.length;
    const failedBefore = server.failedLogins;
    const logs: string[] = [];
    const wrong = 'Wr0ng-Passw0rd-Value';
    const dispatcher = createNotifyDispatcher(
      notifyConfigFromEnv({ ...env, NOTIFY_SMTP_PASSWORD: wrong, NOTIFY_BATCH_WINDOW: '0' }),
      { log: (line) => logs.push(line), retryBaseDelayMs: 1 },
    );
    dispatcher.emit({ event: 'backup_failed', database: 'shop', message: 'failed' });
    await expect(dispatcher.close()).resolves.toBeUndefined();
    expect(mailsSince(before)).toHaveLength(0);
    expect(server.failedLogins - failedBefore).toBe(1);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(
      /^notify: smtp smtp:\/\/127\.0\.0\.1:\d+ .*: backup_failed of shop not delivered after 1 attempt: .*535/,
    );
    expect(logs[0]).not.toContain(wrong);
    expect(logs[0]).not.toContain(Buffer.from(wrong).toString('base64'));
  });
});

describe('SMTP notifier against a server without STARTTLS', () => {
  it('sends in plain text when TLS is not offered (opportunistic STARTTLS)', async () => {
    const server = await startSmtpTestServer({});
    try {
      const config = notifyConfigFromEnv({
        NOTIFY_SMTP_HOST: '127.0.0.1',
        NOTIFY_SMTP_PORT: String(server.port),
        NOTIFY_SMTP_FROM: 'backup@example.com',
        NOTIFY_SMTP_TO: 'ops@example.com',
      })!;
      const [report] = await sendTestNotification(config, { verbose: true });
      expect(report!.ok).toBe(true);
      expect(report!.transcript.join('\n')).not.toContain('STARTTLS');
      expect(server.mails).toHaveLength(1);
      expect(server.mails[0]!.secure).toBe(false);
    } finally {
      await server.close();
    }
  });
});
