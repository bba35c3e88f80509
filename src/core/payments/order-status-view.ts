// The order status answer of the EC API, built from our domain objects. Field names and
// shapes follow Juspay's order status response.
import { formatAmount } from '../money.ts';
import { STATUS_ID } from '../status.ts';
import { riskBlock } from '../../risk/engine.ts';
import { storedDecisionWire } from './decision-wire.ts';
import type { Customer, Order, Refund, Txn, TxnRisk } from './types.ts';

export interface OrderViewContext {
  publicBaseUrl: string;
  includeFullGatewayResponse?: boolean;
}

export function paymentLinks(order: Order, base: string): Record<string, string> {
  const web = `${base}/pay/${order.id}`;
  return { web, mobile: `${web}?mobile=true`, iframe: `${web}?iframe=true` };
}

/** The transaction that speaks for the order: the charged one, else the latest. */
export function primaryTxn(order: Order, txns: readonly Txn[]): Txn | null {
  if (order.chargedTxnId) return txns.find((t) => t.id === order.chargedTxnId) ?? null;
  return txns.length ? txns.reduce((a, b) => (b.attempt > a.attempt ? b : a)) : null;
}

/** The API speaks snake_case: camelCase keys of stored records (the routing engine's) are renamed; other keys stay. */
export function snakeCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCaseKeys);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const name = /^[a-z][a-zA-Z0-9]*$/.test(key) ? key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : key;
    out[name] = snakeCaseKeys(inner);
  }
  return out;
}

/** A time as the EC API writes it: ISO-8601 in UTC, to the second. */
export function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function txnView(txn: Txn): Record<string, unknown> {
  return {
    txn_id: txn.txnId,
    txn_uuid: txn.id,
    status: txn.status,
    status_id: STATUS_ID[txn.status],
    error_code: txn.errorCode,
    error_message: txn.errorMessage,
    gateway: txn.gateway,
    gateway_id: txn.gatewayId,
    net_amount: formatAmount(txn.amount, txn.currency),
    txn_amount: formatAmount(txn.amount, txn.currency),
    surcharge_amount: null,
    tax_amount: null,
    offer_deduction_amount: null,
    currency: txn.currency,
    express_checkout: true,
    redirect: txn.redirect,
    created: iso(txn.createdAt),
    payment_method_type: txn.paymentMethodType,
    payment_method: txn.paymentMethod,
    unified_error: txn.errorCode ? { code: txn.errorCode, message: txn.errorMessage, category: txn.errorCategory, gateway_code: txn.gatewayCode, gateway_message: txn.gatewayMessage } : null,
    ...(txn.risk ? { risk_checks: riskTrace(txn.risk) } : {}),
  };
}

/** The trace of an attempt's risk checks: each check that ran, its answer and reasons, and the review or late decision. */
export function riskTrace(risk: TxnRisk): Record<string, unknown> {
  return {
    mode: risk.mode,
    action: risk.action,
    code: risk.code,
    allowlisted: risk.allowlisted,
    checks: risk.checks.map((c) => ({ check: c.check, action: c.action, score: c.score, reasons: c.reasons })),
    ...(risk.review
      ? {
          review: {
            state: risk.review.state,
            ...(risk.review.by ? { by: risk.review.by } : {}),
            ...(risk.review.at ? { at: risk.review.at } : {}),
            ...(risk.review.result !== undefined ? { result: risk.review.result } : {}),
            ...(risk.review.heldAt ? { held_at: risk.review.heldAt } : {}),
          },
        }
      : {}),
    ...(risk.postAuth ? { post_auth: risk.postAuth } : {}),
    ...(risk.late ? { late: risk.late } : {}),
  };
}

/** Juspay's order-status `risk` block, present only for attempts that went through risk checks. */
export function riskView(risk: TxnRisk): Record<string, unknown> {
  return riskBlock({
    provider: risk.provider,
    action: risk.late?.action === 'block' ? 'block' : risk.action,
    score: risk.score,
    reasons: risk.reasons,
    code: null,
    checks: [],
    allowlisted: risk.allowlisted,
  });
}

export function refundView(refund: Refund, currency: string): Record<string, unknown> {
  return {
    id: refund.id,
    unique_request_id: refund.uniqueRequestId,
    ref: refund.ref,
    amount: formatAmount(refund.amount, currency),
    status: refund.status,
    created: iso(refund.createdAt),
    error_code: refund.errorCode,
    error_message: refund.errorMessage,
    sent_to_gateway: refund.sentToGateway,
    initiated_by: refund.initiatedBy,
    refund_source: refund.refundSource,
    refund_type: refund.refundType,
    arn: refund.arn,
  };
}

export function orderCreateView(order: Order, ctx: OrderViewContext, clientAuthToken: string | null): Record<string, unknown> {
  return {
    status: order.status,
    status_id: STATUS_ID[order.status],
    id: order.id,
    order_id: order.orderId,
    merchant_id: order.merchantId,
    amount: formatAmount(order.amount, order.currency),
    currency: order.currency,
    customer_id: order.customerId,
    customer_email: order.customerEmail,
    customer_phone: order.customerPhone,
    product_id: order.productId,
    return_url: order.returnUrl,
    date_created: iso(order.createdAt),
    payment_links: paymentLinks(order, ctx.publicBaseUrl),
    order_expiry: iso(new Date(order.createdAt.getTime() + 24 * 3600_000)),
    refunded: false,
    amount_refunded: 0,
    ...(clientAuthToken && order.clientAuthTokenExpiry ? { juspay: { client_auth_token: clientAuthToken, client_auth_token_expiry: iso(order.clientAuthTokenExpiry) } } : {}),
  };
}

/** The fields every view of an order starts with, in the order the order status writes them. */
export function orderHeadView(order: Order): Record<string, unknown> {
  return {
    id: order.id,
    order_id: order.orderId,
    merchant_id: order.merchantId,
    status: order.status,
    status_id: STATUS_ID[order.status],
    amount: formatAmount(order.amount, order.currency),
    currency: order.currency,
  };
}

export function orderStatusView(order: Order, txns: readonly Txn[], refunds: readonly Refund[], ctx: OrderViewContext): Record<string, unknown> {
  const txn = primaryTxn(order, txns);
  const udf: Record<string, string> = {};
  for (let i = 1; i <= 10; i++) udf[`udf${i}`] = order.udf[`udf${i}`] ?? '';
  const refundedTotal = refunds.filter((r) => r.status === 'SUCCESS').reduce((sum, r) => sum + r.amount, 0);
  const view: Record<string, unknown> = {
    ...orderHeadView(order),
    customer_id: order.customerId,
    customer_email: order.customerEmail,
    customer_phone: order.customerPhone,
    date_created: iso(order.createdAt),
    return_url: order.returnUrl,
    product_id: order.productId,
    description: order.description,
    payment_links: paymentLinks(order, ctx.publicBaseUrl),
    ...udf,
    txn_id: txn?.txnId ?? null,
    txn_uuid: txn?.id ?? null,
    payment_method_type: txn?.paymentMethodType ?? null,
    payment_method: txn?.paymentMethod ?? null,
    auth_type: txn?.authType ?? null,
    refunded: order.amountRefunded > 0 && refundedTotal >= order.amount,
    amount_refunded: formatAmount(refundedTotal, order.currency),
    effective_amount: formatAmount((order.amountCaptured ?? order.amount) - refundedTotal, order.currency),
    ...(order.amountCaptured !== null ? { amount_captured: formatAmount(order.amountCaptured, order.currency) } : {}),
    resp_code: txn?.gatewayCode ?? null,
    resp_message: txn?.gatewayMessage ?? null,
    bank_error_code: txn?.status === 'CHARGED' ? '' : (txn?.gatewayCode ?? ''),
    bank_error_message: txn?.status === 'CHARGED' ? '' : (txn?.gatewayMessage ?? ''),
    gateway_id: txn?.gatewayId ?? order.gatewayId ?? null,
    gateway_reference_id: txn?.gatewayReferenceId ?? order.metadata['JUSPAY:gateway_reference_id'] ?? null,
    metadata: order.metadata,
    billing_address: order.billingAddress,
    shipping_address: order.shippingAddress,
  };
  if (txn) {
    view.txn_detail = txnView(txn);
    view.payment_gateway_response = {
      resp_code: txn.gatewayCode,
      resp_message: txn.gatewayMessage,
      rrn: (txn.gatewayResponse?.rrn as string | undefined) ?? null,
      epg_txn_id: txn.gatewayTxnId,
      auth_id_code: (txn.gatewayResponse?.auth_id_code as string | undefined) ?? null,
      txn_id: txn.txnId,
      created: iso(txn.updatedAt),
      ...(ctx.includeFullGatewayResponse ? { gateway_response: txn.gatewayResponse?.body ?? null } : {}),
    };
    if (txn.card) {
      const c = txn.card;
      view.card = {
        card_isin: c.card_isin,
        last_four_digits: c.last_four_digits,
        card_type: c.card_type,
        card_brand: c.card_brand,
        card_issuer: c.card_issuer,
        card_issuer_country: c.card_issuer_country,
        expiry_month: c.expiry_month,
        expiry_year: c.expiry_year,
        name_on_card: c.name_on_card,
        card_reference: c.card_reference,
        card_fingerprint: c.card_fingerprint,
        using_saved_card: c.using_saved_card,
        saved_to_locker: c.saved_to_locker,
        using_token: c.using_token,
      };
    }
    if (txn.upi) view.upi = { payer_vpa: txn.upi.vpa, txn_flow_type: txn.upi.txn_type === 'UPI_COLLECT' ? 'COLLECT' : 'INTENT', payer_app: txn.upi.app };
    if (txn.routingDecision) view.routing = storedDecisionWire(txn.routingDecision);
    if (txn.risk) view.risk = riskView(txn.risk);
  }
  if (order.fulfillment) view.fulfillment = order.fulfillment;
  if (txns.length > 1) view.txn_list = txns.map(txnView);
  if (refunds.length) view.refunds = refunds.map((r) => refundView(r, order.currency));
  return view;
}

export function customerView(customer: Customer): Record<string, unknown> {
  return {
    id: customer.id,
    object: 'customer',
    object_reference_id: customer.objectReferenceId,
    mobile_number: customer.mobileNumber,
    mobile_country_code: customer.mobileCountryCode,
    email_address: customer.emailAddress,
    first_name: customer.firstName,
    last_name: customer.lastName,
    date_created: iso(customer.createdAt),
    last_updated: iso(customer.updatedAt),
  };
}
