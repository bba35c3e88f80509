// Outgoing webhooks as data: the event names, the envelope merchants receive, the retry
// schedule, and which events a merchant's webhook `version` subscribes to. Pure: no I/O.
import { newId } from './crypto.ts';
import { URL_PATTERN } from './payments/input.ts';

export const WEBHOOK_EVENT_NAMES = [
  'ORDER_SUCCEEDED',
  'ORDER_FAILED',
  'ORDER_REFUNDED',
  'ORDER_REFUND_FAILED',
  'REFUND_MANUAL_REVIEW_NEEDED',
  'TXN_CREATED',
  'TXN_CHARGED',
  'TXN_FAILED',
  'AUTO_REFUND_SUCCEEDED',
  'AUTO_REFUND_FAILED',
  // Junction's risk review (no Juspay equivalent; named after REFUND_MANUAL_REVIEW_NEEDED).
  'TXN_MANUAL_REVIEW_NEEDED',
  'TXN_REVIEW_APPROVED',
  'TXN_REVIEW_REJECTED',
  'TXN_REVIEW_EXPIRED',
  // Junction's guarded staggered release (no Juspay equivalent): about a Priority Logic, not an order.
  'PRIORITY_LOGIC_ROLLED_BACK',
  'PRIORITY_LOGIC_PROMOTED',
] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENT_NAMES)[number];

export function isWebhookEventName(value: string): value is WebhookEventName {
  return (WEBHOOK_EVENT_NAMES as readonly string[]).includes(value);
}

/** Events about one transaction: their envelope must carry `content.txn`. */
export const TXN_EVENTS: ReadonlySet<WebhookEventName> = new Set([
  'TXN_CREATED',
  'TXN_CHARGED',
  'TXN_FAILED',
  'TXN_MANUAL_REVIEW_NEEDED',
  'TXN_REVIEW_APPROVED',
  'TXN_REVIEW_REJECTED',
  'TXN_REVIEW_EXPIRED',
]);

/** Events about a Priority Logic's release: their envelope carries `content.priority_logic` and `content.release_guard`, no order. */
export const LOGIC_EVENTS: ReadonlySet<WebhookEventName> = new Set(['PRIORITY_LOGIC_ROLLED_BACK', 'PRIORITY_LOGIC_PROMOTED']);

/** A JSON object as stored in the outbox (`payload jsonb`). */
export type WebhookObject = Record<string, unknown>;

// A type alias (not an interface) so an envelope is also a plain Record<string, unknown>.
export type WebhookEnvelope = {
  /** `evt_...`: the same id on every delivery attempt of this event, so merchants can drop duplicates. */
  id: string;
  event_name: WebhookEventName;
  /** ISO 8601 UTC, seconds precision (`2024-01-31T10:42:25Z`), as Juspay sends it. */
  date_created: string;
  content:
    | {
        /** The order exactly as `GET /orders/{order_id}` returns it at the time of the event. */
        order: WebhookObject;
        /** The transaction, for TXN_* events (and optionally for others). */
        txn?: WebhookObject;
      }
    | {
        /** The logic as `GET /v1/priority-logics/{id}` returns it, for LOGIC_EVENTS. */
        priority_logic: WebhookObject;
        /** The guard that acted, with its evidence. */
        release_guard: WebhookObject;
      };
};

export interface BuildWebhookEnvelopeInput {
  eventName: WebhookEventName;
  order: WebhookObject;
  txn?: WebhookObject;
  /** Milliseconds since the epoch; defaults to the current time. */
  now?: number;
  /** For tests and replays; a fresh `evt_` id otherwise. */
  id?: string;
}

export function formatWebhookDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The envelope of a LOGIC_EVENTS event. */
export function buildLogicEventEnvelope(eventName: WebhookEventName, content: { priorityLogic: WebhookObject; releaseGuard: WebhookObject }, now: number = Date.now()): WebhookEnvelope {
  if (!LOGIC_EVENTS.has(eventName)) throw new Error(`${eventName} is not an event about a Priority Logic`);
  return { id: newId('evt'), event_name: eventName, date_created: formatWebhookDate(now), content: { priority_logic: content.priorityLogic, release_guard: content.releaseGuard } };
}

export function buildWebhookEnvelope(input: BuildWebhookEnvelopeInput): WebhookEnvelope {
  if (!isWebhookEventName(input.eventName)) throw new Error(`Unknown webhook event: ${String(input.eventName)}`);
  if (LOGIC_EVENTS.has(input.eventName)) throw new Error(`${input.eventName} is about a Priority Logic: use buildLogicEventEnvelope`);
  if (TXN_EVENTS.has(input.eventName) && !input.txn) throw new Error(`${input.eventName} needs the transaction (content.txn)`);
  const content: WebhookEnvelope['content'] = { order: input.order };
  if (input.txn) content.txn = input.txn;
  return {
    id: input.id ?? newId('evt'),
    event_name: input.eventName,
    date_created: formatWebhookDate(input.now ?? Date.now()),
    content,
  };
}

/** Shorthand used by the payment code: `buildEvent('TXN_CHARGED', {order, txn}, now)`. */
export function buildEvent(eventName: WebhookEventName, content: { order: WebhookObject; txn?: WebhookObject }, now: Date | number = Date.now()): WebhookEnvelope {
  return buildWebhookEnvelope({ eventName, order: content.order, ...(content.txn ? { txn: content.txn } : {}), now: typeof now === 'number' ? now : now.getTime() });
}

// ---------------------------------------------------------------------------------------------
// Retry schedule.
//
// Reading of "16 tries within 24 hours (after 1 min, then 5 min x2, 10 min x5, 1 h x5, 6 h x3)":
// the 16 are RETRIES that follow the original delivery (Juspay's own documentation numbers them
// "1st retry" .. "16th retry", and the list has exactly 16 intervals). So an event gets at most
// 17 HTTP attempts: the original, immediately, then 16 retries, each delay measured from the
// previous attempt. The last retry happens 24 h 1 min after the original (1 + 10 + 50 + 300 +
// 1080 = 1441 minutes): "within 24 hours" is Juspay's rounding, kept as is for compatibility.
// ---------------------------------------------------------------------------------------------

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Delay before retry n+1, counted from the previous attempt. */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = Object.freeze([
  1 * MINUTE,
  5 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  10 * MINUTE,
  10 * MINUTE,
  10 * MINUTE,
  10 * MINUTE,
  1 * HOUR,
  1 * HOUR,
  1 * HOUR,
  1 * HOUR,
  1 * HOUR,
  6 * HOUR,
  6 * HOUR,
  6 * HOUR,
]);

export const WEBHOOK_MAX_RETRIES = WEBHOOK_RETRY_DELAYS_MS.length; // 16
/** The original delivery plus every retry. */
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_MAX_RETRIES + 1; // 17

/**
 * When to try again after `attemptsMade` failed attempts (1 = the original delivery failed),
 * or null when the schedule is exhausted and the event is given up (status FAILED).
 */
export function nextWebhookAttemptAt(attemptsMade: number, failedAtMs: number): number | null {
  if (!Number.isInteger(attemptsMade) || attemptsMade < 1) throw new Error(`attemptsMade must be a positive integer, got ${attemptsMade}`);
  const delay = WEBHOOK_RETRY_DELAYS_MS[attemptsMade - 1];
  return delay === undefined ? null : failedAtMs + delay;
}

// ---------------------------------------------------------------------------------------------
// Webhook versions: a merchant's webhook API version (a date, `YYYY-MM-DD`) selects the events it
// receives; an event is sent when the version is on or after the date the event was introduced.
// Juspay publishes: ORDER_SUCCEEDED, ORDER_REFUNDED, ORDER_REFUND_FAILED for all versions;
// ORDER_FAILED from 2016-07-19; TXN_CREATED from 2016-10-27. Its dates for the others are not
// public: we give TXN_CHARGED and TXN_FAILED the date of TXN_CREATED (the transaction family comes
// as one) and the refund-outcome events (manual review, auto refunds) to every version, like
// ORDER_REFUNDED. No version (or one that is not a date) means the latest: every event. The risk
// review events are Junction's own, introduced 2026-12-04: a merchant pinned to an older version
// does not start receiving event names it has never seen.
// ---------------------------------------------------------------------------------------------

const ALL_VERSIONS = '0000-00-00';

export const WEBHOOK_EVENT_SINCE_VERSION: Readonly<Record<WebhookEventName, string>> = Object.freeze({
  ORDER_SUCCEEDED: ALL_VERSIONS,
  ORDER_REFUNDED: ALL_VERSIONS,
  ORDER_REFUND_FAILED: ALL_VERSIONS,
  REFUND_MANUAL_REVIEW_NEEDED: ALL_VERSIONS,
  AUTO_REFUND_SUCCEEDED: ALL_VERSIONS,
  AUTO_REFUND_FAILED: ALL_VERSIONS,
  ORDER_FAILED: '2016-07-19',
  TXN_CREATED: '2016-10-27',
  TXN_CHARGED: '2016-10-27',
  TXN_FAILED: '2016-10-27',
  TXN_MANUAL_REVIEW_NEEDED: '2026-12-04',
  TXN_REVIEW_APPROVED: '2026-12-04',
  TXN_REVIEW_REJECTED: '2026-12-04',
  TXN_REVIEW_EXPIRED: '2026-12-04',
  PRIORITY_LOGIC_ROLLED_BACK: '2026-12-04',
  PRIORITY_LOGIC_PROMOTED: '2026-12-04',
});

const VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a merchant on webhook `version` receives `eventName`. */
export function isEventInWebhookVersion(eventName: WebhookEventName, version: string | null | undefined): boolean {
  const v = version?.trim();
  if (!v || !VERSION_PATTERN.test(v)) return true;
  // ISO dates compare correctly as strings.
  return v >= WEBHOOK_EVENT_SINCE_VERSION[eventName];
}

export function webhookEventsForVersion(version: string | null | undefined): WebhookEventName[] {
  return WEBHOOK_EVENT_NAMES.filter((name) => isEventInWebhookVersion(name, version));
}

/**
 * Where an order's webhooks go: `metadata.webhook_url` on the order when it is an http(s) URL,
 * else the merchant's configured URL; null when there is nowhere to send (enqueue nothing).
 * Each URL is judged by the rule it was accepted with: the order's by the order input's pattern
 * (so every per-order URL the API accepted is used as given), the merchant's by the URL parser
 * (as the merchant input checks it).
 */
export function resolveWebhookTarget(merchantWebhookUrl: string | null | undefined, orderMetadata?: Readonly<Record<string, unknown>> | null): string | null {
  const perOrder = orderMetadata?.webhook_url;
  if (typeof perOrder === 'string' && URL_PATTERN.test(perOrder)) return perOrder;
  if (merchantWebhookUrl && isHttpUrl(merchantWebhookUrl)) return merchantWebhookUrl;
  return null;
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
