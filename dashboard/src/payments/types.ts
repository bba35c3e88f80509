// The order answers of the dashboard API (docs/dashboard-api.md, Payments), read defensively: the
// detail is `{ order, attempts, refunds }` (a flat order with `attempts`/`txn_list` is accepted
// too); field names follow the EC API's order status view.

import { allOrderStatuses, type OrderStatus } from '../../../src/core/status.ts';

type Json = Record<string, unknown>;

export interface OrderListRow {
  order_id: string;
  status: string;
  amount: string | number;
  currency: string;
  customer_id: string | null;
  txn_count: number;
  gateway: string | null;
  created_at: string;
}

export interface OrderList {
  orders: OrderListRow[];
  next_cursor: string | null;
}

export interface OrderSummary {
  orderId: string;
  status: string;
  amount: string;
  currency: string;
  customerId: string | null;
  customerEmail: string | null;
  customerPhone: string | null;
  description: string | null;
  amountRefunded: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface UnifiedError {
  code: string;
  message: string | null;
  category: string | null;
}

export interface Attempt {
  /** 1-based position among the order's attempts. */
  number: number;
  txnId: string | null;
  txnUuid: string | null;
  status: string;
  gateway: string | null;
  paymentMethodType: string | null;
  paymentMethod: string | null;
  unifiedError: UnifiedError | null;
  gatewayCode: string | null;
  gatewayMessage: string | null;
  latencyMs: number | null;
  createdAt: string | null;
  routingDecision: Json | null;
}

export interface RefundRow {
  id: string;
  uniqueRequestId: string | null;
  amount: string;
  status: string;
  ref: string | null;
  arn: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: string | null;
}

export interface OrderDetail {
  order: OrderSummary;
  attempts: Attempt[];
  refunds: RefundRow[];
}

function s(v: unknown): string | null {
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function n(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function obj(v: unknown): Json | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
}

export function amountText(v: unknown): string {
  return s(v) ?? '–';
}

function normalizeAttempt(raw: unknown, index: number): Attempt {
  const t = obj(raw) ?? {};
  const ue = obj(t.unified_error);
  const code = s(ue?.code) ?? s(t.error_code);
  const raw_ = obj(t.raw_error) ?? obj(t.gateway_error) ?? obj(t.gateway_response);
  return {
    number: index + 1,
    txnId: s(t.txn_id),
    txnUuid: s(t.txn_uuid) ?? s(t.id),
    status: s(t.status) ?? 'UNKNOWN',
    gateway: s(t.gateway),
    paymentMethodType: s(t.payment_method_type),
    paymentMethod: s(t.payment_method),
    unifiedError: code ? { code, message: s(ue?.message) ?? s(t.error_message), category: s(ue?.category) ?? s(t.error_category) ?? s(t.category) } : null,
    gatewayCode: s(t.gateway_code) ?? s(ue?.gateway_code) ?? s(raw_?.code) ?? s(raw_?.resp_code),
    gatewayMessage: s(t.gateway_message) ?? s(ue?.gateway_message) ?? s(raw_?.message) ?? s(raw_?.resp_message),
    latencyMs: n(t.latency_ms),
    createdAt: s(t.created_at) ?? s(t.created),
    routingDecision: obj(t.routing_decision) ?? obj(t.routing),
  };
}

function normalizeRefund(raw: unknown): RefundRow {
  const r = obj(raw) ?? {};
  return {
    id: s(r.id) ?? s(r.refund_id) ?? '',
    uniqueRequestId: s(r.unique_request_id),
    amount: amountText(r.amount),
    status: s(r.status) ?? 'UNKNOWN',
    ref: s(r.ref),
    arn: s(r.arn),
    errorCode: s(r.error_code),
    errorMessage: s(r.error_message),
    createdAt: s(r.created_at) ?? s(r.created),
  };
}

export function normalizeOrderDetail(answer: unknown): OrderDetail {
  const body = obj(answer) ?? {};
  const o = obj(body.order) ?? body;
  const attemptsRaw = (body.attempts ?? body.transactions ?? body.txns ?? o.attempts ?? o.txn_list ?? []) as unknown;
  const list = Array.isArray(attemptsRaw) ? [...attemptsRaw] : [];
  // Oldest first: by attempt number when given, else as listed.
  const keyed = list.map((t, i) => ({ t, i, a: n(obj(t)?.attempt) }));
  if (keyed.every((k) => k.a !== null)) keyed.sort((x, y) => x.a! - y.a! || x.i - y.i);
  const refundsRaw = (body.refunds ?? o.refunds ?? []) as unknown;
  return {
    order: {
      orderId: s(o.order_id) ?? s(o.id) ?? '',
      status: s(o.status) ?? 'UNKNOWN',
      amount: amountText(o.amount),
      currency: s(o.currency) ?? '',
      customerId: s(o.customer_id),
      customerEmail: s(o.customer_email),
      customerPhone: s(o.customer_phone),
      description: s(o.description),
      amountRefunded: s(o.amount_refunded),
      createdAt: s(o.created_at) ?? s(o.date_created),
      updatedAt: s(o.updated_at) ?? s(o.last_updated),
    },
    attempts: keyed.map((k, i) => normalizeAttempt(k.t, i)),
    refunds: Array.isArray(refundsRaw) ? refundsRaw.map(normalizeRefund) : [],
  };
}

/** Every order status, from the one status table of the engine (src/core/status.ts). */
export const ORDER_STATUSES: readonly OrderStatus[] = allOrderStatuses();

const FAILED = new Set(['JUSPAY_DECLINED', 'AUTHENTICATION_FAILED', 'AUTHORIZATION_FAILED', 'CAPTURE_FAILED', 'VOID_FAILED', 'FAILURE']);
const OK = new Set(['CHARGED', 'SUCCESS', 'AUTHORIZED']);

export function statusBadgeClass(status: string): string {
  return `badge ${OK.has(status) ? 'badge-success' : FAILED.has(status) ? 'badge-failure' : ''}`.trim();
}
