// A local, stateful stand-in for Razorpay's Orders, S2S Payments and Refunds APIs, for tests and the
// offline demo. Every request body is validated against the JSON Schema contract written from
// Razorpay's API reference (./contract.ts); a violation is recorded in `violations` and refused as
// Razorpay refuses it (400 BAD_REQUEST_ERROR, input_validation_failed). Every answer is checked
// against its response definition. It keeps orders, payments and refunds; authenticates with HTTP
// Basic key_id:key_secret; answers the S2S `next` redirect to a bank page where the shopper approves
// or declines, which returns to the callback URL with razorpay_payment_id, razorpay_order_id and
// razorpay_signature (hex HMAC-SHA256 of `order_id|payment_id` with the key secret); settles UPI
// collect and intent later (after a delay, or when told); honours X-Refund-Idempotency; signs
// webhooks (X-Razorpay-Signature, X-Razorpay-Event-Id); declines with any documented error reason
// on demand (declineNext, magic cards and VPAs); stalls, fails with 5xx or goes down.
//
// Where it simplifies (documented in docs/connectors/razorpay.md): the bank page comes back with a
// 302 to the callback URL carrying the fields in the query (Razorpay POSTs a form; our return URL
// takes both); card 4111 1111 1111 1111 needs no authentication (authorised at once, as for a card
// or account without 3-D Secure) while 4386 2894 0766 0153 (the S2S guide's sample) and every
// netbanking and wallet payment go through the bank page.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFaults, serveEmulator } from '../kit.ts';
import { luhnValid } from '../../src/core/cards.ts';
import { RAZORPAY_SCHEMA_NAMES, razorpaySchema, razorpayViolation, type RazorpaySchemaName } from './contract.ts';

type Json = Record<string, unknown>;

export interface RazorpayEmulatorOptions {
  port?: number;
  host?: string;
  /** Accepted key ids and their secrets. Absent: any rzp_test_/rzp_live_ key id, its first secret is kept. */
  keys?: Readonly<Record<string, string>>;
  /** Key ids enabled for S2S card payments (raw card data). Absent: all. */
  s2sCardKeys?: readonly string[];
  /** Settle UPI collect/intent payments by themselves after this many ms (null: only settleUpi does). */
  upiSettleAfterMs?: number | null;
  /** Merchant VPA and name in UPI intent links. */
  merchantVpa?: string;
  merchantName?: string;
}

interface OrderState {
  id: string;
  keyId: string;
  amount: number;
  currency: string;
  receipt: string | null;
  notes: Json | unknown[];
  status: 'created' | 'attempted' | 'paid';
  attempts: number;
  amountPaid: number;
  automatic: boolean;
  /** capture_options.refund_speed: how an uncaptured authorisation is released. */
  refundSpeed: 'normal' | 'optimum';
  createdAt: number;
}

export interface PaymentState {
  id: string;
  keyId: string;
  orderId: string;
  amount: number;
  currency: string;
  method: 'card' | 'netbanking' | 'wallet' | 'upi';
  status: 'created' | 'authorized' | 'captured' | 'refunded' | 'failed';
  captured: boolean;
  amountRefunded: number;
  email: string;
  contact: string;
  notes: Json | unknown[];
  description: string | null;
  bank: string | null;
  wallet: string | null;
  vpa: string | null;
  upiFlow: 'collect' | 'intent' | null;
  card: Json | null;
  callbackUrl: string | null;
  error: { code: string; description: string; source: string; step: string; reason: string } | null;
  /** A decline the bank page or the UPI settlement will give. */
  pendingDecline: string | null;
  rrn: string | null;
  authCode: string | null;
  createdAt: number;
}

interface RefundState {
  id: string;
  keyId: string;
  paymentId: string;
  amount: number;
  currency: string;
  notes: Json | unknown[];
  receipt: string | null;
  status: 'pending' | 'processed' | 'failed';
  speedRequested: 'normal' | 'optimum';
  arn: string | null;
  createdAt: number;
}

/** One webhook event: `body` is what Razorpay posts, `id` goes in X-Razorpay-Event-Id. */
export interface RazorpayWebhookEvent {
  id: string;
  keyId: string;
  body: { entity: 'event'; account_id: string; event: string; contains: string[]; payload: Json; created_at: number };
}

export interface RazorpayEmulator {
  url: string;
  port: number;
  requests: Array<{ method: string; path: string; headers: Record<string, string>; body: Json | null }>;
  /** Requests that broke the contract (and were refused). */
  violations: Array<{ method: string; path: string; schema: RazorpaySchemaName; field: string; reason: string }>;
  events: RazorpayWebhookEvent[];
  payment(id: string): PaymentState | undefined;
  order(id: string): OrderState | undefined;
  /** Payments authorised or captured so far. */
  chargeCount(): number;
  /** The next payment fails with this documented error reason (null: succeeds). */
  declineNext(reason: string | null): void;
  /** Settles a UPI payment (the shopper paid or not in the UPI app); `reason` for a failure. */
  settleUpi(paymentId: string, outcome: 'success' | 'failure', reason?: string): void;
  /** The capture window of an uncaptured payment ends: Razorpay refunds (releases) the authorisation. */
  expireAuthorization(paymentId: string): void;
  /** The following refunds answer `pending` (settled later by settleRefund). */
  refundsPending(on: boolean): void;
  settleRefund(refundId: string, outcome: 'processed' | 'failed'): void;
  stallNext(ms: number, count?: number, path?: string): void;
  failNext(status: number, count?: number, path?: string): void;
  addWebhookEndpoint(keyId: string, url: string, secret: string): void;
  signedEvent(event: RazorpayWebhookEvent, secret: string): { headers: Record<string, string>; rawBody: string };
  /** The checkout callback signature Razorpay would give for this payment. */
  callbackSignature(paymentId: string): string;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** Test cards: `threeDs` go through the bank page; others are authorised at once or decline with their reason. */
export const RAZORPAY_TEST_CARDS: Readonly<Record<string, { threeDs?: boolean; decline?: string; network: string }>> = {
  '4111111111111111': { network: 'Visa' },
  '5267318187975449': { network: 'MasterCard' },
  '4386289407660153': { threeDs: true, network: 'Visa' },
  '5104060000000008': { threeDs: true, network: 'MasterCard' },
  '4000000000000002': { decline: 'card_declined', network: 'Visa' },
  '4000000000009995': { decline: 'insufficient_funds', network: 'Visa' },
  '4000000000000069': { decline: 'card_expired', network: 'Visa' },
  '4000000000000127': { decline: 'incorrect_cvv', network: 'Visa' },
  '4000000000000119': { decline: 'server_error', network: 'Visa' },
};

/** UPI test VPAs (https://razorpay.com/docs/payments/payments/test-upi-details/): success@razorpay pays, failure@razorpay does not. */
export const RAZORPAY_TEST_VPAS = { success: 'success@razorpay', failure: 'failure@razorpay' } as const;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function ident(prefix: string): string {
  const bytes = randomBytes(14);
  let id = '';
  for (const byte of bytes) id += ALNUM[byte % ALNUM.length];
  return prefix ? `${prefix}_${id}` : id;
}

/** The error code Razorpay gives a reason (an emulator rule: its own failures are SERVER_ERROR, its partners' GATEWAY_ERROR). */
function codeOfReason(reason: string): 'BAD_REQUEST_ERROR' | 'GATEWAY_ERROR' | 'SERVER_ERROR' {
  if (reason === 'server_error') return 'SERVER_ERROR';
  if (['gateway_technical_error', 'invalid_response_from_gateway', 'request_timed_out', 'verification_failed', 'capture_failed'].includes(reason)) return 'GATEWAY_ERROR';
  return 'BAD_REQUEST_ERROR';
}
const HTTP_OF_CODE = { BAD_REQUEST_ERROR: 400, GATEWAY_ERROR: 502, SERVER_ERROR: 500 } as const;

function describe(reason: string): string {
  const text = reason.replace(/_/g, ' ');
  return `Payment failed: ${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function stepOf(method: string, reason: string): { source: string; step: string } {
  if (/otp|authentication|pin|cancelled|timed_out|session_expired|collect_request_expired/.test(reason)) return { source: 'customer', step: 'payment_authentication' };
  if (/server_error|gateway/.test(reason)) return { source: 'gateway', step: 'payment_authorization' };
  if (/input_validation|invalid_order|mismatch|amount/.test(reason)) return { source: 'business', step: 'payment_initiation' };
  return { source: method === 'upi' ? 'customer_psp' : method === 'card' ? 'issuer_bank' : 'bank', step: 'payment_authorization' };
}

function majorAmount(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

export async function startRazorpayEmulator(options: RazorpayEmulatorOptions = {}): Promise<RazorpayEmulator> {
  const secrets = new Map<string, string>(Object.entries(options.keys ?? {}));
  const orders = new Map<string, OrderState>();
  const payments = new Map<string, PaymentState>();
  const refunds = new Map<string, RefundState>();
  const refundKeys = new Map<string, { fingerprint: string; status: number; body: string }>();
  const requests: RazorpayEmulator['requests'] = [];
  const violations: RazorpayEmulator['violations'] = [];
  const events: RazorpayWebhookEvent[] = [];
  const endpoints = new Map<string, Array<{ url: string; secret: string }>>();
  const faults = createFaults();
  let declineNext: string | null = null;
  let refundsPending = false;
  let baseUrl = '';
  const now = () => Math.floor(Date.now() / 1000);

  // ---------- entities as Razorpay shows them ----------
  const orderEntity = (o: OrderState): Json => ({
    id: o.id,
    entity: 'order',
    amount: o.amount,
    amount_paid: o.amountPaid,
    amount_due: o.amount - o.amountPaid,
    currency: o.currency,
    receipt: o.receipt,
    offer_id: null,
    status: o.status,
    attempts: o.attempts,
    notes: o.notes,
    created_at: o.createdAt,
  });
  const paymentEntity = (p: PaymentState): Json => ({
    id: p.id,
    entity: 'payment',
    amount: p.amount,
    currency: p.currency,
    status: p.status,
    order_id: p.orderId,
    invoice_id: null,
    international: false,
    method: p.method,
    amount_refunded: p.amountRefunded,
    refund_status: p.amountRefunded === 0 ? null : p.amountRefunded >= p.amount ? 'full' : 'partial',
    captured: p.captured,
    description: p.description,
    card_id: p.card ? String(p.card.id) : null,
    bank: p.bank,
    wallet: p.wallet,
    vpa: p.vpa,
    email: p.email,
    contact: p.contact,
    notes: p.notes,
    fee: p.captured ? Math.floor(p.amount / 50) : null,
    tax: p.captured ? 0 : null,
    error_code: p.error?.code ?? null,
    error_description: p.error?.description ?? null,
    error_source: p.error?.source ?? null,
    error_step: p.error?.step ?? null,
    error_reason: p.error?.reason ?? null,
    acquirer_data: p.method === 'card' ? { auth_code: p.authCode, rrn: p.rrn } : p.method === 'upi' ? { rrn: p.rrn, upi_transaction_id: p.rrn ? `UPI${p.rrn}` : null } : { bank_transaction_id: p.rrn },
    created_at: p.createdAt,
    ...(p.card ? { card: p.card } : {}),
    ...(p.method === 'upi' ? { upi: { vpa: p.vpa, flow: p.upiFlow } } : {}),
  });
  const refundEntity = (r: RefundState): Json => ({
    id: r.id,
    entity: 'refund',
    amount: r.amount,
    currency: r.currency,
    payment_id: r.paymentId,
    notes: r.notes,
    receipt: r.receipt,
    acquirer_data: { arn: r.arn },
    created_at: r.createdAt,
    batch_id: null,
    status: r.status,
    speed_requested: r.speedRequested,
    speed_processed: r.speedRequested === 'optimum' && r.status !== 'failed' ? 'instant' : 'normal',
  });
  const collection = (items: Json[]): Json => ({ entity: 'collection', count: items.length, items });
  const errorBody = (code: string, description: string, reason: string, extra: { source?: string; step?: string; field?: string | null; metadata?: Json } = {}): Json => ({
    error: {
      code,
      description,
      source: extra.source ?? 'business',
      step: extra.step ?? 'payment_initiation',
      reason,
      metadata: extra.metadata ?? {},
      ...(extra.field !== undefined ? { field: extra.field } : {}),
    },
  });
  const badRequest = (description: string, reason = 'input_validation_failed', field: string | null = null) => ({
    status: 400,
    body: errorBody('BAD_REQUEST_ERROR', description, reason, { field }),
    schema: 'Error' as const,
  });

  // ---------- webhooks ----------
  function signedEvent(event: RazorpayWebhookEvent, secret: string): { headers: Record<string, string>; rawBody: string } {
    const rawBody = JSON.stringify(event.body);
    return { headers: { 'content-type': 'application/json', 'x-razorpay-signature': createHmac('sha256', secret).update(rawBody).digest('hex'), 'x-razorpay-event-id': event.id }, rawBody };
  }

  function emit(keyId: string, name: string, payload: Json): void {
    const event: RazorpayWebhookEvent = {
      id: ident(''),
      keyId,
      body: { entity: 'event', account_id: `acc_${keyId.slice(-14)}`, event: name, contains: Object.keys(payload), payload, created_at: now() },
    };
    events.push(event);
    for (const endpoint of endpoints.get(keyId) ?? []) {
      const { headers, rawBody } = signedEvent(event, endpoint.secret);
      setTimeout(() => void fetch(endpoint.url, { method: 'POST', headers, body: rawBody }).catch(() => undefined), 5);
    }
  }
  const emitPayment = (p: PaymentState, name: string) => emit(p.keyId, name, { payment: { entity: paymentEntity(p) } });

  // ---------- state changes ----------
  function authorise(p: PaymentState): void {
    p.status = 'authorized';
    p.rrn = String(100000000000 + Math.floor(Math.random() * 899999999999));
    p.authCode = p.method === 'card' ? String(100000 + Math.floor(Math.random() * 899999)) : null;
    emitPayment(p, 'payment.authorized');
    const o = orders.get(p.orderId)!;
    if (o.automatic) capture(p);
  }

  function capture(p: PaymentState): void {
    p.status = 'captured';
    p.captured = true;
    const o = orders.get(p.orderId)!;
    o.status = 'paid';
    o.amountPaid = p.amount;
    emitPayment(p, 'payment.captured');
    emit(p.keyId, 'order.paid', { payment: { entity: paymentEntity(p) }, order: { entity: orderEntity(o) } });
  }

  function fail(p: PaymentState, reason: string): void {
    const code = codeOfReason(reason);
    p.status = 'failed';
    p.error = { code, description: describe(reason), reason, ...stepOf(p.method, reason) };
    emitPayment(p, 'payment.failed');
  }

  function makeRefund(p: PaymentState, amount: number, notes: Json | unknown[], receipt: string | null, speed: 'normal' | 'optimum', pending: boolean): RefundState {
    const r: RefundState = {
      id: ident('rfnd'),
      keyId: p.keyId,
      paymentId: p.id,
      amount,
      currency: p.currency,
      notes,
      receipt,
      status: pending ? 'pending' : 'processed',
      speedRequested: speed,
      arn: pending ? null : String(10 ** 11 + Math.floor(Math.random() * 9 * 10 ** 11)),
      createdAt: now(),
    };
    refunds.set(r.id, r);
    p.amountRefunded += amount;
    if (p.amountRefunded >= p.amount) p.status = 'refunded';
    const payload = () => ({ refund: { entity: refundEntity(r) }, payment: { entity: paymentEntity(p) } });
    emit(p.keyId, 'refund.created', payload());
    if (!pending) emit(p.keyId, 'refund.processed', payload());
    return r;
  }

  function settleUpi(p: PaymentState, outcome: 'success' | 'failure', reason?: string): void {
    if (p.status !== 'created') return;
    if (outcome === 'success') authorise(p);
    else fail(p, reason ?? p.pendingDecline ?? (p.upiFlow === 'collect' ? 'payment_collect_request_expired' : 'payment_failed'));
  }

  // ---------- the API ----------
  type Answer = { status: number; body: Json | null; schema?: RazorpaySchemaName; redirect?: string; html?: string };

  function violates(method: string, path: string, schema: RazorpaySchemaName, body: unknown): Answer | null {
    const problem = razorpayViolation(schema, body ?? {});
    if (!problem) return null;
    violations.push({ method, path, schema, field: problem.path, reason: problem.reason });
    const field = problem.path.replace(/^\//, '').replace(/\//g, '.') || null;
    return badRequest(`${field ?? 'The request'} ${problem.reason}`.slice(0, 200), 'input_validation_failed', field);
  }

  function createOrder(keyId: string, body: Json): Answer {
    const payment = body.payment as { capture?: string; capture_options?: { refund_speed?: string } } | undefined;
    const automatic = payment?.capture ? payment.capture === 'automatic' : body.payment_capture === undefined ? true : body.payment_capture === true || body.payment_capture === 1;
    const o: OrderState = {
      id: ident('order'),
      keyId,
      amount: Number(body.amount),
      currency: String(body.currency),
      receipt: typeof body.receipt === 'string' ? body.receipt : null,
      notes: (body.notes as Json | undefined) ?? [],
      status: 'created',
      attempts: 0,
      amountPaid: 0,
      automatic,
      refundSpeed: payment?.capture_options?.refund_speed === 'optimum' ? 'optimum' : 'normal',
      createdAt: now(),
    };
    orders.set(o.id, o);
    return { status: 200, body: orderEntity(o), schema: 'Order' };
  }

  function newPayment(keyId: string, o: OrderState, body: Json, method: PaymentState['method']): PaymentState {
    o.attempts += 1;
    o.status = o.status === 'created' ? 'attempted' : o.status;
    const p: PaymentState = {
      id: ident('pay'),
      keyId,
      orderId: o.id,
      amount: o.amount,
      currency: o.currency,
      method,
      status: 'created',
      captured: false,
      amountRefunded: 0,
      email: String(body.email),
      contact: String(body.contact),
      notes: (body.notes as Json | undefined) ?? [],
      description: typeof body.description === 'string' ? body.description : null,
      bank: typeof body.bank === 'string' ? body.bank : null,
      wallet: typeof body.wallet === 'string' ? body.wallet : null,
      vpa: null,
      upiFlow: null,
      card: null,
      callbackUrl: typeof body.callback_url === 'string' ? body.callback_url : null,
      error: null,
      pendingDecline: null,
      rrn: null,
      authCode: null,
      createdAt: now(),
    };
    payments.set(p.id, p);
    return p;
  }

  /** The order a payment request names, or why it cannot be paid. */
  function payableOrder(keyId: string, body: Json): OrderState | Answer {
    const o = orders.get(String(body.order_id));
    if (!o || o.keyId !== keyId) return badRequest('The id provided does not exist', 'invalid_order_id', 'order_id');
    if (o.status === 'paid') return badRequest('Order has already been paid', 'order_already_paid', 'order_id');
    if (Number(body.amount) !== o.amount) return badRequest('The amount must match the order amount', 'order_amount_mismatch', 'amount');
    if (String(body.currency) !== o.currency) return badRequest('The currency must match the order currency', 'input_validation_failed', 'currency');
    return o;
  }

  /** A payment refused at once: failed, and the error names it. */
  function refusedPayment(p: PaymentState, reason: string): Answer {
    fail(p, reason);
    const e = p.error!;
    return {
      status: HTTP_OF_CODE[e.code as keyof typeof HTTP_OF_CODE],
      body: errorBody(e.code, e.description, reason, { source: e.source, step: e.step, metadata: { payment_id: p.id, order_id: p.orderId } }),
      schema: 'Error',
    };
  }

  const bankPage = (p: PaymentState) => `${baseUrl}/v1/payments/${p.id}/authorize`;

  function createJson(keyId: string, body: Json): Answer {
    const found = payableOrder(keyId, body);
    if (!('id' in found)) return found;
    const method = body.method as string;
    if (method !== 'card' && method !== 'netbanking' && method !== 'wallet') return badRequest(`The method ${method} is not supported here`, 'payment_method_not_enabled', 'method');
    if (method === 'card') {
      // S2S card payments are a feature Razorpay enables per account; others get "URL not found".
      if (options.s2sCardKeys && !options.s2sCardKeys.includes(keyId))
        return { status: 400, body: errorBody('BAD_REQUEST_ERROR', 'The requested URL was not found on the server.', 'NA', { source: 'NA', step: 'NA' }), schema: 'Error' };
      const number = String((body.card as Json).number);
      if (!luhnValid(number)) return badRequest('Your payment could not be completed as this card number is invalid', 'card_number_invalid', 'card.number');
    }
    const p = newPayment(keyId, found, body, method);
    const decline = declineNext;
    declineNext = null;
    if (method === 'card') {
      const card = body.card as Json;
      const number = String(card.number);
      const test = RAZORPAY_TEST_CARDS[number];
      p.card = {
        id: ident('card'),
        entity: 'card',
        name: card.name ?? null,
        last4: number.slice(-4),
        iin: number.slice(0, 6),
        network: test?.network ?? (number.startsWith('5') ? 'MasterCard' : 'Visa'),
        type: 'credit',
        issuer: null,
        international: false,
        emi: false,
        sub_type: 'consumer',
      };
      if (!test?.threeDs) {
        const reason = decline ?? test?.decline ?? null;
        if (reason) return refusedPayment(p, reason);
        authorise(p);
        // Nothing left to do for the shopper: no `next`.
        return { status: 200, body: { razorpay_payment_id: p.id }, schema: 'PaymentCreatedJson' };
      }
    }
    p.pendingDecline = decline;
    return { status: 200, body: { razorpay_payment_id: p.id, next: [{ action: 'redirect', url: bankPage(p) }] }, schema: 'PaymentCreatedJson' };
  }

  function createUpi(keyId: string, body: Json): Answer {
    const found = payableOrder(keyId, body);
    if (!('id' in found)) return found;
    const upi = body.upi as { flow: 'collect' | 'intent'; vpa?: string };
    const p = newPayment(keyId, found, body, 'upi');
    p.upiFlow = upi.flow;
    p.vpa = upi.vpa ?? null;
    const decline = declineNext;
    declineNext = null;
    p.pendingDecline = decline ?? (p.vpa === RAZORPAY_TEST_VPAS.failure ? 'payment_collect_request_expired' : null);
    if (options.upiSettleAfterMs !== undefined && options.upiSettleAfterMs !== null) {
      setTimeout(() => settleUpi(p, p.pendingDecline ? 'failure' : 'success'), options.upiSettleAfterMs);
    }
    if (upi.flow === 'collect') return { status: 200, body: { razorpay_payment_id: p.id }, schema: 'PaymentCreatedUpi' };
    const params = {
      pa: options.merchantVpa ?? 'junction.rzp@icici',
      pn: options.merchantName ?? 'Junction Merchant',
      tr: p.id.slice(4),
      tid: `RZP${p.id.slice(4)}`,
      mc: '5411',
      am: majorAmount(p.amount),
      cu: p.currency,
      tn: (p.description ?? 'Payment').slice(0, 50),
    };
    const query = Object.entries(params)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&');
    return { status: 200, body: { razorpay_payment_id: p.id, link: `upi://pay?${query}` }, schema: 'PaymentCreatedUpi' };
  }

  function capturePayment(keyId: string, id: string, body: Json): Answer {
    const p = payments.get(id);
    if (!p || p.keyId !== keyId) return badRequest('The id provided does not exist', 'input_validation_failed', 'id');
    if (p.status === 'captured' || (p.status === 'refunded' && p.captured)) return badRequest('This payment has already been captured', 'input_validation_failed');
    if (p.status !== 'authorized') return badRequest('Only payments which have been authorized and not yet captured can be captured', 'input_validation_failed');
    if (Number(body.amount) !== p.amount) return badRequest('Capture amount must be equal to the amount authorized', 'input_validation_failed', 'amount');
    if (body.currency !== undefined && body.currency !== p.currency) return badRequest('Currency should be same as that of payment', 'input_validation_failed', 'currency');
    capture(p);
    return { status: 200, body: paymentEntity(p), schema: 'Payment' };
  }

  function refundPayment(keyId: string, id: string, body: Json): Answer {
    const p = payments.get(id);
    if (!p || p.keyId !== keyId) return badRequest('The id provided does not exist', 'input_validation_failed', 'id');
    if (!p.captured) return badRequest('Refunds can be made only on captured payments', 'input_validation_failed');
    const remaining = p.amount - p.amountRefunded;
    if (remaining <= 0) return badRequest('The payment has been fully refunded already', 'input_validation_failed');
    const amount = typeof body.amount === 'number' ? body.amount : remaining;
    if (amount > remaining) return badRequest('The refund amount provided is greater than amount captured', 'input_validation_failed', 'amount');
    const r = makeRefund(p, amount, (body.notes as Json | undefined) ?? [], typeof body.receipt === 'string' ? body.receipt : null, body.speed === 'optimum' ? 'optimum' : 'normal', refundsPending);
    return { status: 200, body: refundEntity(r), schema: 'Refund' };
  }

  function route(method: string, path: string, query: URLSearchParams, keyId: string, body: Json | null): Answer {
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v1/orders') return violates(method, path, 'OrderCreateRequest', body) ?? createOrder(keyId, body!);
    if (method === 'GET' && path === '/v1/orders') {
      const receipt = query.get('receipt');
      const count = Math.min(100, Number(query.get('count') ?? 10) || 10);
      const skip = Number(query.get('skip') ?? 0) || 0;
      const list = [...orders.values()].filter((o) => o.keyId === keyId && (receipt === null || o.receipt === receipt)).sort((a, b) => b.createdAt - a.createdAt);
      return { status: 200, body: collection(list.slice(skip, skip + count).map(orderEntity)), schema: 'OrderCollection' };
    }
    if (method === 'GET' && (m = /^\/v1\/orders\/(order_\w+)$/.exec(path))) {
      const o = orders.get(m[1]!);
      return o && o.keyId === keyId ? { status: 200, body: orderEntity(o), schema: 'Order' } : badRequest('The id provided does not exist', 'input_validation_failed', 'id');
    }
    if (method === 'GET' && (m = /^\/v1\/orders\/(order_\w+)\/payments$/.exec(path))) {
      const o = orders.get(m[1]!);
      if (!o || o.keyId !== keyId) return badRequest('The id provided does not exist', 'input_validation_failed', 'id');
      return { status: 200, body: collection([...payments.values()].filter((p) => p.orderId === o.id).map(paymentEntity)), schema: 'PaymentCollection' };
    }
    if (method === 'POST' && path === '/v1/payments/create/json') return violates(method, path, 'PaymentCreateJsonRequest', body) ?? createJson(keyId, body!);
    if (method === 'POST' && path === '/v1/payments/create/upi') return violates(method, path, 'PaymentCreateUpiRequest', body) ?? createUpi(keyId, body!);
    if (method === 'GET' && (m = /^\/v1\/payments\/(pay_\w+)$/.exec(path))) {
      const p = payments.get(m[1]!);
      return p && p.keyId === keyId ? { status: 200, body: paymentEntity(p), schema: 'Payment' } : badRequest('The id provided does not exist', 'input_validation_failed', 'id');
    }
    if (method === 'POST' && (m = /^\/v1\/payments\/(pay_\w+)\/capture$/.exec(path))) return violates(method, path, 'CaptureRequest', body) ?? capturePayment(keyId, m[1]!, body!);
    if (method === 'POST' && (m = /^\/v1\/payments\/(pay_\w+)\/refund$/.exec(path))) return violates(method, path, 'RefundRequest', body ?? {}) ?? refundPayment(keyId, m[1]!, body ?? {});
    if (method === 'GET' && (m = /^\/v1\/payments\/(pay_\w+)\/refunds$/.exec(path))) {
      return { status: 200, body: collection([...refunds.values()].filter((r) => r.paymentId === m![1] && r.keyId === keyId).map(refundEntity)), schema: 'RefundCollection' };
    }
    if (method === 'GET' && (m = /^\/v1\/(?:payments\/pay_\w+\/)?refunds\/(rfnd_\w+)$/.exec(path))) {
      const r = refunds.get(m[1]!);
      return r && r.keyId === keyId ? { status: 200, body: refundEntity(r), schema: 'Refund' } : badRequest('The id provided does not exist', 'input_validation_failed', 'id');
    }
    return { status: 400, body: errorBody('BAD_REQUEST_ERROR', 'The requested URL was not found on the server.', 'NA', { source: 'NA', step: 'NA' }), schema: 'Error' };
  }

  // ---------- the shopper's bank page (no API key: a browser) ----------
  function bank(path: string, query: URLSearchParams): Answer | null {
    let m: RegExpExecArray | null;
    if ((m = /^\/v1\/payments\/(pay_\w+)\/authorize$/.exec(path))) {
      const p = payments.get(m[1]!);
      if (p?.status !== 'created') return { status: 404, body: null, html: '<p>Unknown or finished payment</p>' };
      const what = p.method === 'card' ? '3-D Secure' : p.method === 'netbanking' ? `Netbanking (${p.bank})` : `Wallet (${p.wallet})`;
      const link = (decision: string) => `${baseUrl}/__emulator/bank/${p.id}?decision=${decision}`;
      return {
        status: 200,
        body: null,
        html: `<!doctype html><html><head><meta charset="utf-8"><title>Razorpay emulator: ${what}</title></head><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto"><h1>${what}</h1><p>Pay ${p.currency} ${majorAmount(p.amount)} (payment ${p.id})</p><p><a id="approve" href="${link('approve')}">Approve</a> · <a id="decline" href="${link('decline')}">Decline</a></p></body></html>`,
      };
    }
    if ((m = /^\/__emulator\/bank\/(pay_\w+)$/.exec(path))) {
      const p = payments.get(m[1]!);
      if (p?.status !== 'created' || !p.callbackUrl) return { status: 404, body: null, html: '<p>Unknown or finished payment</p>' };
      const declined = query.get('decision') === 'decline' ? (query.get('reason') ?? 'payment_cancelled') : p.pendingDecline;
      const back = new URL(p.callbackUrl);
      if (declined) {
        fail(p, declined);
        const e = p.error!;
        back.searchParams.set('error[code]', e.code);
        back.searchParams.set('error[description]', e.description);
        back.searchParams.set('error[source]', e.source);
        back.searchParams.set('error[step]', e.step);
        back.searchParams.set('error[reason]', e.reason);
        back.searchParams.set('error[metadata]', JSON.stringify({ payment_id: p.id, order_id: p.orderId }));
      } else {
        authorise(p);
        back.searchParams.set('razorpay_payment_id', p.id);
        back.searchParams.set('razorpay_order_id', p.orderId);
        back.searchParams.set('razorpay_signature', callbackSignature(p.id));
      }
      return { status: 302, body: null, redirect: back.toString() };
    }
    return null;
  }

  function callbackSignature(paymentId: string): string {
    const p = payments.get(paymentId);
    if (!p) throw new Error(`no payment ${paymentId}`);
    return createHmac('sha256', secrets.get(p.keyId) ?? '')
      .update(`${p.orderId}|${p.id}`)
      .digest('hex');
  }

  /** HTTP Basic key_id:key_secret; the key id of the caller, or null. */
  function authenticate(header: string | undefined): string | null {
    const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
    if (!match) return null;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    const keyId = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    if (!/^rzp_(test|live)_[A-Za-z0-9]+$/.test(keyId) || secret === '') return null;
    const known = secrets.get(keyId);
    if (known === undefined) {
      if (options.keys) return null;
      secrets.set(keyId, secret);
      return keyId;
    }
    return known === secret ? keyId : null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';

    const page = bank(path, url.searchParams);
    if (page) {
      if (page.redirect) return void res.writeHead(302, { location: page.redirect }).end();
      return void res.writeHead(page.status, { 'content-type': 'text/html; charset=utf-8' }).end(page.html ?? '');
    }

    let body: Json | null = null;
    if (raw) {
      try {
        const parsed: unknown = JSON.parse(raw);
        body = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Json) : null;
      } catch {
        body = null;
      }
      if (body === null) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(errorBody('BAD_REQUEST_ERROR', 'The request body is not a JSON object', 'input_validation_failed')));
        return;
      }
    }
    requests.push({ method, path: `${path}${url.search}`, headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')])), body });
    const failure = faults.takeFailure(path);
    if (failure !== null) {
      const text =
        failure >= 500
          ? JSON.stringify(errorBody('SERVER_ERROR', 'The server encountered an error. The incident has been reported to admins', 'server_error', { source: 'internal', step: 'NA' }))
          : '';
      return void res.writeHead(failure, text ? { 'content-type': 'application/json' } : {}).end(text);
    }
    const keyId = authenticate(req.headers.authorization);
    if (!keyId) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify(errorBody('BAD_REQUEST_ERROR', 'Authentication failed', 'NA', { source: 'NA', step: 'NA' })));
      return;
    }

    // X-Refund-Idempotency: the same key and body answer the first answer again; another body is refused.
    const idemHeader = req.headers['x-refund-idempotency'];
    const isRefund = method === 'POST' && /\/refund$/.test(path);
    let idem: string | null = null;
    if (isRefund && typeof idemHeader === 'string') {
      if (!/^[A-Za-z0-9_-]{10,}$/.test(idemHeader)) {
        const answer = badRequest('The idempotency key must be at least 10 characters of letters, digits, hyphens and underscores', 'input_validation_failed', 'X-Refund-Idempotency');
        return void res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      }
      idem = `${keyId}\u0000${idemHeader}`;
    }
    const fingerprint = createHash('sha256').update(`${path}\n${raw}`).digest('hex');
    const stored = idem ? refundKeys.get(idem) : undefined;
    let status: number;
    let text: string;
    if (stored && stored.fingerprint === fingerprint) ({ status, text } = { status: stored.status, text: stored.body });
    else if (stored)
      ({ status, text } = {
        status: 400,
        text: JSON.stringify(errorBody('BAD_REQUEST_ERROR', 'Different request with the same idempotency key has already been processed.', 'NA', { source: 'NA', step: 'NA' })),
      });
    else {
      const answer = route(method, path, url.searchParams, keyId, body);
      if (answer.schema && answer.body) {
        const problem = razorpayViolation(answer.schema, answer.body);
        if (problem) throw new Error(`emulator answer violates ${answer.schema}: ${problem.path} ${problem.reason}`);
      }
      status = answer.status;
      text = answer.body ? JSON.stringify(answer.body) : '';
      if (idem && status < 500) refundKeys.set(idem, { fingerprint, status, body: text });
    }
    await faults.stall(path);
    res.writeHead(status, { ...(text ? { 'content-type': 'application/json; charset=UTF-8' } : {}) });
    res.end(text);
  }

  // Compile every definition before the first request.
  for (const name of RAZORPAY_SCHEMA_NAMES) razorpaySchema(name);

  const server = await serveEmulator(handle, { port: options.port, host: options.host });
  baseUrl = server.origin;

  return {
    url: baseUrl,
    port: server.port,
    requests,
    violations,
    events,
    payment: (id) => payments.get(id),
    order: (id) => orders.get(id),
    chargeCount: () => [...payments.values()].filter((p) => p.status === 'authorized' || p.status === 'captured' || (p.status === 'refunded' && p.captured)).length,
    declineNext: (reason) => {
      declineNext = reason;
    },
    settleUpi: (paymentId, outcome, reason) => {
      const p = payments.get(paymentId);
      if (p?.method !== 'upi') throw new Error(`no UPI payment ${paymentId}`);
      settleUpi(p, outcome, reason);
    },
    expireAuthorization: (paymentId) => {
      const p = payments.get(paymentId);
      if (p?.status !== 'authorized' || p.captured) throw new Error(`payment ${paymentId} is not an uncaptured authorisation`);
      makeRefund(p, p.amount, [], null, orders.get(p.orderId)?.refundSpeed ?? 'normal', false);
    },
    refundsPending: (on) => {
      refundsPending = on;
    },
    settleRefund: (refundId, outcome) => {
      const r = refunds.get(refundId);
      if (r?.status !== 'pending') throw new Error(`refund ${refundId} is not pending`);
      const p = payments.get(r.paymentId)!;
      r.status = outcome;
      if (outcome === 'failed') {
        p.amountRefunded -= r.amount;
        if (p.status === 'refunded') p.status = 'captured';
      } else {
        r.arn = String(10 ** 11 + Math.floor(Math.random() * 9 * 10 ** 11));
      }
      emit(p.keyId, outcome === 'processed' ? 'refund.processed' : 'refund.failed', { refund: { entity: refundEntity(r) }, payment: { entity: paymentEntity(p) } });
    },
    stallNext: faults.stallNext,
    failNext: faults.failNext,
    addWebhookEndpoint: (keyId, url, secret) => {
      endpoints.set(keyId, [...(endpoints.get(keyId) ?? []), { url, secret }]);
    },
    signedEvent,
    callbackSignature,
    down: server.down,
    up: server.up,
    close: server.down,
  };
}
