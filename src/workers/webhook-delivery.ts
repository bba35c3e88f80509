// Delivers the webhook outbox: claims due events, POSTs each to the merchant, records the outcome
// and schedules retries (core/webhook-events.ts). At-least-once: an event leaves PENDING only on
// a 2xx answer or when its retry schedule is exhausted (FAILED); a worker that dies mid-delivery
// loses nothing, the event's lease runs out and another worker takes it again.
import type { Db } from '../storage/db.ts';
import type { OutboxEvent } from '../storage/outbox-repository.ts';
import { claimDueEvents, markDelivered, markFailedAttempt } from '../storage/outbox-repository.ts';
import { nextWebhookAttemptAt } from '../core/webhook-events.ts';
import { signWebhookBody } from '../core/signature.ts';

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

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal; redirect: 'manual' }) => Promise<{
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

export const WEBHOOK_USER_AGENT = 'Junction-Webhooks/1.0';

const silentLogger: WebhookDeliveryLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

const defaultFetch: FetchLike = (url, init) => fetch(url, init);

/** Headers for one delivery; exported so tests and docs agree on them. */
export function buildWebhookHeaders(event: Pick<OutboxEvent, 'id' | 'eventName' | 'attempts'>, body: string, config: MerchantWebhookConfig, nowMs: number): Record<string, string> {
  const headers: Record<string, string> = {};
  // Merchant headers first, so they cannot replace the ones that prove who we are.
  for (const [name, value] of Object.entries(config.customHeaders ?? {})) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  headers['content-type'] = 'application/json';
  headers['user-agent'] = WEBHOOK_USER_AGENT;
  if (config.username) {
    headers['authorization'] = `Basic ${Buffer.from(`${config.username}:${config.password ?? ''}`, 'utf8').toString('base64')}`;
  }
  headers['x-junction-event-id'] = event.id;
  headers['x-junction-event-name'] = event.eventName;
  headers['x-junction-delivery-attempt'] = String(event.attempts + 1);
  headers['x-junction-signature'] = signWebhookBody(body, config.hmacKey, Math.floor(nowMs / 1000));
  return headers;
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? `: ${cause.message}` : '';
    return `${error.name}: ${error.message}${causeText}`;
  }
  return String(error);
}

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

  async function deliver(event: OutboxEvent): Promise<DeliveryResult> {
    let statusCode: number | null = null;
    let error: string;
    try {
      const config = await loadMerchantWebhookConfig(event.merchantId);
      const body = JSON.stringify(event.payload);
      const headers = buildWebhookHeaders(event, body, config, now());
      const response = await fetchImpl(event.targetUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
      statusCode = response.status;
      // We only need the status: release the connection without reading the body.
      await response.body?.cancel().catch(() => undefined);
      if (statusCode >= 200 && statusCode < 300) {
        await markDelivered(db, event.id, { now: new Date(now()), statusCode });
        log.info({ eventId: event.id, eventName: event.eventName, merchantId: event.merchantId, attempt: event.attempts + 1, statusCode }, 'webhook delivered');
        return { eventId: event.id, outcome: 'DELIVERED', statusCode };
      }
      error = `HTTP ${statusCode}`;
    } catch (caught) {
      error = describeError(caught);
    }
    const attemptsMade = event.attempts + 1;
    const failedAt = now();
    const next = nextWebhookAttemptAt(attemptsMade, failedAt);
    const recorded = await markFailedAttempt(db, event.id, {
      attemptsBefore: event.attempts,
      nextAttemptAt: next === null ? null : new Date(next),
      statusCode,
      error,
    });
    const details = { eventId: event.id, eventName: event.eventName, merchantId: event.merchantId, attempt: attemptsMade, statusCode, error };
    if (!recorded) {
      log.warn(details, 'webhook attempt not recorded: the event was settled or re-claimed meanwhile');
      return { eventId: event.id, outcome: 'STALE', statusCode, error };
    }
    if (next === null) {
      log.error(details, 'webhook retries exhausted: event FAILED');
      return { eventId: event.id, outcome: 'FAILED', statusCode, error };
    }
    log.warn({ ...details, nextAttemptAt: new Date(next).toISOString() }, 'webhook attempt failed: will retry');
    return { eventId: event.id, outcome: 'RETRY', statusCode, error };
  }

  function deliverSafely(event: OutboxEvent): Promise<DeliveryResult> {
    return deliver(event).then((result) => {
      try {
        options.onDelivery?.(result, result.outcome === 'DELIVERED' ? now() - event.createdAt.getTime() : null);
      } catch {
        // An observer never changes a delivery.
      }
      return result;
    }).catch((caught: unknown): DeliveryResult => {
      // Recording the outcome failed (database down): the lease runs out and the event is retried.
      log.error({ eventId: event.id, error: describeError(caught) }, 'webhook outcome could not be recorded');
      return { eventId: event.id, outcome: 'STALE', statusCode: null, error: describeError(caught) };
    });
  }

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
