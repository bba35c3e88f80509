// The one contract every gateway connector implements. A decline is data (an outcome), a
// broken integration is an exception (ConnectorError). Results always carry the gateway's raw
// code and message so they can be stored beside our unified code.
import type { AuthType, CardBrand, CardType, PaymentMethodType } from '../payment-methods.ts';

/** Decrypted credentials and settings of one merchant gateway account, handed to a connector per call. */
export interface ConnectorAccount {
  accountId: string;
  merchantId: string;
  gateway: string;
  gatewayReferenceId: string | null;
  credentials: Record<string, string>;
}

export interface CardDetails {
  /** Full PAN: only ever in memory, on the way to the gateway. */
  number: string;
  expMonth: string;
  expYear: string;
  cvv: string | null;
  holderName: string | null;
  bin: string;
  last4: string;
  brand: CardBrand | null;
  type: CardType | null;
  issuer: string | null;
  issuerCountry: string | null;
}

export interface AuthorizeRequest {
  txnId: string;
  txnUuid: string;
  orderId: string;
  merchantId: string;
  /** Minor units. */
  amount: number;
  currency: string;
  paymentMethodType: PaymentMethodType;
  paymentMethod: string;
  authType: AuthType | null;
  /** AUTO: authorise and capture in one step (AUTH_AND_SETTLE); MANUAL: authorise only. */
  captureMode: 'AUTO' | 'MANUAL';
  card: CardDetails | null;
  /**
   * A token the provider itself issued for the shopper's card in the merchant's checkout (a Stripe
   * PaymentMethod id, Adyen's encrypted card fields, a Checkout.com card token), passed through
   * unchanged. Only that provider can use it.
   */
  gatewayToken?: string | null;
  upi: { txnType: 'UPI_COLLECT' | 'UPI_PAY' | 'UPI_QR'; vpa: string | null; app: string | null } | null;
  wallet: { name: string; directToken: string | null } | null;
  bank: string | null;
  customerId: string | null;
  customerEmail: string | null;
  /** The order's `customer_phone`, for gateways that require one (Razorpay, PayU India). */
  customerPhone?: string | null;
  /** Where the shopper's browser must come back to us after authentication. */
  returnUrl: string;
  /** Used as the gateway-side idempotency key: the same key never creates a second payment. */
  idempotencyKey: string;
}

/** What the gateway answered, as the gateway said it. Stored for `payment_gateway_response`. */
export interface RawGatewayResponse {
  code: string;
  message: string;
  gatewayTxnId: string | null;
  rrn?: string | null;
  authIdCode?: string | null;
  /** The whole raw body (already free of card data), for `add_full_gateway_response`. */
  body?: Record<string, unknown>;
}

/** Classification of a failure, decided by the connector's status table. */
/** The EC API's unified failure categories for a failed payment. */
export const UNIFIED_FAILURE_CATEGORIES = [
  'USER_ERROR',
  'GENERIC_ERROR',
  'GATEWAY_VALIDATION_ERROR',
  'BUSINESS_ERROR',
  'VALIDATION_ERROR',
  'PAYMENT_FAILURE',
  'NOT_FOUND',
  'TECHNICAL_ERROR',
  'USER_DROPPED',
  'GATEWAY_ERROR',
  'UNKNOWN',
  'TXN_PENDING',
] as const;
export type UnifiedFailureCategory = (typeof UNIFIED_FAILURE_CATEGORIES)[number];

export type FailureClass =
  | 'HARD_DECLINE' // shopper or issuer said no (insufficient funds, stolen card): never retry elsewhere
  | 'SOFT_DECLINE' // may succeed elsewhere or later (do-not-honour, issuer unavailable)
  | 'TECHNICAL_ERROR' // the gateway failed before processing: safe to retry on another gateway
  | 'AUTHENTICATION_FAILED' // 3-D Secure / OTP failed
  | 'VALIDATION_ERROR' // the gateway rejected our request as malformed
  | 'GATEWAY_DOWN'; // gateway unreachable or in an outage window: nothing was processed

export interface UnifiedError {
  code: string;
  message: string;
  category: string;
}

export type AuthorizeOutcome =
  | { kind: 'CHARGED' | 'AUTHORIZED'; raw: RawGatewayResponse }
  /** The authorisation was released (a status sync or webhook after a void). */
  | { kind: 'VOIDED'; raw: RawGatewayResponse }
  | { kind: 'PENDING_AUTHENTICATION'; raw: RawGatewayResponse; authentication: { method: 'GET' | 'POST'; url: string; params?: Record<string, string> } }
  /** Accepted but settled later (UPI collect, bank pending): settle by webhook or sync. */
  | { kind: 'PENDING'; raw: RawGatewayResponse; sdkParams?: Record<string, string> }
  | { kind: 'FAILED'; raw: RawGatewayResponse; failure: FailureClass; unified: UnifiedError }
  /** Timeout or unparseable answer: the payment may or may not exist at the gateway. Never retried elsewhere. */
  | { kind: 'UNKNOWN'; raw: RawGatewayResponse };

export type SyncOutcome = AuthorizeOutcome;

export interface RefundRequest {
  refundId: string;
  txnId: string;
  gatewayTxnId: string;
  amount: number;
  currency: string;
  idempotencyKey: string;
}

/** `gatewayRefundId` is the gateway's own id of the refund (the refund's `ref`), when it gave one. */
export type RefundOutcome =
  | { kind: 'SUCCESS'; raw: RawGatewayResponse; arn: string | null; gatewayRefundId?: string | null }
  | { kind: 'PENDING'; raw: RawGatewayResponse; gatewayRefundId?: string | null }
  | { kind: 'FAILURE'; raw: RawGatewayResponse; unified: UnifiedError; gatewayRefundId?: string | null };

/**
 * A capture or void. PENDING: the gateway accepted it and answers later (Adyen `received`,
 * Checkout.com 202): a webhook or a status sync settles it.
 */
export type CaptureOutcome = { kind: 'SUCCESS'; raw: RawGatewayResponse } | { kind: 'PENDING'; raw: RawGatewayResponse } | { kind: 'FAILURE'; raw: RawGatewayResponse; unified: UnifiedError };

/** An incoming gateway webhook, normalised to a small set of facts about one payment or refund. */
/** `eventId`: the provider's id of the event, when it has one: a second delivery of it changes nothing. */
export type IncomingWebhook =
  /**
   * `merchantReference`: our txn id as we sent it, when the event carries it; it finds the attempt
   * whose authorisation timed out before we learnt the gateway's id (Adyen has no other way).
   */
  | { kind: 'PAYMENT'; gatewayTxnId: string; outcome: SyncOutcome; eventId?: string; merchantReference?: string }
  /** `refundId`: ours, when the event carries it; otherwise the refund is found by `gatewayRefundId`. */
  | { kind: 'REFUND'; gatewayRefundId: string; refundId: string | null; outcome: RefundOutcome; eventId?: string }
  | { kind: 'IGNORED'; reason: string };

export interface IncomingHttpRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  body: unknown;
}

/**
 * One row of a connector's gateway status table: what a raw gateway code means for us. Shipped
 * as data with each connector; operators can override rows (core/gateway-status).
 */
export interface GatewayStatusEntry {
  message: string;
  unifiedCode: string | null;
  unifiedMessage: string | null;
  category: string | null;
  failureClass: FailureClass | null;
  /** May the orchestrator try the next gateway after this answer (nothing was charged)? */
  retryable: boolean;
  /** Does this answer lower the gateway's health (false for shopper and issuer decisions)? */
  countsAgainstGateway: boolean;
}

export interface Connector {
  readonly name: string;
  /** The shipped gateway status table: raw code -> meaning. */
  readonly statusTable?: Readonly<Record<string, GatewayStatusEntry>>;
  /** The meaning of a raw decline code the table does not list (a provider's code ranges or advice codes); undefined when it has no rule. */
  classifyUnlisted?(rawCode: string): GatewayStatusEntry | undefined;
  /** Card brands, payment method types and currencies this connector can take at all. */
  readonly capabilities: { paymentMethodTypes: readonly PaymentMethodType[]; currencies: readonly string[] | 'ANY' };
  authorize(account: ConnectorAccount, request: AuthorizeRequest): Promise<AuthorizeOutcome>;
  /** Completes a 3-D Secure / OTP step with what the browser brought back. */
  completeAuthentication(account: ConnectorAccount, gatewayTxnId: string, params: Record<string, string>): Promise<AuthorizeOutcome>;
  syncStatus(account: ConnectorAccount, gatewayTxnId: string): Promise<SyncOutcome>;
  /** Captures `amount` (minor units) of an authorised payment; `idempotencyKey` makes a retry safe. */
  capture(account: ConnectorAccount, gatewayTxnId: string, amount: number, currency: string, idempotencyKey?: string): Promise<CaptureOutcome>;
  void(account: ConnectorAccount, gatewayTxnId: string, idempotencyKey?: string): Promise<CaptureOutcome>;
  refund(account: ConnectorAccount, request: RefundRequest): Promise<RefundOutcome>;
  /** Verifies and parses a webhook the gateway sent us. Throws ConnectorError on a bad signature. */
  parseWebhook(account: ConnectorAccount, request: IncomingHttpRequest): Promise<IncomingWebhook>;
}

/** A broken integration (bad credentials, unparseable answer, programming error), not a decline. */
export class ConnectorError extends Error {
  constructor(
    message: string,
    readonly gateway: string,
    readonly kind: 'CONFIGURATION' | 'PROTOCOL' | 'SIGNATURE',
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}
