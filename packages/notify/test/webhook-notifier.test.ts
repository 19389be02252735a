import { afterEach, describe, expect, it } from 'vitest';
import { createNotifyDispatcher } from '../src/create-notify-dispatcher.js';
import { notifyConfigFromEnv } from '../src/notify-config-from-env.js';
import { sendTestNotification } from '../src/send-test-notification.js';
import { type HttpReceiver, type Responder, startHttpReceiver } from './support/http-receiver.js';
import { expectedSignature, parseBody, WEBHOOK_SECRET } from './support/webhook-env.js';

const receivers: HttpReceiver[] = [];
async function receiver(respond?: Responder): Promise<HttpReceiver> {
  const started = await startHttpReceiver(respond);
  receivers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((started) => started.close()));
  logs.length = 0;
});
/** Lines the dispatchers logged (a throwing log callback would be swallowed, so tests collect and assert). */
const logs: string[] = [];

describe('webhook notifier against a local node:http receiver', () => {
  it('POSTs one event as JSON, signed over the exact body bytes', async () => {
    const hook = await receiver();
    const config = notifyConfigFromEnv({
      NOTIFY_WEBHOOK_URL: `${hook.url}/hooks/dbbackup`,
      NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET,
      NOTIFY_BATCH_WINDOW: '0',
    });
    const dispatcher = createNotifyDispatcher(config, { log: (line) => logs.push(line) });
    dispatcher.emit({
      event: 'backup_completed',
      database: 'shop',
      message: 'Größe 1,2 GB ✓\nin 3 s',
      timestamp: new Date('2026-11-23T02:00:00Z'),
      details: {
        host: 'db1',
        engine: 'postgres',
        path: '/backups/shop.dbb',
        bytes: 1_200_000_000,
        duration: 3.2,
        size: 10n,
      },
    });
    await dispatcher.close();
    expect(logs).toEqual([]);

    expect(hook.requests).toHaveLength(1);
    const request = hook.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/hooks/dbbackup');
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request.headers['x-dbbackup-signature']).toBe(expectedSignature(request.body));
    const body = parseBody(request.body);
    expect(Object.keys(body)).toEqual(['event', 'database', 'status', 'message', 'timestamp', 'details', 'severity']);
    expect(body).toEqual({
      event: 'backup_completed',
      database: 'shop',
      status: 'completed',
      message: 'Größe 1,2 GB ✓ in 3 s',
      timestamp: '2026-11-23T02:00:00.000Z',
      details: {
        host: 'db1',
        engine: 'postgres',
        path: '/backups/shop.dbb',
        bytes: 1_200_000_000,
        duration: 3.2,
        size: '10',
      },
      severity: 'info',
    });
  });

  it('sends a batch as one POST with the same top-level keys and the events in details.events', async () => {
    const hook = await receiver();
    const dispatcher = createNotifyDispatcher(
      notifyConfigFromEnv({ NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_BATCH_WINDOW: '10m' }),
      { log: (line) => logs.push(line) },
    );
    dispatcher.emit({ event: 'backup_started', database: 'shop', message: 'starting' });
    dispatcher.emit({
      event: 'backup_failed',
      database: 'shop',
      message: 'disk full',
      details: { error: 'ENOSPC' },
      consecutiveFailures: 2,
    });
    dispatcher.emit({ event: 'cleanup_completed', database: 'shop', message: '3 old backups deleted' });
    await dispatcher.flush();
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]!.headers['x-dbbackup-signature']).toBeUndefined();
    const body = parseBody(hook.requests[0]!.body);
    expect(body).toMatchObject({
      event: 'batch',
      database: 'shop',
      status: 'failed',
      message: '3 events: 1 failed, 1 completed, 1 started',
      severity: 'warning',
    });
    expect(Object.keys(body)).toEqual(['event', 'database', 'status', 'message', 'timestamp', 'details', 'severity']);
    const details = body['details'] as { count: number; events: Array<Record<string, unknown>> };
    expect(details.count).toBe(3);
    expect(details.events.map((event) => event['event'])).toEqual([
      'backup_started',
      'backup_failed',
      'cleanup_completed',
    ]);
    expect(details.events[1]).toMatchObject({
      status: 'failed',
      severity: 'warning',
      consecutiveFailures: 2,
      details: { error: 'ENOSPC' },
    });
    await dispatcher.close();
    expect(logs).toEqual([]);
  });

  it('sends a Slack body ({"text"} with mrkdwn) when asked, escaped and readable', async () => {
    const hook = await receiver(() => ({ status: 200, body: 'ok' }));
    const dispatcher = createNotifyDispatcher(
      notifyConfigFromEnv({
        NOTIFY_WEBHOOK_URL: `${hook.url}/services/T0/B0/token`,
        NOTIFY_WEBHOOK_FORMAT: 'slack',
        NOTIFY_BATCH_WINDOW: '0',
      }),
      { log: (line) => logs.push(line) },
    );
    dispatcher.emit({
      event: 'backup_failed',
      database: 'shop',
      message: 'pg_dump failed: <connection refused> & gave up',
      timestamp: '2026-11-23T02:00:00Z',
      details: { host: 'db1', engine: 'postgres', error: 'ECONNREFUSED' },
      consecutiveFailures: 3,
    });
    await dispatcher.close();
    expect(logs).toEqual([]);
    expect(hook.requests).toHaveLength(1);
    const body = parseBody(hook.requests[0]!.body);
    expect(Object.keys(body)).toEqual(['text']);
    expect(body['text']).toBe(
      [
        ':rotating_light: *[dbbackup] CRITICAL backup_failed: shop on db1*',
        '> pg_dump failed: &lt;connection refused&gt; &amp; gave up',
        '• time: 2026-11-23T02:00:00.000Z',
        '• failures in a row: 3',
        '• engine: postgres',
        '• error: ECONNREFUSED',
      ].join('\n'),
    );
  });

  it('reports a verbose test: request, response status and body, no secret, no URL token', async () => {
    const hook = await receiver(() => ({ status: 202, body: 'queued as 42' }));
    const config = notifyConfigFromEnv({
      NOTIFY_WEBHOOK_URL: `${hook.url}/hooks/SECRET-PATH-TOKEN?key=QUERY-TOKEN`,
      NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET,
      NOTIFY_EVENTS: 'backup_failed',
    })!;
    const [report] = await sendTestNotification(config, { verbose: true });
    expect(report).toMatchObject({
      kind: 'webhook',
      target: `${hook.url}/hooks/***?*** (json, signed)`,
      ok: true,
      detail: 'HTTP 202 Accepted: queued as 42',
    });
    expect(report!.transcript[0]).toBe(`POST ${hook.url}/hooks/***?***`);
    expect(report!.transcript).toContain('< HTTP 202 Accepted');
    expect(report!.transcript).toContain('< queued as 42');
    const everything = JSON.stringify(report);
    for (const secret of [WEBHOOK_SECRET, 'SECRET-PATH-TOKEN', 'QUERY-TOKEN']) expect(everything).not.toContain(secret);
    // NOTIFY_EVENTS does not filter the explicit test.
    expect(hook.requests).toHaveLength(1);
    expect(parseBody(hook.requests[0]!.body)).toMatchObject({ event: 'test', status: 'info', severity: 'info' });
  });

  it('reports a failing test with the status and the answer', async () => {
    const hook = await receiver(() => ({ status: 401, body: 'bad signature' }));
    const [report] = await sendTestNotification(notifyConfigFromEnv({ NOTIFY_WEBHOOK_URL: hook.url })!);
    expect(report).toMatchObject({ ok: false, detail: 'HTTP 401 Unauthorized: bad signature', transcript: [] });
  });
});
