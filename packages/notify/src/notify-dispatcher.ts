import { deliverWithRetry } from './deliver-with-retry.js';
import {
  isNotifyEventName,
  NOTIFY_EVENT_NAMES,
  type NotifyEvent,
  type NotifyEventInput,
  type NotifyEventName,
} from './events.js';
import { normalizeEvent } from './normalize-event.js';
import { buildNotificationMessage, type NotificationMessage } from './notification-message.js';
import type { Notifier } from './notifier.js';
import { DEFAULT_ATTEMPTS, DEFAULT_BATCH_WINDOW_MS, DEFAULT_ESCALATE_AFTER } from './notify-config.js';
import { formatDuration } from './parse-duration.js';
import { oneLine, type Redactor } from './redactor.js';

export const DEFAULT_RETRY_BASE_DELAY_MS = 1000;
/** Longest flush()/close() wait; with the defaults (3 attempts, 10 s timeout, 1 s + 2 s backoff) ~ a full retry run. */
export const DEFAULT_MAX_WAIT_MS = 30_000;

/** A notifier and which messages it gets. */
export interface NotifierRoute {
  notifier: Notifier;
  /** Only critical (escalated) messages, e.g. NOTIFY_ESCALATE_WEBHOOK_URL. */
  escalationOnly?: boolean;
}

export interface NotifyDispatcherOptions {
  notifiers: readonly NotifierRoute[];
  /** Events that are sent; others are dropped at emit(). Default: all. */
  events?: readonly NotifyEventName[];
  /** Events emitted within this many ms of the first queued one go out as one message; 0 = each at once. */
  batchWindowMs?: number;
  /** consecutiveFailures at which a failed/warning event becomes critical. */
  escalateAfter?: number;
  /** Delivery attempts in total per message and notifier. */
  attempts?: number;
  /** Backoff before the 2nd attempt, doubled each time after (tests use a few ms). */
  retryBaseDelayMs?: number;
  /** The longest flush() and close() wait for deliveries, retries included. */
  maxWaitMs?: number;
  /** Receives one line per final delivery failure (and per dropped event); never a secret. Default: stderr. */
  log?: (line: string) => void;
  /** Applied to every logged line (the factory passes one built from the configured secrets). */
  redact?: Redactor;
}

/**
 * Queues events, batches them, and delivers each batch to every notifier with retries. emit(), flush() and close()
 * never throw and never reject: a notification problem must not fail a backup. Failures go to `log`, one line each.
 *
 * Batching: the first queued event starts a window of `batchWindowMs`; when it ends, everything queued is built into
 * ONE NotificationMessage per notifier. flush() and close() send the queue at once. All timers are unref'd, so a
 * pending window or backoff never keeps a process alive; flush()/close() keep it alive while they wait, at most
 * `maxWaitMs`. Deliveries to one notifier are sent in order (a "started" never overtakes its "completed").
 */
export class NotifyDispatcher {
  readonly #routes: readonly NotifierRoute[];
  readonly #events: ReadonlySet<NotifyEventName>;
  readonly #batchWindowMs: number;
  readonly #escalateAfter: number;
  readonly #attempts: number;
  readonly #retryBaseDelayMs: number;
  readonly #maxWaitMs: number;
  readonly #log: (line: string) => void;
  readonly #redact: Redactor;
  readonly #abort = new AbortController();
  readonly #pending = new Set<Promise<void>>();
  readonly #chains = new Map<NotifierRoute, Promise<void>>();
  #queue: NotifyEvent[] = [];
  #timer: NodeJS.Timeout | null = null;
  #closing: Promise<void> | null = null;

  constructor(options: NotifyDispatcherOptions) {
    this.#routes = options.notifiers;
    this.#events = new Set(options.events ?? NOTIFY_EVENT_NAMES);
    this.#batchWindowMs = options.batchWindowMs ?? DEFAULT_BATCH_WINDOW_MS;
    this.#escalateAfter = options.escalateAfter ?? DEFAULT_ESCALATE_AFTER;
    this.#attempts = options.attempts ?? DEFAULT_ATTEMPTS;
    this.#retryBaseDelayMs = options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
    this.#maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.#redact = options.redact ?? ((text) => text);
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    this.#log = (line) => {
      try {
        log(oneLine(this.#redact(line)));
      } catch {
        // A failing log sink must not turn into a failing backup either.
      }
    };
  }

  /** The notifiers this dispatcher sends to (for `notify test` style listings). */
  get notifiers(): readonly Notifier[] {
    return this.#routes.map((route) => route.notifier);
  }

  /** Queues an event (or sends it at once when the window is 0). Filtered by `events`; ignored after close(). */
  emit(input: NotifyEventInput): void {
    try {
      if (this.#closing !== null) {
        this.#log(`notify: ${String(input?.event)} emitted after close() was dropped`);
        return;
      }
      if (!isNotifyEventName(String(input?.event))) {
        this.#log(
          `notify: unknown event ${JSON.stringify(input?.event)} dropped; valid: ${NOTIFY_EVENT_NAMES.join(', ')}`,
        );
        return;
      }
      if (!this.#events.has(input.event) || this.#routes.length === 0) return;
      // Normalised now, so details the caller mutates afterwards are not what gets sent.
      this.#queue.push(normalizeEvent(input, this.#escalateAfter, new Date()));
      if (this.#batchWindowMs === 0) this.#sendQueued();
      else if (this.#timer === null) {
        this.#timer = setTimeout(() => this.#sendQueued(), this.#batchWindowMs);
        this.#timer.unref();
      }
    } catch (error) {
      this.#log(`notify: could not queue an event: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Sends what is queued now and waits until every delivery started so far has finished (delivered, or given up
   * after its retries), at most `maxWaitMs`; deliveries still running then go on in the background.
   */
  async flush(): Promise<void> {
    this.#sendQueued();
    await this.#waitForDeliveries();
  }

  /**
   * Sends what is queued, waits for all deliveries (retries included) at most `maxWaitMs`, abandons what is still
   * running (each logged as a failure), and releases the notifiers. Later emit() calls are dropped. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#sendQueued();
    if (!(await this.#waitForDeliveries())) {
      this.#abort.abort();
      await Promise.all(this.#pending);
    }
    for (const { notifier } of this.#routes) {
      try {
        await notifier.close();
      } catch (error) {
        this.#log(`notify: closing ${notifier.kind} ${notifier.target} failed: ${(error as Error).message}`);
      }
    }
  }

  /** Never throws: it also runs from the window timer, where an exception would crash the process. */
  #sendQueued(): void {
    try {
      this.#startDeliveries();
    } catch (error) {
      this.#log(`notify: could not send queued events: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  #startDeliveries(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#queue.length === 0) return;
    const message = buildNotificationMessage(this.#queue, new Date());
    this.#queue = [];
    for (const route of this.#routes) {
      if (route.escalationOnly === true && message.severity !== 'critical') continue;
      const previous = this.#chains.get(route) ?? Promise.resolve();
      const delivery = previous.then(() => this.#deliver(route.notifier, message));
      this.#chains.set(route, delivery);
      this.#pending.add(delivery);
      void delivery.then(() => this.#pending.delete(delivery));
    }
  }

  /** Never rejects (deliverWithRetry does not), so one notifier's chain cannot break. */
  async #deliver(notifier: Notifier, message: NotificationMessage): Promise<void> {
    const outcome = await deliverWithRetry(
      notifier,
      message,
      { attempts: this.#attempts, baseDelayMs: this.#retryBaseDelayMs },
      { signal: this.#abort.signal, escalate: message.severity === 'critical' },
    );
    if (outcome.ok) return;
    const abandoned = this.#abort.signal.aborted
      ? ` (close() stopped waiting after ${formatDuration(this.#maxWaitMs)})`
      : '';
    const attempts = `${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}`;
    this.#log(
      `notify: ${notifier.kind} ${notifier.target}: ${describeMessage(message)} not delivered after ${attempts}${abandoned}: ${outcome.error.message}`,
    );
  }

  /** True when everything finished in time. Holds the process alive (a ref'd timer) while it waits. */
  async #waitForDeliveries(): Promise<boolean> {
    if (this.#pending.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.#maxWaitMs);
    });
    try {
      // Deliveries may be added while waiting (an emit() during flush()); wait for those too.
      while (this.#pending.size > 0) {
        const finished = await Promise.race([Promise.all(this.#pending).then(() => true as const), timedOut]);
        if (!finished) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** "backup_failed of shop" or "batch of 3 events (1 failed, 2 completed)". */
function describeMessage(message: NotificationMessage): string {
  const only = message.events.length === 1 ? message.events[0] : undefined;
  if (only !== undefined) return `${only.event}${only.database === null ? '' : ` of ${only.database}`}`;
  return `batch of ${message.summary.replace(/^(\d+ events): /, '$1 (')})`;
}
