/**
 * Notifications from the commands that own the events, received by real local servers: a node:http webhook receiver
 * that checks the HMAC signature of the exact body, and an in-process smtp-server for `notify test`. The CLI runs as
 * a child process (runBuiltCliAsync) because both servers answer from this process.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, createSampleDatabase, dropDatabase, uniqueName } from './backup-restore-fixtures.js';
import { emptyDirectory, runBuiltCliAsync } from './support/run-built-cli.js';

const SECRET = 'webhook-secret-5f1c';

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: WebhookBody;
}

interface WebhookBody {
  event: string;
  database: string | null;
  status: string;
  message: string;
  timestamp: string;
  severity: string;
  consecutiveFailures?: number;
  details: Record<string, unknown> & { events?: WebhookBody[] };
}

/** A webhook endpoint: records every POST; answers `failWith` when set. */
class WebhookReceiver {
  readonly received: Received[] = [];
  failWith: number | undefined;
  #server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        this.received.push({ headers: request.headers, raw, body: JSON.parse(raw) as WebhookBody });
        response.writeHead(this.failWith ?? 200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hook`;
  }

  /** Every event received, batches unpacked, in order. */
  events(): WebhookBody[] {
    return this.received.flatMap(({ body }) => (body.event === 'batch' ? (body.details.events ?? []) : [body]));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

const receiver = new WebhookReceiver();
const source = uniqueName('notify_src');
const target = uniqueName('notify_dst');
const missing = uniqueName('notify_missing');
let work: string;

function webhookEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ...cliEnv, NOTIFY_WEBHOOK_URL: receiver.url, NOTIFY_WEBHOOK_SECRET: SECRET, ...extra };
}

function dbbackup(args: string[], env: Record<string, string>) {
  return runBuiltCliAsync(args, { cwd: work, env });
}

beforeAll(async () => {
  await receiver.start();
  createSampleDatabase(source);
  work = mkdtempSync(join(tmpdir(), 'dbbackup-notify-'));
});

afterAll(async () => {
  await receiver.stop();
  dropDatabase(source);
  dropDatabase(target);
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  receiver.received.length = 0;
  receiver.failWith = undefined;
});

describe('events from backup, verify, restore and cleanup', () => {
  const backups = () => join(work, 'backups');
  const catalog = () => join(work, 'catalog.db');

  it('a backup sends started + completed as one signed message when the command ends', async () => {
    const result = await dbbackup(
      ['backup', 'single', source, '-d', 'postgres', '--backup-dir', backups(), '--catalog', catalog()],
      webhookEnv(),
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    const expected = `sha256=${createHmac('sha256', SECRET)
      .update(delivery?.raw ?? '')
      .digest('hex')}`;
    expect(delivery?.headers['x-dbbackup-signature']).toBe(expected);
    expect(delivery?.body).toMatchObject({ event: 'batch', database: source, status: 'completed' });
    const events = receiver.events();
    expect(events.map((event) => event.event)).toEqual(['backup_started', 'backup_completed']);
    const completed = events[1];
    expect(completed?.database).toBe(source);
    expect(completed?.details).toMatchObject({ engine: 'postgresql', kind: 'single', tables: 3 });
    expect(completed?.details.bytes).toBeGreaterThan(0);
    expect(String(completed?.details.path)).toContain(backups());
  });

  it('verify-backup, restore and cleanup send their own events', async () => {
    const [file] = readdirSync(backups()).filter((name) => name.endsWith('.dbb.tar'));
    const archive = join(backups(), file as string);
    const env = webhookEnv({ NOTIFY_BATCH_WINDOW: '0' });

    expect((await dbbackup(['verify-backup', archive, '--catalog', catalog()], env)).status).toBe(0);
    expect(
      (await dbbackup(['restore', 'single', archive, '--target', target, '--create', '--catalog', catalog()], env))
        .status,
    ).toBe(0);
    const cleanup = await dbbackup(
      ['cleanup', backups(), '--retention-days', '0', '--min-backups', '0', '--force', '--catalog', catalog()],
      env,
    );
    expect(cleanup.stderr).toBe('');
    expect(cleanup.status).toBe(0);

    const events = receiver.events();
    expect(events.map((event) => event.event)).toEqual([
      'verify_completed',
      'restore_started',
      'restore_completed',
      'cleanup_completed',
    ]);
    expect(events[0]).toMatchObject({ database: source, status: 'completed' });
    expect(events[2]).toMatchObject({ database: target, details: { tables: expect.any(Number) } });
    // Retention always keeps a database's newest backup.
    expect(events[3]?.details).toMatchObject({ deleted: 0, kept: 1, freed_bytes: 0 });
    // Batching off: one POST per event, each signed.
    expect(receiver.received).toHaveLength(4);
  });

  it('failed backups escalate to critical after NOTIFY_ESCALATE_AFTER in a row, and gaps are reported', async () => {
    const env = webhookEnv({ NOTIFY_ESCALATE_AFTER: '2', NOTIFY_EVENTS: 'backup_failed,gap_detected' });
    const args = ['backup', 'single', missing, '-d', 'postgres', '--backup-dir', backups(), '--catalog', catalog()];
    expect((await dbbackup(args, env)).status).toBe(2);
    expect((await dbbackup(args, env)).status).toBe(2);
    const failures = receiver.events();
    expect(failures.map((event) => [event.event, event.severity, event.consecutiveFailures])).toEqual([
      ['backup_failed', 'warning', 1],
      ['backup_failed', 'critical', 2],
    ]);
    expect(failures[0]?.message).toContain(missing);

    receiver.received.length = 0;
    const gaps = await dbbackup(
      ['catalog', 'gaps', '--interval', '1h', '--database', missing, '--catalog', catalog()],
      env,
    );
    expect(gaps.status).toBe(0);
    expect(receiver.events()).toEqual([expect.objectContaining({ event: 'gap_detected', database: missing })]);
  });

  it('a webhook that keeps failing costs the backup nothing but one warning line without the secret', async () => {
    receiver.failWith = 503;
    const result = await dbbackup(
      ['backup', 'single', source, '-d', 'postgres', '--backup-dir', join(work, 'other'), '--catalog', catalog()],
      webhookEnv({ NOTIFY_RETRIES: '2' }),
    );
    expect(result.status).toBe(0);
    expect(receiver.received).toHaveLength(2);
    const warnings = result.stderr.trim().split('\n');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^dbbackup: warning: notification: .*503/);
    expect(result.stderr).not.toContain(SECRET);
  });

  it('a bad NOTIFY_* setting turns notifications off with a warning; the backup still runs', async () => {
    const result = await dbbackup(
      ['backup', 'single', source, '-d', 'postgres', '--backup-dir', join(work, 'third'), '--catalog', catalog()],
      webhookEnv({ NOTIFY_RETRIES: 'many' }),
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^dbbackup: warning: notifications are off: .*NOTIFY_RETRIES/);
    expect(receiver.received).toHaveLength(0);
  });
});

describe('dbbackup notify test', () => {
  it('sends a test email and a test webhook; --verbose shows the SMTP conversation without the password', async () => {
    const mails: string[] = [];
    const smtp = new SMTPServer({
      authOptional: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === 'backup' && auth.password === 'mail-pass-83c1') callback(null, { user: 'backup' });
        else callback(new Error('invalid credentials'));
      },
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          mails.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      const result = await dbbackup(['notify', 'test', '--verbose', '--format', 'json'], {
        ...webhookEnv(),
        NOTIFY_SMTP_HOST: '127.0.0.1',
        NOTIFY_SMTP_PORT: String(port),
        NOTIFY_SMTP_USER: 'backup',
        NOTIFY_SMTP_PASSWORD: 'mail-pass-83c1',
        NOTIFY_SMTP_FROM: 'dbbackup@example.test',
        NOTIFY_SMTP_TO: 'ops@example.test',
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const report = JSON.parse(result.stdout) as {
        ok: boolean;
        notifiers: Array<{ kind: string; ok: boolean; transcript: string[] }>;
      };
      expect(report.ok).toBe(true);
      expect(report.notifiers.map((entry) => [entry.kind, entry.ok])).toEqual(
        expect.arrayContaining([
          ['smtp', true],
          ['webhook', true],
        ]),
      );
      const smtpTranscript = report.notifiers.find((entry) => entry.kind === 'smtp')?.transcript.join('\n') ?? '';
      expect(smtpTranscript).toContain('AUTH');
      expect(result.stdout).not.toContain('mail-pass-83c1');
      expect(result.stdout).not.toContain(Buffer.from('mail-pass-83c1').toString('base64'));
      expect(mails).toHaveLength(1);
      expect(mails[0]).toContain('To: ops@example.test');
      expect(receiver.events()).toEqual([expect.objectContaining({ event: 'test', status: 'info' })]);
    } finally {
      await new Promise<void>((resolve) => smtp.close(resolve));
    }
  });

  it('exits 2 naming the variables when nothing is configured, and names a failed notifier', async () => {
    const none = await runBuiltCliAsync(['notify', 'test'], { cwd: emptyDirectory() });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/NOTIFY_SMTP_HOST.*NOTIFY_WEBHOOK_URL/);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);

    receiver.failWith = 500;
    const failed = await dbbackup(['notify', 'test'], webhookEnv());
    expect(failed.status).toBe(2);
    expect(failed.stdout).toContain('FAILED');
    expect(failed.stderr).toMatch(/1 of 1 notifiers failed.*webhook/);
  });
});
