// The webhook outbox: events are written in the same transaction as the state change that causes
// them (so an event exists if and only if the change committed), then delivered by
// workers/webhook-delivery.ts. Claiming uses `FOR UPDATE SKIP LOCKED` plus a lease
// (`locked_until`): concurrent workers never claim the same row, and a row claimed by a worker
// that died becomes claimable again when its lease runs out. Delivery is at-least-once.
import type { Db, Sql } from './db.ts';
import type { WebhookEnvelope, WebhookEventName } from '../core/webhook-events.ts';
import { isEventInWebhookVersion, isWebhookEventName, LOGIC_EVENTS } from '../core/webhook-events.ts';
import type { WebhookDelivery, WebhookLogStore } from '../core/ports/webhook-log-store.ts';

export type OutboxStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

export interface OutboxEventRow {
  id: string;
  merchant_id: string;
  event_name: string;
  payload: WebhookEnvelope;
  target_url: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: Date;
  locked_until: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

export interface OutboxEvent {
  id: string;
  merchantId: string;
  eventName: WebhookEventName;
  payload: WebhookEnvelope;
  targetUrl: string;
  status: OutboxStatus;
  /** HTTP attempts made so far. */
  attempts: number;
  nextAttemptAt: Date;
  lockedUntil: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

function toEvent(row: OutboxEventRow): OutboxEvent {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    eventName: row.event_name as WebhookEventName,
    payload: row.payload,
    targetUrl: row.target_url,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lockedUntil: row.locked_until,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  };
}

const COLUMNS = 'id, merchant_id, event_name, payload, target_url, status, attempts, next_attempt_at, locked_until, last_status_code, last_error, created_at, delivered_at';

/**
 * "Due now" as the database writes it: its now() cut to the millisecond. The delivery worker claims
 * by the service's millisecond clock, for which a due time with microseconds stays in the future
 * until the next millisecond (a re-send answered and polled within that millisecond was missed).
 */
const DUE_NOW = `date_trunc('milliseconds', now())`;

export interface EnqueueWebhookEventInput {
  merchantId: string;
  /** One of WEBHOOK_EVENT_NAMES (checked at run time: callers may hold it as a plain string). */
  eventName: WebhookEventName | string;
  /**
   * The envelope from buildWebhookEnvelope / buildEvent; its `id` (evt_...) becomes the outbox
   * id and the `x-junction-event-id` header, and its `event_name` must equal `eventName`.
   */
  payload: WebhookEnvelope | Readonly<Record<string, unknown>>;
  targetUrl: string;
  /**
   * The merchant's webhook API version. When given, an event that version does not receive is
   * not enqueued (the function returns null). Omit it to enqueue unconditionally.
   */
  webhookVersion?: string | null;
  /** First delivery time; by default now (DUE_NOW). */
  availableAt?: Date;
}

/**
 * Queues one webhook. Call it with the `Sql` of the transaction that makes the state change, so
 * that the event commits or rolls back with it. Returns the event id, or null when filtered out
 * by `webhookVersion`. Throws on a malformed event (a programming error, which rolls the caller's
 * transaction back: better than a state change whose webhook silently vanished).
 */
export async function enqueueWebhookEvent(tx: Sql, input: EnqueueWebhookEventInput): Promise<string | null> {
  const { eventName, payload } = input;
  if (!isWebhookEventName(eventName)) throw new Error(`Unknown webhook event: ${String(eventName)}`);
  const id = payload.id;
  if (typeof id !== 'string' || !id.startsWith('evt_')) throw new Error('A webhook envelope needs an id starting with evt_');
  if (payload.event_name !== eventName) throw new Error(`Envelope event ${String(payload.event_name)} does not match ${eventName}`);
  const content = payload.content;
  const needs = LOGIC_EVENTS.has(eventName) ? 'priority_logic' : 'order';
  if (typeof content !== 'object' || content === null || typeof (content as Record<string, unknown>)[needs] !== 'object') {
    throw new Error(`A webhook envelope needs content.${needs}`);
  }
  if (!input.targetUrl) throw new Error('A webhook needs a target URL');
  if (input.webhookVersion !== undefined && !isEventInWebhookVersion(eventName, input.webhookVersion)) return null;
  await tx.query(
    `INSERT INTO outbox_events (id, merchant_id, event_name, payload, target_url, status, attempts, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, 'PENDING', 0, coalesce($6::timestamptz, ${DUE_NOW}))`,
    [id, input.merchantId, eventName, { ...payload }, input.targetUrl, input.availableAt ?? null],
  );
  return id;
}

export interface ClaimOptions {
  limit: number;
  /** How long the claim holds: past it, another worker may take the event again. */
  lockMs: number;
  now: Date;
}

/**
 * Claims up to `limit` due events (PENDING, next_attempt_at reached, no live lease), oldest due
 * first, and leases them until now + lockMs.
 */
export async function claimDueEvents(db: Db, options: ClaimOptions): Promise<OutboxEvent[]> {
  if (options.limit <= 0) return [];
  const lockedUntil = new Date(options.now.getTime() + options.lockMs);
  const rows = await db.transaction((tx) =>
    tx.query<OutboxEventRow>(
      `WITH due AS (
         SELECT id FROM outbox_events
          WHERE status = 'PENDING' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
          ORDER BY next_attempt_at, id
          LIMIT $2
          FOR UPDATE SKIP LOCKED
       )
       UPDATE outbox_events o SET locked_until = $3
         FROM due WHERE o.id = due.id
       RETURNING ${COLUMNS.split(', ')
         .map((c) => `o.${c}`)
         .join(', ')}`,
      [options.now, options.limit, lockedUntil],
    ),
  );
  return rows.map(toEvent).sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || (a.id < b.id ? -1 : 1));
}

/**
 * Records a 2xx answer. Applies whatever the lease state: the merchant has the event, and a
 * second delivery by another worker is harmless (at-least-once) but a lost "delivered" is not.
 */
export async function markDelivered(db: Sql, eventId: string, options: { now: Date; statusCode: number }): Promise<void> {
  await db.query(
    `UPDATE outbox_events
        SET status = 'DELIVERED', attempts = attempts + 1, delivered_at = $2, last_status_code = $3,
            last_error = NULL, locked_until = NULL
      WHERE id = $1 AND status <> 'DELIVERED'`,
    [eventId, options.now, options.statusCode],
  );
}

export interface FailedAttempt {
  /** The attempt count the claim saw; the update only applies if no one else recorded one since. */
  attemptsBefore: number;
  /** When to try again, or null when the schedule is exhausted: the event becomes FAILED. */
  nextAttemptAt: Date | null;
  statusCode: number | null;
  error: string;
}

/** Records a failed attempt; returns false when the event was settled by someone else meanwhile. */
export async function markFailedAttempt(db: Sql, eventId: string, attempt: FailedAttempt): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `UPDATE outbox_events
        SET attempts = attempts + 1,
            status = CASE WHEN $2::timestamptz IS NULL THEN 'FAILED' ELSE 'PENDING' END,
            next_attempt_at = coalesce($2::timestamptz, next_attempt_at),
            last_status_code = $3, last_error = $4, locked_until = NULL
      WHERE id = $1 AND status = 'PENDING' AND attempts = $5
      RETURNING id`,
    [eventId, attempt.nextAttemptAt, attempt.statusCode, attempt.error.slice(0, 1000), attempt.attemptsBefore],
  );
  return rows.length > 0;
}

export interface ListEventsFilters {
  status?: OutboxStatus;
  eventName?: WebhookEventName;
  /** The merchant's order_id (content.order.order_id). */
  orderId?: string;
  /** Only events created strictly before this time (paging, newest first). */
  createdBefore?: Date;
  limit?: number;
}

/** A merchant's events, newest first (for the dashboard and operators). */
export async function listEvents(db: Sql, merchantId: string, filters: ListEventsFilters = {}): Promise<OutboxEvent[]> {
  const where = ['merchant_id = $1'];
  const params: (string | number | Date)[] = [merchantId];
  const add = (clause: string, value: string | number | Date): void => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (filters.status) add('status = ?', filters.status);
  if (filters.eventName) add('event_name = ?', filters.eventName);
  if (filters.orderId) add(`payload->'content'->'order'->>'order_id' = ?`, filters.orderId);
  if (filters.createdBefore) add('created_at < ?', filters.createdBefore);
  const limit = Math.min(Math.max(Math.trunc(filters.limit ?? 50), 1), 500);
  params.push(limit);
  const rows = await db.query<OutboxEventRow>(`SELECT ${COLUMNS} FROM outbox_events WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`, params);
  return rows.map(toEvent);
}

export async function getEvent(db: Sql, merchantId: string, eventId: string): Promise<OutboxEvent | null> {
  const rows = await db.query<OutboxEventRow>(`SELECT ${COLUMNS} FROM outbox_events WHERE merchant_id = $1 AND id = $2`, [merchantId, eventId]);
  return rows[0] ? toEvent(rows[0]) : null;
}

/**
 * Operator replay: puts the event back in the queue, due now, with a fresh retry schedule. The
 * event keeps its id and body (it is the same fact), so a merchant that already processed it can
 * still recognise it. Returns null for an unknown event (of another merchant, too).
 */
export async function redeliver(db: Sql, merchantId: string, eventId: string, options: { now?: Date } = {}): Promise<OutboxEvent | null> {
  const rows = await db.query<OutboxEventRow>(
    `UPDATE outbox_events
        SET status = 'PENDING', attempts = 0, next_attempt_at = coalesce($3::timestamptz, ${DUE_NOW}), locked_until = NULL,
            last_error = NULL, last_status_code = NULL, delivered_at = NULL
      WHERE merchant_id = $1 AND id = $2
      RETURNING ${COLUMNS}`,
    [merchantId, eventId, options.now ?? null],
  );
  return rows[0] ? toEvent(rows[0]) : null;
}

function toDelivery(event: OutboxEvent): WebhookDelivery {
  const order = (event.payload as { content?: { order?: { order_id?: unknown } } }).content?.order?.order_id;
  return {
    id: event.id,
    eventName: event.eventName,
    orderId: typeof order === 'string' ? order : null,
    targetUrl: event.targetUrl,
    status: event.status,
    attempts: event.attempts,
    lastStatusCode: event.lastStatusCode,
    lastError: event.lastError,
    createdAt: event.createdAt,
    nextAttemptAt: event.nextAttemptAt,
    deliveredAt: event.deliveredAt,
  };
}

/** The webhook delivery log port (core/ports/webhook-log-store.ts) over the outbox. */
export function createWebhookLogStore(db: Db): WebhookLogStore {
  return {
    async listForOrder(merchantId, orderId, limit) {
      return (await listEvents(db, merchantId, { orderId, limit })).map(toDelivery);
    },
    async get(merchantId, eventId) {
      const event = await getEvent(db, merchantId, eventId);
      return event ? toDelivery(event) : null;
    },
    async redeliver(merchantId, eventId) {
      const event = await redeliver(db, merchantId, eventId);
      return event ? toDelivery(event) : null;
    },
  };
}
