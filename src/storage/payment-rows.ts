// The payment tables' rows (snake_case, ending in Row) <-> domain objects, and the columns a patch
// may write: shared by the payment repository's statements.
import type { OrderStatus, TxnStatus } from '../core/status.ts';
import type { Customer, Order, Refund, RefundStatus, StoredCard, Txn, VaultedCard } from '../core/payments/types.ts';
import type { OrderPatch, RefundPatch, TxnPatch } from '../core/ports/payment-store.ts';
import type { SqlParam } from './db.ts';
// Decision records are stored in the shape they always had (rows old and new read alike).
import { readDecisionRecord } from '../core/payments/decision-wire.ts';
import { buildSetClause } from './sql-patch.ts';
import { toDate } from './sql-values.ts';

export interface OrderRow {
  id: string;
  merchant_id: string;
  order_id: string;
  amount: number;
  currency: string;
  status: string;
  customer_id: string | null;
  customer_email: string | null;
  customer_phone: string | null;
  description: string | null;
  product_id: string | null;
  return_url: string | null;
  gateway_id: number | null;
  billing_address: Record<string, string>;
  shipping_address: Record<string, string>;
  udf: Record<string, string>;
  metadata: Record<string, string>;
  amount_refunded: number;
  amount_captured: number | string | null;
  txn_count: number;
  lock_txn_id: string | null;
  charged_txn_id: string | null;
  last_txn_id: string | null;
  client_auth_token_expiry: Date | null;
  fulfillment: Order['fulfillment'];
  created_at: Date;
  updated_at: Date;
}

export interface TxnRow {
  id: string;
  merchant_id: string;
  order_pk: string;
  txn_id: string;
  attempt: number;
  status: string;
  amount: number;
  currency: string;
  payment_method_type: string;
  payment_method: string;
  auth_type: string | null;
  txn_type: string;
  gateway: string | null;
  gateway_id: number | null;
  gateway_account_id: string | null;
  gateway_reference_id: string | null;
  gateway_txn_id: string | null;
  card: StoredCard | null;
  upi: Txn['upi'];
  wallet: string | null;
  bank: string | null;
  error_code: string | null;
  error_message: string | null;
  error_category: string | null;
  gateway_code: string | null;
  gateway_message: string | null;
  gateway_response: Record<string, unknown> | null;
  authentication: Txn['authentication'];
  routing_decision: Record<string, unknown> | null;
  risk: Txn['risk'] | null;
  redirect: boolean;
  latency_ms: number | null;
  created_at: Date;
  updated_at: Date;
}

export interface RefundRow {
  id: string;
  merchant_id: string;
  order_pk: string;
  txn_pk: string;
  unique_request_id: string;
  amount: number;
  status: string;
  ref: string | null;
  arn: string | null;
  error_code: string | null;
  error_message: string | null;
  sent_to_gateway: boolean;
  initiated_by: string;
  refund_type: string;
  refund_source: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface CustomerRow {
  id: string;
  merchant_id: string;
  object_reference_id: string;
  mobile_number: string;
  mobile_country_code: string | null;
  email_address: string | null;
  first_name: string | null;
  last_name: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface CardVaultRow {
  token: string;
  merchant_id: string;
  customer_id: string | null;
  fingerprint: string;
  ciphertext: string;
  key_id: string;
  card_isin: string;
  last_four_digits: string;
  card_brand: string | null;
  card_type: string | null;
  card_issuer: string | null;
  expiry_month: string;
  expiry_year: string;
  name_on_card: string | null;
}

export function orderFromRow(r: OrderRow): Order {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    orderId: r.order_id,
    amount: Number(r.amount),
    currency: r.currency,
    status: r.status as OrderStatus,
    customerId: r.customer_id,
    customerEmail: r.customer_email,
    customerPhone: r.customer_phone,
    description: r.description,
    productId: r.product_id,
    returnUrl: r.return_url,
    gatewayId: r.gateway_id,
    billingAddress: r.billing_address,
    shippingAddress: r.shipping_address,
    udf: r.udf,
    metadata: r.metadata,
    amountRefunded: Number(r.amount_refunded),
    amountCaptured: r.amount_captured === null || r.amount_captured === undefined ? null : Number(r.amount_captured),
    txnCount: r.txn_count,
    lockTxnId: r.lock_txn_id,
    chargedTxnId: r.charged_txn_id,
    lastTxnId: r.last_txn_id,
    clientAuthTokenExpiry: r.client_auth_token_expiry ? toDate(r.client_auth_token_expiry) : null,
    fulfillment: r.fulfillment ?? null,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

export function txnFromRow(r: TxnRow): Txn {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    orderPk: r.order_pk,
    txnId: r.txn_id,
    attempt: r.attempt,
    status: r.status as TxnStatus,
    amount: Number(r.amount),
    currency: r.currency,
    paymentMethodType: r.payment_method_type,
    paymentMethod: r.payment_method,
    authType: r.auth_type,
    txnType: r.txn_type,
    gateway: r.gateway,
    gatewayId: r.gateway_id,
    gatewayAccountId: r.gateway_account_id,
    gatewayReferenceId: r.gateway_reference_id,
    gatewayTxnId: r.gateway_txn_id,
    card: r.card,
    upi: r.upi,
    wallet: r.wallet,
    bank: r.bank,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    errorCategory: r.error_category,
    gatewayCode: r.gateway_code,
    gatewayMessage: r.gateway_message,
    gatewayResponse: r.gateway_response,
    authentication: r.authentication,
    routingDecision: readDecisionRecord(r.routing_decision),
    risk: r.risk ?? null,
    redirect: r.redirect,
    latencyMs: r.latency_ms,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

export function refundFromRow(r: RefundRow): Refund {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    orderPk: r.order_pk,
    txnPk: r.txn_pk,
    uniqueRequestId: r.unique_request_id,
    amount: Number(r.amount),
    status: r.status as RefundStatus,
    ref: r.ref,
    arn: r.arn,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    sentToGateway: r.sent_to_gateway,
    initiatedBy: r.initiated_by,
    refundType: r.refund_type,
    refundSource: r.refund_source,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

export function customerFromRow(r: CustomerRow): Customer {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    objectReferenceId: r.object_reference_id,
    mobileNumber: r.mobile_number,
    mobileCountryCode: r.mobile_country_code,
    emailAddress: r.email_address,
    firstName: r.first_name,
    lastName: r.last_name,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

export function cardFromRow(r: CardVaultRow): VaultedCard {
  return {
    token: r.token,
    merchantId: r.merchant_id,
    customerId: r.customer_id,
    fingerprint: r.fingerprint,
    ciphertext: r.ciphertext,
    keyId: r.key_id,
    card: {
      card_isin: r.card_isin,
      last_four_digits: r.last_four_digits,
      card_brand: r.card_brand,
      card_type: r.card_type,
      card_issuer: r.card_issuer,
      expiry_month: r.expiry_month,
      expiry_year: r.expiry_year,
      name_on_card: r.name_on_card,
    },
  };
}

/** Domain field -> column, for the patch builders. Only listed fields can be written. */
export const ORDER_COLUMNS: Record<keyof OrderPatch, string> = {
  amount: 'amount',
  status: 'status',
  customerId: 'customer_id',
  customerEmail: 'customer_email',
  customerPhone: 'customer_phone',
  description: 'description',
  productId: 'product_id',
  returnUrl: 'return_url',
  gatewayId: 'gateway_id',
  billingAddress: 'billing_address',
  shippingAddress: 'shipping_address',
  udf: 'udf',
  metadata: 'metadata',
  amountRefunded: 'amount_refunded',
  amountCaptured: 'amount_captured',
  txnCount: 'txn_count',
  lockTxnId: 'lock_txn_id',
  chargedTxnId: 'charged_txn_id',
  lastTxnId: 'last_txn_id',
  fulfillment: 'fulfillment',
};

export const TXN_COLUMNS: Record<keyof TxnPatch, string> = {
  status: 'status',
  amount: 'amount',
  currency: 'currency',
  paymentMethodType: 'payment_method_type',
  paymentMethod: 'payment_method',
  authType: 'auth_type',
  txnType: 'txn_type',
  gateway: 'gateway',
  gatewayId: 'gateway_id',
  gatewayAccountId: 'gateway_account_id',
  gatewayReferenceId: 'gateway_reference_id',
  gatewayTxnId: 'gateway_txn_id',
  card: 'card',
  upi: 'upi',
  wallet: 'wallet',
  bank: 'bank',
  errorCode: 'error_code',
  errorMessage: 'error_message',
  errorCategory: 'error_category',
  gatewayCode: 'gateway_code',
  gatewayMessage: 'gateway_message',
  gatewayResponse: 'gateway_response',
  authentication: 'authentication',
  routingDecision: 'routing_decision',
  risk: 'risk',
  redirect: 'redirect',
  latencyMs: 'latency_ms',
};

export const REFUND_COLUMNS: Record<keyof RefundPatch, string> = {
  status: 'status',
  ref: 'ref',
  arn: 'arn',
  errorCode: 'error_code',
  errorMessage: 'error_message',
  sentToGateway: 'sent_to_gateway',
  gatewayResponse: 'gateway_response',
};

export function buildSet<P extends object>(patch: P, columns: Record<keyof P, string>, startAt: number): { sql: string; params: SqlParam[] } {
  const { parts, params } = buildSetClause(patch, columns, startAt);
  return { sql: [...parts, 'updated_at = now()'].join(', '), params };
}
