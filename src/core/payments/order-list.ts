// GET /orders: a merchant's orders, newest first, filtered by creation time and status, a page at
// a time. Juspay publishes no order list, so the shape follows its naming (`date_created`,
// `status`, `status_id`, decimal `amount`) and docs/payments.md documents it. Pages are keyset
// pages on (created_at, id): the cursor names the last order of a page, so orders created
// meanwhile never shift, repeat or hide an order on the following pages.
import { invalidField } from '../errors.ts';
import { formatAmount } from '../money.ts';
import { allOrderStatuses } from '../status.ts';
import type { Order } from './types.ts';
import { iso, orderHeadView } from './order-status-view.ts';

export const ORDER_LIST_DEFAULT_LIMIT = 20;
export const ORDER_LIST_MAX_LIMIT = 100;
export const ORDER_LIST_PARAMS = ['date_created_from', 'date_created_to', 'status', 'limit', 'cursor'] as const;

/** A position in the list: the creation time in microseconds and the internal id of the last order seen. */
export interface OrderListCursor {
  createdUs: number;
  id: string;
}

export interface OrderListQuery {
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  statuses?: string[];
  limit: number;
  after?: OrderListCursor;
}

const ORDER_STATUSES = new Set<string>(allOrderStatuses());
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

function single(raw: unknown, field: string): string | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) throw invalidField(field, 'must be given once');
  if (typeof raw !== 'string') throw invalidField(field, 'must be a string');
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** An ISO-8601 date or date-time with its zone (Z or an offset), or Unix epoch seconds. */
export function parseInstantParam(text: string, field: string): Date {
  let ms: number;
  if (/^\d{1,11}$/.test(text)) {
    ms = Number(text) * 1000;
  } else if (ISO_WITH_ZONE.test(text)) {
    ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  } else {
    throw invalidField(field, 'must be an ISO-8601 date-time with a zone (2024-05-01T00:00:00Z), a date (2024-05-01, UTC) or Unix epoch seconds');
  }
  if (!Number.isFinite(ms)) throw invalidField(field, 'is not a valid date');
  if (ms < EARLIEST || ms >= LATEST) throw invalidField(field, 'must be between 2000 and 2100');
  return new Date(ms);
}

export function encodeOrderListCursor(cursor: OrderListCursor): string {
  return Buffer.from(`${cursor.createdUs}.${cursor.id}`, 'utf8').toString('base64url');
}

export function decodeOrderListCursor(text: string): OrderListCursor {
  const bad = () => invalidField('cursor', 'is not a next_cursor of a previous page');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) throw bad();
  const match = /^(\d{1,17})\.([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) throw bad();
  const createdUs = Number(match[1]);
  if (!Number.isSafeInteger(createdUs)) throw bad();
  return { createdUs, id: match[2]! };
}

/** Validates the query string; every failure names its parameter. */
export function parseOrderListQuery(raw: Readonly<Record<string, unknown>>): OrderListQuery {
  for (const key of Object.keys(raw)) {
    if (!(ORDER_LIST_PARAMS as readonly string[]).includes(key)) throw invalidField(key, `is not a parameter of GET /orders (${ORDER_LIST_PARAMS.join(', ')})`);
  }
  const fromText = single(raw.date_created_from, 'date_created_from');
  const toText = single(raw.date_created_to, 'date_created_to');
  const from = fromText === undefined ? undefined : parseInstantParam(fromText, 'date_created_from');
  const to = toText === undefined ? undefined : parseInstantParam(toText, 'date_created_to');
  if (from && to && from >= to) throw invalidField('date_created_from', 'must be before date_created_to');

  // status=CHARGED,AUTHORIZED or status=CHARGED&status=AUTHORIZED
  const statusValues = raw.status === undefined ? [] : Array.isArray(raw.status) ? raw.status : [raw.status];
  const statuses: string[] = [];
  for (const value of statusValues) {
    if (typeof value !== 'string') throw invalidField('status', 'must be a string');
    for (const part of value.split(',')) {
      const status = part.trim().toUpperCase();
      if (status === '') continue;
      if (!ORDER_STATUSES.has(status)) throw invalidField('status', `${part.trim()} is not an order status (${[...ORDER_STATUSES].join(', ')})`);
      if (!statuses.includes(status)) statuses.push(status);
    }
  }
  if (statuses.length > 20) throw invalidField('status', 'at most 20 statuses');

  const limitText = single(raw.limit, 'limit');
  let limit = ORDER_LIST_DEFAULT_LIMIT;
  if (limitText !== undefined) {
    if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > ORDER_LIST_MAX_LIMIT) {
      throw invalidField('limit', `must be a whole number from 1 to ${ORDER_LIST_MAX_LIMIT}`);
    }
    limit = Number(limitText);
  }
  const cursorText = single(raw.cursor, 'cursor');
  return {
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(statuses.length > 0 ? { statuses } : {}),
    limit,
    ...(cursorText !== undefined ? { after: decodeOrderListCursor(cursorText) } : {}),
  };
}

/** One order of the list: the order's own fields as the order status shows them, without its attempts. */
export function orderListItemView(order: Order): Record<string, unknown> {
  return {
    ...orderHeadView(order),
    amount_refunded: formatAmount(order.amountRefunded, order.currency),
    refunded: order.amountRefunded > 0 && order.amountRefunded >= order.amount,
    ...(order.amountCaptured !== null ? { amount_captured: formatAmount(order.amountCaptured, order.currency) } : {}),
    customer_id: order.customerId,
    customer_email: order.customerEmail,
    customer_phone: order.customerPhone,
    product_id: order.productId,
    description: order.description,
    gateway_id: order.gatewayId,
    txn_count: order.txnCount,
    date_created: iso(order.createdAt),
    last_updated: iso(order.updatedAt),
  };
}
