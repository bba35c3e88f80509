// Wire shapes of the dashboard's data API (docs/dashboard-api.md): TypeBox schemas, which also
// document the API in /openapi.json, and the domain -> wire converters. snake_case, ISO-8601
// times, amounts of orders as the API's decimal strings, analytics amounts in minor units.
import { Type, type Static, type TSchema } from 'typebox';
import type { AnalyticsReport, LiveReport, OrderDetail, OrderSummary } from '../../core/analytics/types.ts';
import { formatAmountString } from '../../core/money.ts';
import { storedDecisionWire } from '../../core/payments/decision-wire.ts';
import type { Refund, Txn } from '../../core/payments/types.ts';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const Count = Type.Integer({ minimum: 0 });
const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1, description: 'charged / attempts; null without attempts' }));
export const Time = Type.String({ format: 'date-time' });
const Text = (description: string, maxLength = 64) => Type.Optional(Type.String({ maxLength, description }));

// ---- queries ----------------------------------------------------------------------------------

export const AnalyticsQuerySchema = Type.Object({
  from: Text('ISO-8601 start (inclusive); default 24 hours before `to`'),
  to: Text('ISO-8601 end (exclusive); default now'),
  bucket: Text('minute, hour or day; default chosen from the range', 16),
  payment_method_type: Text('Only attempts of this payment method type (CARD, UPI, NB, WALLET, ...)', 32),
  card_brand: Text('Only card attempts of this brand (VISA, MASTERCARD, ...)', 32),
  gateway: Text('Only attempts on this gateway'),
  logic_id: Text('Only attempts routed by this Priority Logic (DEFAULT_ORDER: the default gateway order)'),
});

export const LiveQuerySchema = Type.Object({
  seconds: Text('Window length, 10 to 3600 (default 300)', 8),
  step: Text('Step length in seconds (default 10); at most 720 steps', 8),
});

export const OrdersQuerySchema = Type.Object({
  search: Text('Prefix of the order id, customer id or customer email', 200),
  status: Text('Order status (CHARGED, AUTHORIZATION_FAILED, ...)', 32),
  from: Text('Orders created at or after (ISO-8601)'),
  to: Text('Orders created before (ISO-8601)'),
  limit: Text('Page size, 1 to 200 (default 50)', 8),
  cursor: Text('next_cursor of the previous page', 256),
});

// ---- analytics ----------------------------------------------------------------------------------

const SeriesPoint = Type.Object({ t: Time, gateway: Nullable(Type.String()), attempts: Count, charged: Count });

export const AnalyticsResponse = Type.Object({
  from: Time,
  to: Time,
  bucket: Type.String(),
  rolled_up_until: Nullable(Time),
  totals: Type.Object({
    attempts: Count,
    charged: Count,
    success_rate: Rate,
    orders: Count,
    amount_charged_minor: Type.Integer({ description: 'Charged amount in minor units of `currency`' }),
    currency: Nullable(Type.String()),
    amounts_charged: Type.Array(Type.Object({ currency: Type.String(), amount_minor: Type.Integer() }), { description: 'Charged amounts per currency' }),
  }),
  by_gateway: Type.Array(
    Type.Object({
      gateway: Nullable(Type.String({ description: 'null: attempts for which no gateway was found' })),
      attempts: Count,
      charged: Count,
      success_rate: Rate,
      latency_ms: Type.Object({ p50: Nullable(Type.Integer()), p90: Nullable(Type.Integer()), p99: Nullable(Type.Integer()) }),
    }),
  ),
  series: Type.Array(SeriesPoint),
  failures: Type.Array(Type.Object({ error_code: Type.String(), category: Nullable(Type.String()), count: Count })),
  by_logic: Type.Array(Type.Object({ logic_id: Type.String(), logic_name: Type.String(), attempts: Count, charged: Count, success_rate: Rate })),
  first_attempt: Type.Object({ orders: Count, charged_first_attempt: Count, charged_after_fallback: Count }),
  filters: Type.Object({
    payment_method_types: Type.Array(Type.String()),
    card_brands: Type.Array(Type.String()),
    gateways: Type.Array(Type.String()),
    logics: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  }),
});

export const iso = (d: Date): string => d.toISOString();

export function analyticsToWire(r: AnalyticsReport): Static<typeof AnalyticsResponse> {
  return {
    from: iso(r.from),
    to: iso(r.to),
    bucket: r.bucket,
    rolled_up_until: r.rolledUpUntil ? iso(r.rolledUpUntil) : null,
    totals: {
      attempts: r.totals.attempts,
      charged: r.totals.charged,
      success_rate: r.totals.successRate,
      orders: r.totals.orders,
      amount_charged_minor: r.totals.amountChargedMinor,
      currency: r.totals.currency,
      amounts_charged: r.totals.amountsCharged.map((a) => ({ currency: a.currency, amount_minor: a.amountCharged })),
    },
    by_gateway: r.byGateway.map((g) => ({ gateway: g.gateway, attempts: g.attempts, charged: g.charged, success_rate: g.successRate, latency_ms: g.latencyMs })),
    series: r.series.map((s) => ({ t: iso(s.t), gateway: s.gateway, attempts: s.attempts, charged: s.charged })),
    failures: r.failures.map((f) => ({ error_code: f.errorCode, category: f.category, count: f.count })),
    by_logic: r.byLogic.map((l) => ({ logic_id: l.logicId, logic_name: l.logicName, attempts: l.attempts, charged: l.charged, success_rate: l.successRate })),
    first_attempt: { orders: r.firstAttempt.orders, charged_first_attempt: r.firstAttempt.chargedFirstAttempt, charged_after_fallback: r.firstAttempt.chargedAfterFallback },
    filters: { payment_method_types: r.filters.paymentMethodTypes, card_brands: r.filters.cardBrands, gateways: r.filters.gateways, logics: r.filters.logics },
  };
}

export const LiveResponse = Type.Object({ from: Time, to: Time, step_seconds: Type.Integer(), series: Type.Array(SeriesPoint) });

export function liveToWire(r: LiveReport): Static<typeof LiveResponse> {
  return { from: iso(r.from), to: iso(r.to), step_seconds: r.stepSeconds, series: r.series.map((s) => ({ t: iso(s.t), gateway: s.gateway, attempts: s.attempts, charged: s.charged })) };
}

// ---- orders -------------------------------------------------------------------------------------

const OrderRow = Type.Object({
  order_id: Type.String(),
  status: Type.String(),
  amount: Type.String({ description: 'Decimal amount, e.g. "100.50"' }),
  currency: Type.String(),
  customer_id: Nullable(Type.String()),
  customer_email: Nullable(Type.String()),
  txn_count: Count,
  gateway: Nullable(Type.String({ description: 'Gateway of the charged attempt, else of the latest one' })),
  created_at: Time,
});
export const OrdersResponse = Type.Object({ orders: Type.Array(OrderRow), next_cursor: Nullable(Type.String()) });

export function orderSummaryToWire(o: OrderSummary): Static<typeof OrderRow> {
  return {
    order_id: o.orderId,
    status: o.status,
    amount: formatAmountString(o.amount, o.currency),
    currency: o.currency,
    customer_id: o.customerId,
    customer_email: o.customerEmail,
    txn_count: o.txnCount,
    gateway: o.gateway,
    created_at: iso(o.createdAt),
  };
}

const Attempt = Type.Object({
  txn_id: Type.String(),
  txn_uuid: Type.String(),
  attempt: Type.Integer(),
  status: Type.String(),
  gateway: Nullable(Type.String()),
  gateway_account_id: Nullable(Type.String()),
  amount: Type.String(),
  currency: Type.String(),
  payment_method_type: Type.String(),
  payment_method: Type.String(),
  card: Nullable(Type.Object({ card_brand: Nullable(Type.String()), card_type: Nullable(Type.String()), card_issuer: Nullable(Type.String()), last_four_digits: Type.String() })),
  unified_error: Nullable(Type.Object({ code: Type.String(), message: Nullable(Type.String()), category: Nullable(Type.String()) })),
  gateway_code: Nullable(Type.String({ description: "The gateway's raw response code" })),
  gateway_message: Nullable(Type.String({ description: "The gateway's raw response message" })),
  gateway_txn_id: Nullable(Type.String()),
  latency_ms: Nullable(Type.Integer()),
  routing_decision: Nullable(Type.Object({}, { additionalProperties: true, description: 'The full routing trace recorded with the attempt (snake_case)' })),
  created_at: Time,
  updated_at: Time,
});
const RefundRow = Type.Object({
  id: Type.String(),
  unique_request_id: Type.String(),
  amount: Type.String(),
  status: Type.String(),
  ref: Nullable(Type.String()),
  arn: Nullable(Type.String()),
  error_code: Nullable(Type.String()),
  error_message: Nullable(Type.String()),
  sent_to_gateway: Type.Boolean(),
  initiated_by: Type.String(),
  created_at: Time,
});
export const OrderDetailResponse = Type.Object({
  order: Type.Object({
    order_id: Type.String(),
    id: Type.String(),
    status: Type.String(),
    amount: Type.String(),
    amount_refunded: Type.String(),
    currency: Type.String(),
    customer_id: Nullable(Type.String()),
    customer_email: Nullable(Type.String()),
    customer_phone: Nullable(Type.String()),
    description: Nullable(Type.String()),
    product_id: Nullable(Type.String()),
    return_url: Nullable(Type.String()),
    txn_count: Count,
    udf: Type.Record(Type.String(), Type.String()),
    metadata: Type.Record(Type.String(), Type.String()),
    created_at: Time,
    updated_at: Time,
  }),
  attempts: Type.Array(Attempt),
  refunds: Type.Array(RefundRow),
});

function attemptToWire(t: Txn): Static<typeof Attempt> {
  return {
    txn_id: t.txnId,
    txn_uuid: t.id,
    attempt: t.attempt,
    status: t.status,
    gateway: t.gateway,
    gateway_account_id: t.gatewayAccountId,
    amount: formatAmountString(t.amount, t.currency),
    currency: t.currency,
    payment_method_type: t.paymentMethodType,
    payment_method: t.paymentMethod,
    card: t.card ? { card_brand: t.card.card_brand, card_type: t.card.card_type, card_issuer: t.card.card_issuer, last_four_digits: t.card.last_four_digits } : null,
    unified_error: t.errorCode ? { code: t.errorCode, message: t.errorMessage, category: t.errorCategory } : null,
    gateway_code: t.gatewayCode,
    gateway_message: t.gatewayMessage,
    gateway_txn_id: t.gatewayTxnId,
    latency_ms: t.latencyMs,
    routing_decision: t.routingDecision ? storedDecisionWire(t.routingDecision) : null,
    created_at: iso(t.createdAt),
    updated_at: iso(t.updatedAt),
  };
}

function refundToWire(r: Refund, currency: string): Static<typeof RefundRow> {
  return {
    id: r.id,
    unique_request_id: r.uniqueRequestId,
    amount: formatAmountString(r.amount, currency),
    status: r.status,
    ref: r.ref,
    arn: r.arn,
    error_code: r.errorCode,
    error_message: r.errorMessage,
    sent_to_gateway: r.sentToGateway,
    initiated_by: r.initiatedBy,
    created_at: iso(r.createdAt),
  };
}

export function orderDetailToWire(d: OrderDetail): Static<typeof OrderDetailResponse> {
  const o = d.order;
  return {
    order: {
      order_id: o.orderId,
      id: o.id,
      status: o.status,
      amount: formatAmountString(o.amount, o.currency),
      amount_refunded: formatAmountString(o.amountRefunded, o.currency),
      currency: o.currency,
      customer_id: o.customerId,
      customer_email: o.customerEmail,
      customer_phone: o.customerPhone,
      description: o.description,
      product_id: o.productId,
      return_url: o.returnUrl,
      txn_count: o.txnCount,
      udf: o.udf,
      metadata: o.metadata,
      created_at: iso(o.createdAt),
      updated_at: iso(o.updatedAt),
    },
    attempts: [...d.txns].sort((a, b) => a.attempt - b.attempt).map(attemptToWire),
    refunds: d.refunds.map((r) => refundToWire(r, o.currency)),
  };
}

export const RefundBody = Type.Object(
  {
    amount: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Number()], { description: 'Decimal amount, e.g. "10.50"; the whole refundable amount when absent' })),
    unique_request_id: Type.String({ minLength: 1, maxLength: 64, description: 'Your idempotency key for this refund' }),
  },
  { additionalProperties: false },
);
