// Delivers the webhook outbox: claims due events, POSTs each to the merchant, records the outcome
// and schedules retries (core/webhook-events.ts). At-least-once: an event leaves PENDING only on
// a 2xx answer or when its retry schedule is exhausted (FAILED); a worker that dies mid-delivery
// loses nothing, the event's lease runs out and another worker takes it again.
// One attempt is deliver-webhook-event.ts, its headers webhook-headers.ts; this file is the pool
// that claims and schedules them.
import type { Db } from '../storage/db.ts';
import type { OutboxEvent } from '../storage/outbox-repository.ts';
import { claimDueEvents } from '../storage/outbox-repository.ts';
import { deliverEvent, describeError, type DeliverEventDeps } from './deliver-webhook-event.ts';

export interface MerchantWebhookConfig {
  /** Basic auth credentials; no Authorization header when username is empty. */
  username?: string | null;
  password?: string | null;
  /** Key for `x-junction-signature` (decrypted webhook_hmac_key). */
  hmacKey: string;
  customHeaders?: Readonly<Record<string, string>> | null;
}

export interface WebhookDeliveryLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal; redirect: 'manual' },
) => Promise<{
  status: number;
  body?: { cancel(): Promise<void> } | null;
}>;

export interface WebhookDeliveryWorkerOptions {
  db: Db;
  loadMerchantWebhookConfig(merchantId: string): Promise<MerchantWebhookConfig>;
  fetchImpl?: FetchLike;
  /** Milliseconds since the epoch; injected in tests to walk through the retry schedule. */
  now?: () => number;
  /** Pause between polls when the queue is empty (default 1000). */
  pollIntervalMs?: number;
  /** Deliveries in flight at once (default 8). */
  concurrency?: number;
  /** Per-request timeout (default 10000). */
  timeoutMs?: number;
  /** Lease on a claimed event; must outlast a delivery (default timeoutMs + 30 s). */
  lockMs?: number;
  log?: WebhookDeliveryLogger;
  /** Told of every recorded attempt; `lagMs` (outbox to delivery) only when delivered. Metrics use it. */
  onDelivery?: (result: DeliveryResult, lagMs: number | null) => void;
}

export interface DeliveryResult {
  eventId: string;
  outcome: 'DELIVERED' | 'RETRY' | 'FAILED' | 'STALE';
  statusCode: number | null;
  error?: string;
}

export interface WebhookDeliveryWorker {
  start(): void;
  /** Stops polling and resolves once every in-flight delivery has been recorded. */
  stop(): Promise<void>;
  /** One poll: claims what is due (up to `concurrency`), delivers it, records the outcomes. */
  runOnce(): Promise<DeliveryResult[]>;
}

const silentLogger: WebhookDeliveryLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

const defaultFetch: FetchLike = (url, init) => fetch(url, init);

export function createWebhookDeliveryWorker(options: WebhookDeliveryWorkerOptions): WebhookDeliveryWorker {
  const { db, loadMerchantWebhookConfig } = options;
  const fetchImpl = options.fetchImpl ?? defaultFetch;
  const now = options.now ?? Date.now;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const lockMs = Math.max(options.lockMs ?? timeoutMs + 30_000, timeoutMs + 1000);
  const log = options.log ?? silentLogger;

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  /** Deliveries (and runOnce polls) in progress: stop() waits for them. */
  const inFlight = new Set<Promise<unknown>>();

  const deliverDeps: DeliverEventDeps = {
    db,
    loadMerchantWebhookConfig,
    fetchImpl,
    now,
    timeoutMs,
    log,
    // Called as the options' method (as the caller wrote it); absent, its arguments are never computed.
    onDelivery: options.onDelivery && ((result, lagMs) => options.onDelivery?.(result, lagMs)),
  };
  const deliverSafely = (event: OutboxEvent): Promise<DeliveryResult> => deliverEvent(deliverDeps, event);

  function claim(limit: number): Promise<OutboxEvent[]> {
    return claimDueEvents(db, { limit, lockMs, now: new Date(now()) });
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    const forget = (): void => {
      inFlight.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }

  function sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    }).then(() => {
      if (timer) clearTimeout(timer);
      wake = undefined;
      timer = undefined;
    });
  }

  // A pool rather than batches: a slow merchant holds one slot, not the whole poll. A finished
  // delivery wakes the loop so its slot is refilled without waiting for the next poll.
  let active = 0;
  async function runLoop(): Promise<void> {
    while (running) {
      const free = concurrency - active;
      let claimed = 0;
      if (free > 0) {
        try {
          const events = await claim(free);
          claimed = events.length;
          for (const event of events) {
            active++;
            void track(deliverSafely(event)).then(() => {
              active--;
              wake?.();
            });
          }
        } catch (caught) {
          log.error({ error: describeError(caught) }, 'webhook poll failed');
        }
      }
      // All slots filled by a full claim: more may be due, look again as soon as a slot frees.
      if (running && (free === 0 || claimed < free)) await sleep(pollIntervalMs);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = runLoop();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      wake?.();
      await loop;
      loop = undefined;
      await Promise.allSettled([...inFlight]);
    },
    runOnce() {
      return track(claim(concurrency).then((events) => Promise.all(events.map(deliverSafely))));
    },
  };
}
