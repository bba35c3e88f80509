// One delivery attempt of one outbox event: POST it to the merchant, record the outcome and
// schedule the retry (core/webhook-events.ts).
import type { Db } from '../storage/db.ts';
import type { OutboxEvent } from '../storage/outbox-repository.ts';
import { markDelivered, markFailedAttempt } from '../storage/outbox-repository.ts';
import { nextWebhookAttemptAt } from '../core/webhook-events.ts';
import type { DeliveryResult, FetchLike, MerchantWebhookConfig, WebhookDeliveryLogger, WebhookDeliveryWorkerOptions } from './webhook-delivery.ts';
import { buildWebhookHeaders } from './webhook-headers.ts';

export interface DeliverEventDeps {
  db: Db;
  loadMerchantWebhookConfig(merchantId: string): Promise<MerchantWebhookConfig>;
  fetchImpl: FetchLike;
  now: () => number;
  timeoutMs: number;
  log: WebhookDeliveryLogger;
  onDelivery?: WebhookDeliveryWorkerOptions['onDelivery'];
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? `: ${cause.message}` : '';
    return `${error.name}: ${error.message}${causeText}`;
  }
  return String(error);
}

/** POSTs one event and records the outcome: delivered, a retry scheduled, failed for good, or stale. */
async function deliver(deps: DeliverEventDeps, event: OutboxEvent): Promise<DeliveryResult> {
  const { db, loadMerchantWebhookConfig, fetchImpl, now, timeoutMs, log } = deps;
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

/** Delivers one event and tells the observer; never rejects (an unrecordable outcome is STALE). */
export function deliverEvent(deps: DeliverEventDeps, event: OutboxEvent): Promise<DeliveryResult> {
  const { now, log } = deps;
  return deliver(deps, event)
    .then((result) => {
      try {
        deps.onDelivery?.(result, result.outcome === 'DELIVERED' ? now() - event.createdAt.getTime() : null);
      } catch {
        // An observer never changes a delivery.
      }
      return result;
    })
    .catch((caught: unknown): DeliveryResult => {
      // Recording the outcome failed (database down): the lease runs out and the event is retried.
      log.error({ eventId: event.id, error: describeError(caught) }, 'webhook outcome could not be recorded');
      return { eventId: event.id, outcome: 'STALE', statusCode: null, error: describeError(caught) };
    });
}
