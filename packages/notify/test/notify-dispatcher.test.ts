import { afterEach, describe, expect, it } from 'vitest';
import { createNotifyDispatcher } from '../src/create-notify-dispatcher.js';
import type { NotifyEventName } from '../src/events.js';
import { notifyConfigFromEnv } from '../src/notify-config-from-env.js';
import { NotifyDispatcher } from '../src/notify-dispatcher.js';
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
});

/** A dispatcher for one webhook receiver, with test-speed backoff and its log lines collected. */
function dispatcherFor(env: Record<string, string>, options: { maxWaitMs?: number } = {}) {
  const logs: string[] = [];
  const dispatcher = createNotifyDispatcher(notifyConfigFromEnv(env), {
    log: (line) => logs.push(line),
    retryBaseDelayMs: 5,
    maxWaitMs: options.maxWaitMs,
  });
  return { dispatcher, logs };
}

function refedTimeouts(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

describe('NotifyDispatcher', () => {
  it('retries with backoff: fails twice, then delivers once after 3 attempts', async () => {
    const hook = await receiver((index) => (index < 2 ? { status: 500, body: 'try later' } : { status: 200 }));
    const { dispatcher, logs } = dispatcherFor({
      NOTIFY_WEBHOOK_URL: hook.url,
      NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET,
      NOTIFY_BATCH_WINDOW: '0',
    });
    dispatcher.emit({ event: 'verify_failed', database: 'shop', message: 'checksum mismatch in member data/000003' });
    await dispatcher.close();
    expect(hook.requests).toHaveLength(3);
    // The same message each time, so the same bytes and signature.
    const [first, ...rest] = hook.requests.map((request) => request.body.toString('utf8'));
    for (const body of rest) expect(body).toBe(first);
    for (const request of hook.requests)
      expect(request.headers['x-dbbackup-signature']).toBe(expectedSignature(request.body));
    expect(logs).toEqual([]);
  });

  it('never throws to the caller when the receiver always fails, and logs one line per message', async () => {
    const hook = await receiver(() => ({ status: 503, body: 'down for maintenance' }));
    const { dispatcher, logs } = dispatcherFor({
      NOTIFY_WEBHOOK_URL: `${hook.url}/services/SECRET-TOKEN-PATH`,
      NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET,
      NOTIFY_BATCH_WINDOW: '0',
    });
    expect(() => {
      dispatcher.emit({ event: 'backup_failed', database: 'shop', message: 'first' });
      dispatcher.emit({ event: 'backup_failed', database: 'crm', message: 'second' });
    }).not.toThrow();
    await expect(dispatcher.flush()).resolves.toBeUndefined();
    await expect(dispatcher.close()).resolves.toBeUndefined();
    expect(hook.requests).toHaveLength(6);
    expect(logs).toEqual([
      `notify: webhook ${hook.url}/services/*** (json, signed): backup_failed of shop not delivered after 3 attempts: HTTP 503 Service Unavailable: down for maintenance`,
      `notify: webhook ${hook.url}/services/*** (json, signed): backup_failed of crm not delivered after 3 attempts: HTTP 503 Service Unavailable: down for maintenance`,
    ]);
    for (const line of logs) {
      expect(line).not.toContain(WEBHOOK_SECRET);
      expect(line).not.toContain('SECRET-TOKEN-PATH');
    }
  });

  it('does not retry an answer that will not change (HTTP 404)', async () => {
    const hook = await receiver(() => ({ status: 404 }));
    const { dispatcher, logs } = dispatcherFor({ NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_BATCH_WINDOW: '0' });
    dispatcher.emit({ event: 'backup_failed', database: 'shop', message: 'x' });
    await dispatcher.close();
    expect(hook.requests).toHaveLength(1);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/not delivered after 1 attempt: HTTP 404 Not Found$/);
  });

  it('logs an unreachable receiver without throwing', async () => {
    const hook = await receiver();
    const url = hook.url;
    await hook.close();
    const { dispatcher, logs } = dispatcherFor({
      NOTIFY_WEBHOOK_URL: url,
      NOTIFY_BATCH_WINDOW: '0',
      NOTIFY_RETRIES: '2',
    });
    dispatcher.emit({ event: 'rpo_violation', database: 'shop', message: 'last backup 30 h ago' });
    await dispatcher.close();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/rpo_violation of shop not delivered after 2 attempts: request failed: .*ECONNREFUSED/);
  });

  it('close() sends queued events as one message without waiting for the window', async () => {
    const hook = await receiver();
    const { dispatcher, logs } = dispatcherFor({ NOTIFY_WEBHOOK_URL: hook.url }); // default window: 30 s
    dispatcher.emit({ event: 'backup_started', database: 'shop', message: 'started' });
    dispatcher.emit({ event: 'backup_completed', database: 'shop', message: 'completed' });
    expect(hook.requests).toHaveLength(0);
    await dispatcher.close();
    expect(hook.requests).toHaveLength(1);
    expect(parseBody(hook.requests[0]!.body)).toMatchObject({
      event: 'batch',
      message: '2 events: 1 completed, 1 started',
    });
    dispatcher.emit({ event: 'backup_started', database: 'late', message: 'too late' });
    await dispatcher.close();
    expect(hook.requests).toHaveLength(1);
    expect(logs).toEqual(['notify: backup_started emitted after close() was dropped']);
  });

  it('sends the batch when the window ends, and its timer does not keep the process alive', async () => {
    const hook = await receiver();
    const { dispatcher } = dispatcherFor({ NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_BATCH_WINDOW: '50ms' });
    const before = refedTimeouts();
    dispatcher.emit({ event: 'backup_started', database: 'shop', message: 'started' });
    dispatcher.emit({ event: 'backup_completed', database: 'shop', message: 'completed' });
    expect(refedTimeouts()).toBe(before);
    await expect.poll(() => hook.requests.length, { timeout: 10_000 }).toBe(1);
    expect(parseBody(hook.requests[0]!.body)).toMatchObject({ event: 'batch' });
    await dispatcher.close();
  });

  it('filters by NOTIFY_EVENTS', async () => {
    const hook = await receiver();
    const { dispatcher } = dispatcherFor({
      NOTIFY_WEBHOOK_URL: hook.url,
      NOTIFY_EVENTS: 'backup_failed,verify_failed',
      NOTIFY_BATCH_WINDOW: '10m',
    });
    for (const event of ['backup_started', 'backup_failed', 'backup_completed', 'verify_failed'] as NotifyEventName[]) {
      dispatcher.emit({ event, database: 'shop', message: event });
    }
    await dispatcher.close();
    expect(hook.requests).toHaveLength(1);
    const body = parseBody(hook.requests[0]!.body) as { details: { events: Array<{ event: string }> } };
    expect(body.details.events.map((event) => event.event)).toEqual(['backup_failed', 'verify_failed']);
  });

  it('sends only critical messages to the escalation webhook, with the raised severity', async () => {
    const main = await receiver();
    const escalation = await receiver();
    const { dispatcher, logs } = dispatcherFor({
      NOTIFY_WEBHOOK_URL: main.url,
      NOTIFY_ESCALATE_WEBHOOK_URL: escalation.url,
      NOTIFY_ESCALATE_AFTER: '2',
      NOTIFY_BATCH_WINDOW: '0',
    });
    dispatcher.emit({ event: 'backup_failed', database: 'shop', message: 'once', consecutiveFailures: 1 });
    dispatcher.emit({ event: 'backup_failed', database: 'shop', message: 'twice', consecutiveFailures: 2 });
    dispatcher.emit({ event: 'gap_detected', database: 'crm', message: 'no backup for 2 days' });
    await dispatcher.close();
    expect(logs).toEqual([]);
    expect(main.requests.map((request) => parseBody(request.body)['severity'])).toEqual([
      'warning',
      'critical',
      'warning',
    ]);
    expect(escalation.requests).toHaveLength(1);
    expect(parseBody(escalation.requests[0]!.body)).toMatchObject({
      event: 'backup_failed',
      message: 'twice',
      severity: 'critical',
      consecutiveFailures: 2,
    });
  });

  it('keeps the order of messages to one notifier', async () => {
    const hook = await receiver((index) => (index === 0 ? { status: 500 } : { status: 200 }));
    const { dispatcher } = dispatcherFor({ NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_BATCH_WINDOW: '0' });
    dispatcher.emit({ event: 'restore_started', database: 'shop', message: 'first' });
    dispatcher.emit({ event: 'restore_completed', database: 'shop', message: 'second' });
    await dispatcher.close();
    expect(hook.requests.map((request) => parseBody(request.body)['message'])).toEqual(['first', 'first', 'second']);
  });

  it('close() stops waiting after maxWaitMs, logs the abandoned delivery and still resolves', async () => {
    const hanging = await startHttpReceiverThatNeverAnswers();
    try {
      const { dispatcher, logs } = dispatcherFor(
        { NOTIFY_WEBHOOK_URL: hanging.url, NOTIFY_BATCH_WINDOW: '0' },
        { maxWaitMs: 100 },
      );
      dispatcher.emit({ event: 'backup_failed', database: 'shop', message: 'x' });
      await dispatcher.close();
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatch(
        /backup_failed of shop not delivered after 1 attempt \(close\(\) stopped waiting after 100ms\): abandoned/,
      );
    } finally {
      await hanging.close();
    }
  });

  it('tolerates odd input and a throwing log callback without throwing', async () => {
    const hook = await receiver();
    const dispatcher = createNotifyDispatcher(
      notifyConfigFromEnv({ NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_BATCH_WINDOW: '0' }),
      {
        log: () => {
          throw new Error('log sink broken');
        },
      },
    );
    const cycle: Record<string, unknown> = { name: 'cycle' };
    cycle['self'] = cycle;
    expect(() => {
      dispatcher.emit({ event: 'no_such_event' as NotifyEventName, database: 'shop', message: 'x' });
      dispatcher.emit({
        event: 'backup_completed',
        database: 'shop',
        message: 'ok',
        timestamp: 'not a date',
        details: { cycle, missing: undefined, when: new Date('2026-01-02T03:04:05Z'), ratio: Number.NaN },
        consecutiveFailures: -1,
      });
    }).not.toThrow();
    await dispatcher.close();
    expect(hook.requests).toHaveLength(1);
    const body = parseBody(hook.requests[0]!.body);
    expect(body['details']).toEqual({
      cycle: { name: 'cycle', self: '[circular]' },
      when: '2026-01-02T03:04:05.000Z',
      ratio: null,
    });
    expect(body['consecutiveFailures']).toBeUndefined();
    expect(Number.isNaN(Date.parse(body['timestamp'] as string))).toBe(false);
  });

  it('does nothing (and never fails) without configuration', async () => {
    const dispatcher = createNotifyDispatcher(null);
    expect(dispatcher.notifiers).toEqual([]);
    dispatcher.emit({ event: 'backup_failed', database: 'shop', message: 'x' });
    await dispatcher.flush();
    await dispatcher.close();
  });

  it('accepts a custom Notifier implementation', async () => {
    const sent: string[] = [];
    const dispatcher = new NotifyDispatcher({
      notifiers: [
        {
          notifier: {
            kind: 'memory',
            target: 'an array',
            send: async (message) => {
              sent.push(message.summary);
              return { response: 'stored' };
            },
            close: async () => {},
          },
        },
      ],
      batchWindowMs: 0,
    });
    dispatcher.emit({ event: 'test', database: null, message: 'hello' });
    await dispatcher.close();
    expect(sent).toEqual(['hello']);
  });
});

/** Accepts connections and requests, answers none (until closed): a receiver that hangs. */
async function startHttpReceiverThatNeverAnswers(): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/hook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
