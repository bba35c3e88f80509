// A local, stateful stand-in for Stripe's PaymentIntents API, for tests and the offline demo.
// It speaks Stripe's wire format (form-encoded requests with bracketed keys, JSON answers), keeps
// the state of every PaymentIntent and Refund, honours Idempotency-Key the way Stripe documents it
// (same key and same parameters: the first answer replayed; other parameters: idempotency_error),
// answers with objects built on Stripe's published fixtures (contract/fixtures3.json, MIT, from
// stripe/openapi) so every field Stripe sends is present, and signs the events it sends with
// Stripe-Signature. Test cards and PaymentMethods are Stripe's documented ones
// (https://docs.stripe.com/testing). It can be told to decline with any code, stall, fail with
// 5xx, or go down.
//
// Parameters are checked against the endpoint's documented parameters (unknown ones are refused
// with parameter_unknown, as Stripe does); the official `stripe` package drives this emulator in
// the tests, so the encoding it accepts is Stripe's own client's.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFaults, serveEmulator } from '../kit.ts';
import { STRIPE_PACKAGE_API_VERSION, stripeNestedParamNames, stripeParamNames } from './contract.ts';

type Json = Record<string, unknown>;

const FIXTURES = JSON.parse(readFileSync(new URL('./contract/fixtures3.json', import.meta.url), 'utf8')) as { resources: Record<string, Json> };

/** A deep copy of Stripe's sample object of a resource: the shape every answer starts from. */
export function stripeFixture(resource: string): Json {
  const fixture = FIXTURES.resources[resource];
  if (!fixture) throw new Error(`no Stripe fixture for ${resource}`);
  return structuredClone(fixture);
}

/** Decodes Stripe's form encoding (a[b][c]=1, a[0]=x) into nested objects; indexed keys become arrays. */
export function decodeStripeForm(body: string): Json {
  const root: Json = {};
  if (!body) return root;
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const [rawKey, rawValue = ''] = pair.split('=');
    const key = decodeURIComponent(rawKey!.replace(/\+/g, ' '));
    const value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    const path = key.match(/[^[\]]+|\[\]/g) ?? [key];
    let node: Json = root;
    path.forEach((segment, index) => {
      const last = index === path.length - 1;
      const name = segment === '[]' ? String(Object.keys(node).length) : segment;
      if (last) node[name] = value;
      else node = (node[name] ??= {}) as Json;
    });
  }
  const arrays = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value as Json).map(([k, v]) => [k, arrays(v)] as const);
    if (entries.length > 0 && entries.every(([k], i) => k === String(i))) return entries.map(([, v]) => v);
    return Object.fromEntries(entries);
  };
  return arrays(root) as Json;
}

// Each endpoint's parameters, as the official package declares them for the API version it pins.
const CREATE_PARAMS = stripeParamNames('PaymentIntents', 'PaymentIntentCreateParams');
const CAPTURE_PARAMS = stripeParamNames('PaymentIntents', 'PaymentIntentCaptureParams');
const CANCEL_PARAMS = stripeParamNames('PaymentIntents', 'PaymentIntentCancelParams');
const REFUND_PARAMS = stripeParamNames('Refunds', 'RefundCreateParams');
const PAYMENT_METHOD_PARAMS = stripeParamNames('PaymentMethods', 'PaymentMethodCreateParams');
const PAYMENT_METHOD_CARD_PARAMS = stripeNestedParamNames('PaymentMethods', 'PaymentMethodCreateParams', 'Card');

/** Test cards (raw numbers) and PaymentMethods, and what Stripe does with them. */
interface TestCardBehaviour {
  decline?: { code: string; decline_code?: string; advice_code?: string; message: string };
  threeDs?: boolean;
  brand: string;
  last4: string;
}

const DECLINE = (decline_code: string, message: string, advice_code?: string) => ({
  code: decline_code === 'expired_card' || decline_code === 'incorrect_cvc' || decline_code === 'processing_error' || decline_code === 'incorrect_number' ? decline_code : 'card_declined',
  decline_code,
  message,
  ...(advice_code ? { advice_code } : {}),
});

export const STRIPE_TEST_CARDS: Record<string, TestCardBehaviour> = {
  '4242424242424242': { brand: 'visa', last4: '4242' },
  '5555555555554444': { brand: 'mastercard', last4: '4444' },
  '378282246310005': { brand: 'amex', last4: '0005' },
  '4000000000000002': { brand: 'visa', last4: '0002', decline: DECLINE('generic_decline', 'Your card was declined.') },
  '4000000000009995': { brand: 'visa', last4: '9995', decline: DECLINE('insufficient_funds', 'Your card has insufficient funds.') },
  '4000000000009987': { brand: 'visa', last4: '9987', decline: DECLINE('lost_card', 'Your card has been declined.') },
  '4000000000009979': { brand: 'visa', last4: '9979', decline: DECLINE('stolen_card', 'Your card has been declined.') },
  '4000000000000069': { brand: 'visa', last4: '0069', decline: DECLINE('expired_card', 'Your card has expired.') },
  '4000000000000127': { brand: 'visa', last4: '0127', decline: DECLINE('incorrect_cvc', "Your card's security code is incorrect.") },
  '4000000000000119': { brand: 'visa', last4: '0119', decline: DECLINE('processing_error', 'An error occurred while processing your card. Try again in a little bit.') },
  '4100000000000019': { brand: 'visa', last4: '0019', decline: DECLINE('fraudulent', 'Your card has been declined.') },
  '4000000000003220': { brand: 'visa', last4: '3220', threeDs: true },
};

export const STRIPE_TEST_PAYMENT_METHODS: Record<string, string> = {
  pm_card_visa: '4242424242424242',
  pm_card_mastercard: '5555555555554444',
  pm_card_amex: '378282246310005',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_chargeDeclinedLostCard: '4000000000009987',
  pm_card_chargeDeclinedStolenCard: '4000000000009979',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_chargeDeclinedProcessingError: '4000000000000119',
  pm_card_chargeDeclinedFraudulent: '4100000000000019',
  pm_card_threeDSecure2Required: '4000000000003220',
};

export interface StripeEmulatorOptions {
  port?: number;
  host?: string;
  /** API keys accepted (any sk_test_ key when absent). */
  apiKeys?: readonly string[];
  /** API keys allowed to send raw card numbers (all when absent), as Stripe enables per account. */
  rawCardKeys?: readonly string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  params: Json;
}

interface PaymentIntentState {
  object: Json;
  apiKey: string;
  threeDsPending: boolean;
  card: TestCardBehaviour;
  returnUrl: string | null;
  /** Reached a successful authorisation (counted for double-charge checks). */
  charged: boolean;
  refunded: number;
}

interface StoredIdempotent {
  fingerprint: string;
  status: number;
  body: string;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

function error(status: number, type: string, message: string, extra: Json = {}): { status: number; body: Json } {
  return { status, body: { error: { type, message, ...extra } } };
}

export interface StripeEmulator {
  url: string;
  port: number;
  /** Every request received, in order (tests read what was sent on the wire). */
  requests: RecordedRequest[];
  paymentIntent(id: string): Json | undefined;
  refund(id: string): Json | undefined;
  /** How many PaymentIntents reached a successful authorisation (a double charge shows here). */
  chargeCount(): number;
  /** The next payment confirmation declines with this code (Stripe's documented decline codes). */
  declineNext(decline: { decline_code: string; advice_code?: string; code?: string; message?: string } | null): void;
  /** The next N calls (to `path`, when given) are processed but answered only after `ms` (the client's deadline passes first). */
  stallNext(ms: number, count?: number, path?: string): void;
  /** The next N calls (to `path`, when given) answer this 5xx without processing. */
  failNext(status: number, count?: number, path?: string): void;
  /** Stop accepting connections (connection refused) until up() is called. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** A Stripe event about an object, with its Stripe-Signature for this secret. */
  signedEvent(type: string, object: Json, secret: string, timestamp?: number): { headers: Record<string, string>; rawBody: string };
  close(): Promise<void>;
}

export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const intents = new Map<string, PaymentIntentState>();
  const refunds = new Map<string, { object: Json; apiKey: string }>();
  const paymentMethods = new Map<string, { object: Json; apiKey: string; card: TestCardBehaviour }>();
  const idempotency = new Map<string, StoredIdempotent>();
  const requests: RecordedRequest[] = [];
  let declineNext: { decline_code: string; advice_code?: string; code?: string; message?: string } | null = null;
  const faults = createFaults();
  let baseUrl = '';

  function authorised(req: IncomingMessage): string | null {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header) ?? /^Basic (.+)$/.exec(header);
    if (!match) return null;
    const key = header.startsWith('Basic') ? Buffer.from(match[1]!, 'base64').toString('utf8').replace(/:$/, '') : match[1]!;
    if (options.apiKeys ? !options.apiKeys.includes(key) : !/^(sk|rk)_test_/.test(key)) return null;
    return key;
  }

  function unknownParams(params: Json, allowed: Set<string>): { status: number; body: Json } | null {
    const unknown = Object.keys(params).find((key) => !allowed.has(key));
    return unknown ? error(400, 'invalid_request_error', `Received unknown parameter: ${unknown}`, { code: 'parameter_unknown', param: unknown }) : null;
  }

  function integer(params: Json, name: string, required: boolean): number | { status: number; body: Json } | null {
    const value = params[name];
    if (value === undefined) return required ? error(400, 'invalid_request_error', `Missing required param: ${name}.`, { code: 'parameter_missing', param: name }) : null;
    if (typeof value !== 'string' || !/^\d+$/.test(value)) return error(400, 'invalid_request_error', `Invalid integer: ${String(value)}`, { code: 'parameter_invalid_integer', param: name });
    return Number(value);
  }

  function publicIntent(state: PaymentIntentState): Json {
    return structuredClone(state.object);
  }

  function failIntent(state: PaymentIntentState, decline: { code: string; decline_code?: string; advice_code?: string; message: string }): { status: number; body: Json } {
    const lastError: Json = {
      type: 'card_error',
      code: decline.code,
      message: decline.message,
      ...(decline.decline_code ? { decline_code: decline.decline_code } : {}),
      ...(decline.advice_code ? { advice_code: decline.advice_code } : {}),
      doc_url: `https://docs.stripe.com/error-codes/${decline.code}`,
    };
    Object.assign(state.object, { status: 'requires_payment_method', last_payment_error: lastError, next_action: null });
    return { status: 402, body: { error: { ...lastError, payment_intent: publicIntent(state), request_log_url: `${baseUrl}/__emulator/logs` } } };
  }

  function confirm(state: PaymentIntentState): { status: number; body: Json } {
    const o = state.object;
    if (declineNext) {
      const d = declineNext;
      declineNext = null;
      return failIntent(state, {
        code: d.code ?? (d.decline_code === 'expired_card' || d.decline_code === 'incorrect_cvc' || d.decline_code === 'processing_error' ? d.decline_code : 'card_declined'),
        decline_code: d.decline_code,
        advice_code: d.advice_code,
        message: d.message ?? 'Your card was declined.',
      });
    }
    if (state.card.decline) return failIntent(state, state.card.decline);
    const requested = ((state.object.payment_method_options as Json | undefined)?.card as Json | undefined)?.request_three_d_secure;
    if (state.card.threeDs || requested === 'any' || requested === 'challenge') {
      state.threeDsPending = true;
      Object.assign(o, { status: 'requires_action', next_action: { type: 'redirect_to_url', redirect_to_url: { url: `${baseUrl}/__emulator/3ds/${String(o.id)}`, return_url: state.returnUrl } } });
      return { status: 200, body: publicIntent(state) };
    }
    authorise(state);
    return { status: 200, body: publicIntent(state) };
  }

  function authorise(state: PaymentIntentState): void {
    const o = state.object;
    const chargeId = id('ch');
    const manual = o.capture_method === 'manual';
    Object.assign(o, {
      status: manual ? 'requires_capture' : 'succeeded',
      amount_capturable: manual ? o.amount : 0,
      amount_received: manual ? 0 : o.amount,
      latest_charge: chargeId,
      last_payment_error: null,
      next_action: null,
    });
    state.charged = true;
  }

  function createIntent(apiKey: string, params: Json): { status: number; body: Json } {
    const unknown = unknownParams(params, CREATE_PARAMS);
    if (unknown) return unknown;
    const amount = integer(params, 'amount', true);
    if (typeof amount !== 'number') return amount!;
    if (amount < 1) return error(400, 'invalid_request_error', 'Amount must be at least 1', { code: 'amount_too_small', param: 'amount' });
    const currency = params.currency;
    if (typeof currency !== 'string' || !/^[a-z]{3}$/.test(currency)) return error(400, 'invalid_request_error', 'Invalid currency', { code: 'parameter_invalid_string_blank', param: 'currency' });
    const captureMethod = params.capture_method ?? 'automatic';
    if (!['automatic', 'automatic_async', 'manual'].includes(String(captureMethod)))
      return error(400, 'invalid_request_error', 'Invalid capture_method', { code: 'parameter_invalid_string_blank', param: 'capture_method' });
    let card: TestCardBehaviour | undefined;
    let paymentMethod: string | null = null;
    if (typeof params.payment_method === 'string') {
      const number = STRIPE_TEST_PAYMENT_METHODS[params.payment_method];
      const created = paymentMethods.get(params.payment_method);
      if (number) card = STRIPE_TEST_CARDS[number];
      else if (created && created.apiKey === apiKey) card = created.card;
      else return error(400, 'invalid_request_error', `No such PaymentMethod: '${params.payment_method}'`, { code: 'resource_missing', param: 'payment_method' });
      paymentMethod = params.payment_method;
    } else if (params.payment_method_data !== undefined) {
      // Card details inside payment_method_data are not part of the published parameters: cards go through /v1/payment_methods.
      const data = params.payment_method_data as Json;
      if (typeof data === 'object' && data !== null && 'card' in data)
        return error(400, 'invalid_request_error', 'Received unknown parameter: payment_method_data[card]', { code: 'parameter_unknown', param: 'payment_method_data[card]' });
      return error(400, 'invalid_request_error', 'This emulator takes card payment methods only', { code: 'payment_method_unsupported_type', param: 'payment_method_data[type]' });
    }
    const object = stripeFixture('payment_intent');
    const pi = id('pi');
    Object.assign(object, {
      id: pi,
      amount,
      currency,
      capture_method: captureMethod,
      client_secret: `${pi}_secret_${randomBytes(8).toString('hex')}`,
      created: nowSeconds(),
      canceled_at: null,
      cancellation_reason: null,
      confirmation_method: 'automatic',
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: (params.metadata as Json | undefined) ?? {},
      next_action: null,
      payment_method: paymentMethod,
      amount_capturable: 0,
      amount_received: 0,
      payment_method_types: (params.allowed_payment_method_types as string[] | undefined) ?? ['card'],
      processing: null,
      receipt_email: params.receipt_email ?? null,
      description: params.description ?? null,
      status: 'requires_payment_method',
      transfer_data: null,
      automatic_payment_methods: null,
      payment_method_options: (params.payment_method_options as Json | undefined) ?? {},
    });
    const state: PaymentIntentState = {
      object,
      apiKey,
      threeDsPending: false,
      card: card ?? { brand: 'visa', last4: '4242' },
      returnUrl: params.return_url === undefined ? null : String(params.return_url),
      charged: false,
      refunded: 0,
    };
    intents.set(pi, state);
    if (!paymentMethod) return { status: 200, body: publicIntent(state) };
    if (params.confirm === 'true') {
      const result = confirm(state);
      if (result.status === 200)
        void emit(
          state.object.status === 'requires_action'
            ? 'payment_intent.requires_action'
            : state.object.status === 'requires_capture'
              ? 'payment_intent.amount_capturable_updated'
              : 'payment_intent.succeeded',
          state,
        );
      else void emit('payment_intent.payment_failed', state);
      return result;
    }
    object.status = 'requires_confirmation';
    return { status: 200, body: publicIntent(state) };
  }

  function createPaymentMethod(apiKey: string, params: Json): { status: number; body: Json } {
    const unknown = unknownParams(params, PAYMENT_METHOD_PARAMS);
    if (unknown) return unknown;
    if (params.type !== 'card') return error(400, 'invalid_request_error', 'This emulator creates card PaymentMethods only', { code: 'payment_method_unsupported_type', param: 'type' });
    const raw = params.card as Json | undefined;
    if (typeof raw !== 'object' || raw === null) return error(400, 'invalid_request_error', 'Missing required param: card.', { code: 'parameter_missing', param: 'card' });
    const unknownCard = Object.keys(raw).find((key) => !PAYMENT_METHOD_CARD_PARAMS.has(key));
    if (unknownCard) return error(400, 'invalid_request_error', `Received unknown parameter: card[${unknownCard}]`, { code: 'parameter_unknown', param: `card[${unknownCard}]` });
    if (options.rawCardKeys && !options.rawCardKeys.includes(apiKey)) {
      return error(
        402,
        'invalid_request_error',
        'Sending credit card numbers directly to the Stripe API is generally unsafe. To continue processing use Stripe.js, the Stripe mobile bindings, or Stripe Elements.',
        { code: 'unsupported_parameter' },
      );
    }
    for (const field of ['number', 'exp_month', 'exp_year']) {
      if (typeof raw[field] !== 'string') return error(400, 'invalid_request_error', `Missing required param: card[${field}].`, { code: 'parameter_missing', param: `card[${field}]` });
    }
    const number = String(raw.number);
    const card = STRIPE_TEST_CARDS[number] ?? (/^4\d{15}$/.test(number) ? { brand: 'visa', last4: number.slice(-4) } : undefined);
    if (!card) return error(402, 'card_error', 'Your card number is incorrect.', { code: 'incorrect_number', param: 'number' });
    const object = stripeFixture('payment_method');
    const pm = id('pm');
    Object.assign(object, {
      id: pm,
      type: 'card',
      created: nowSeconds(),
      livemode: false,
      customer: null,
      metadata: (params.metadata as Json | undefined) ?? {},
      billing_details: { address: null, email: null, name: (params.billing_details as Json | undefined)?.name ?? null, phone: null, tax_id: null },
      card: {
        brand: card.brand,
        last4: card.last4,
        exp_month: Number(raw.exp_month),
        exp_year: Number(raw.exp_year),
        funding: 'credit',
        country: 'US',
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: raw.cvc ? 'unchecked' : null },
        wallet: null,
      },
    });
    paymentMethods.set(pm, { apiKey, card, object });
    return { status: 200, body: structuredClone(object) };
  }

  function findIntent(apiKey: string, piId: string): PaymentIntentState | { status: number; body: Json } {
    const state = intents.get(piId);
    if (!state || state.apiKey !== apiKey) return error(404, 'invalid_request_error', `No such payment_intent: '${piId}'`, { code: 'resource_missing', param: 'intent' });
    return state;
  }

  function unexpectedState(state: PaymentIntentState, action: string): { status: number; body: Json } {
    return error(400, 'invalid_request_error', `This PaymentIntent could not be ${action} because it has a status of ${String(state.object.status)}.`, {
      code: 'payment_intent_unexpected_state',
      payment_intent: publicIntent(state),
    });
  }

  function capture(state: PaymentIntentState, params: Json): { status: number; body: Json } {
    const unknown = unknownParams(params, CAPTURE_PARAMS);
    if (unknown) return unknown;
    if (state.object.status !== 'requires_capture') return unexpectedState(state, 'captured');
    const requested = integer(params, 'amount_to_capture', false);
    if (requested !== null && typeof requested !== 'number') return requested;
    const capturable = Number(state.object.amount_capturable);
    const amount = requested ?? capturable;
    if (amount > capturable)
      return error(400, 'invalid_request_error', `The amount_to_capture (${amount}) is greater than the amount capturable (${capturable}).`, { code: 'amount_too_large', param: 'amount_to_capture' });
    Object.assign(state.object, { status: 'succeeded', amount_received: amount, amount_capturable: 0 });
    void emit('payment_intent.succeeded', state);
    return { status: 200, body: publicIntent(state) };
  }

  function cancel(state: PaymentIntentState, params: Json): { status: number; body: Json } {
    const unknown = unknownParams(params, CANCEL_PARAMS);
    if (unknown) return unknown;
    if (['succeeded', 'canceled'].includes(String(state.object.status))) return unexpectedState(state, 'canceled');
    Object.assign(state.object, { status: 'canceled', canceled_at: nowSeconds(), cancellation_reason: params.cancellation_reason ?? null, amount_capturable: 0, next_action: null });
    void emit('payment_intent.canceled', state);
    return { status: 200, body: publicIntent(state) };
  }

  function createRefund(apiKey: string, params: Json): { status: number; body: Json } {
    const unknown = unknownParams(params, REFUND_PARAMS);
    if (unknown) return unknown;
    if (typeof params.payment_intent !== 'string') return error(400, 'invalid_request_error', 'Missing required param: payment_intent.', { code: 'parameter_missing', param: 'payment_intent' });
    const found = findIntent(apiKey, params.payment_intent);
    if (!('object' in found)) return found;
    const o = found.object;
    if (o.status !== 'succeeded')
      return error(400, 'invalid_request_error', `This PaymentIntent (${String(o.id)}) does not have a successful charge to refund.`, { code: 'charge_not_refundable', param: 'payment_intent' });
    const received = Number(o.amount_received);
    const already = found.refunded;
    if (already >= received) return error(400, 'invalid_request_error', `Charge ${String(o.latest_charge)} has already been refunded.`, { code: 'charge_already_refunded' });
    const requested = integer(params, 'amount', false);
    if (requested !== null && typeof requested !== 'number') return requested;
    const amount = requested ?? received - already;
    if (amount > received - already)
      return error(400, 'invalid_request_error', `Refund amount (${amount}) is greater than unrefunded amount on charge (${received - already})`, { code: 'amount_too_large', param: 'amount' });
    found.refunded = already + amount;
    const refund = stripeFixture('refund');
    Object.assign(refund, {
      id: id('re'),
      amount,
      currency: o.currency,
      charge: o.latest_charge,
      payment_intent: o.id,
      created: nowSeconds(),
      status: 'succeeded',
      metadata: (params.metadata as Json | undefined) ?? {},
      reason: params.reason ?? null,
      destination_details: {
        card: { reference: String(Math.floor(Math.random() * 1e12)).padStart(12, '0'), reference_status: 'available', reference_type: 'acquirer_reference_number', type: 'refund' },
        type: 'card',
      },
    });
    refunds.set(String(refund.id), { object: refund, apiKey });
    void emitObject('refund.created', refund, apiKey);
    return { status: 200, body: structuredClone(refund) };
  }

  function search(apiKey: string, query: string): { status: number; body: Json } {
    const match = /^metadata\['([^']+)'\]:'((?:[^'\\]|\\.)*)'$/.exec(query.trim());
    if (!match) return error(400, 'invalid_request_error', "This emulator searches only metadata['key']:'value'", { code: 'parameter_invalid_string_blank', param: 'query' });
    const [, key, value] = match;
    const data = [...intents.values()].filter((s) => s.apiKey === apiKey && (s.object.metadata as Json)[key!] === value!.replace(/\\'/g, "'")).map(publicIntent);
    return { status: 200, body: { object: 'search_result', data, has_more: false, next_page: null, url: '/v1/payment_intents/search' } };
  }

  // Webhook endpoints: events go to each endpoint registered for the API key that made the object.
  const endpoints = new Map<string, Array<{ url: string; secret: string }>>();
  async function emitObject(type: string, object: Json, apiKey: string): Promise<void> {
    for (const endpoint of endpoints.get(apiKey) ?? []) {
      const { headers, rawBody } = signedEvent(type, object, endpoint.secret);
      try {
        await fetch(endpoint.url, { method: 'POST', headers, body: rawBody });
      } catch {
        // Stripe retries failed deliveries for days; the emulator delivers once.
      }
    }
  }
  const emit = (type: string, state: PaymentIntentState) => emitObject(type, publicIntent(state), state.apiKey);

  function signedEvent(type: string, object: Json, secret: string, timestamp = nowSeconds()): { headers: Record<string, string>; rawBody: string } {
    const event = stripeFixture('event');
    Object.assign(event, {
      id: id('evt'),
      type,
      created: timestamp,
      livemode: false,
      api_version: STRIPE_PACKAGE_API_VERSION,
      data: { object, previous_attributes: null },
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    });
    const rawBody = JSON.stringify(event);
    const signature = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
    return { headers: { 'content-type': 'application/json', 'stripe-signature': `t=${timestamp},v1=${signature}` }, rawBody };
  }

  function route(method: string, path: string, apiKey: string, params: Json, query: URLSearchParams): { status: number; body: Json } {
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v1/payment_intents') return createIntent(apiKey, params);
    if (method === 'GET' && path === '/v1/payment_intents/search') return search(apiKey, query.get('query') ?? '');
    if ((m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path)) && method === 'GET') {
      const found = findIntent(apiKey, decodeURIComponent(m[1]!));
      return 'object' in found ? { status: 200, body: publicIntent(found) } : found;
    }
    if ((m = /^\/v1\/payment_intents\/([^/]+)\/(capture|cancel)$/.exec(path)) && method === 'POST') {
      const found = findIntent(apiKey, decodeURIComponent(m[1]!));
      if (!('object' in found)) return found;
      return m[2] === 'capture' ? capture(found, params) : cancel(found, params);
    }
    if (method === 'POST' && path === '/v1/refunds') return createRefund(apiKey, params);
    if (method === 'POST' && path === '/v1/payment_methods') return createPaymentMethod(apiKey, params);
    if ((m = /^\/v1\/refunds\/([^/]+)$/.exec(path)) && method === 'GET') {
      const refund = refunds.get(decodeURIComponent(m[1]!));
      return refund && refund.apiKey === apiKey
        ? { status: 200, body: structuredClone(refund.object) }
        : error(404, 'invalid_request_error', `No such refund: '${m[1]}'`, { code: 'resource_missing', param: 'id' });
    }
    return error(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`);
  }

  function threeDsPage(piId: string, fail: boolean, res: ServerResponse): void {
    const state = intents.get(piId);
    if (!state?.threeDsPending) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('unknown or finished authentication');
      return;
    }
    state.threeDsPending = false;
    if (fail) {
      failIntent(state, { code: 'payment_intent_authentication_failure', message: 'The provided PaymentMethod has failed authentication.' });
      state.object.last_payment_error = { ...(state.object.last_payment_error as Json), type: 'invalid_request_error' };
      void emit('payment_intent.payment_failed', state);
    } else {
      authorise(state);
      void emit(state.object.status === 'requires_capture' ? 'payment_intent.amount_capturable_updated' : 'payment_intent.succeeded', state);
    }
    const back = state.returnUrl;
    if (back) {
      const target = new URL(back);
      target.searchParams.set('payment_intent', piId);
      target.searchParams.set('payment_intent_client_secret', String(state.object.client_secret));
      res.writeHead(302, { location: target.toString() }).end();
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Authentication complete.</p>');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    if (path.startsWith('/__emulator/3ds/')) return threeDsPage(decodeURIComponent(path.slice('/__emulator/3ds/'.length)), url.searchParams.get('fail') === '1', res);
    if (path === '/__emulator/webhook_endpoints' && req.method === 'POST') {
      const params = JSON.parse(body || '{}') as { api_key?: string; url?: string; secret?: string };
      if (!params.api_key || !params.url || !params.secret) return void res.writeHead(400).end();
      endpoints.set(params.api_key, [...(endpoints.get(params.api_key) ?? []), { url: params.url, secret: params.secret }]);
      return void res.writeHead(204).end();
    }
    const params = req.method === 'POST' ? decodeStripeForm(body) : decodeStripeForm(url.search.slice(1));
    requests.push({
      method: req.method ?? 'GET',
      path,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')])),
      body,
      params,
    });
    const send = (status: number, payload: Json, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req'), 'stripe-version': String(req.headers['stripe-version'] ?? STRIPE_PACKAGE_API_VERSION), ...headers });
      res.end(JSON.stringify(payload));
    };
    const failure = faults.takeFailure(path);
    if (failure !== null) return send(failure, { error: { type: 'api_error', message: 'An unknown error occurred' } }, { 'stripe-should-retry': 'true' });
    const apiKey = authorised(req);
    if (!apiKey) return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    const idemKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    let answer: { status: number; body: string; replayed: boolean };
    const fingerprint = createHash('sha256').update(`${req.method} ${path}\n${body}`).digest('hex');
    const scoped = idemKey ? `${apiKey}\u0000${idemKey}` : null;
    const stored = scoped && req.method === 'POST' ? idempotency.get(scoped) : undefined;
    if (stored) {
      if (stored.fingerprint !== fingerprint) {
        answer = {
          status: 400,
          body: JSON.stringify({
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idemKey}' if you meant to execute a different request.`,
            },
          }),
          replayed: false,
        };
      } else {
        answer = { status: stored.status, body: stored.body, replayed: true };
      }
    } else {
      const result = route(req.method ?? 'GET', path, apiKey, params, url.searchParams);
      answer = { status: result.status, body: JSON.stringify(result.body), replayed: false };
      // Stripe keeps the first answer of a key, errors included, except 5xx and 409s (not stored).
      if (scoped && req.method === 'POST' && result.status < 500) idempotency.set(scoped, { fingerprint, status: result.status, body: answer.body });
    }
    await faults.stall(path);
    res.writeHead(answer.status, {
      'content-type': 'application/json',
      'request-id': id('req'),
      'stripe-version': String(req.headers['stripe-version'] ?? STRIPE_PACKAGE_API_VERSION),
      ...(idemKey ? { 'idempotency-key': idemKey } : {}),
      ...(answer.replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
    res.end(answer.body);
  }

  const server = await serveEmulator(handle, { port: options.port, host: options.host });
  baseUrl = server.origin;

  return {
    url: baseUrl,
    port: server.port,
    requests,
    paymentIntent: (piId) => (intents.has(piId) ? publicIntent(intents.get(piId)!) : undefined),
    refund: (reId) => (refunds.has(reId) ? structuredClone(refunds.get(reId)!.object) : undefined),
    chargeCount: () => [...intents.values()].filter((s) => s.charged).length,
    declineNext: (decline) => {
      declineNext = decline;
    },
    stallNext: faults.stallNext,
    failNext: faults.failNext,
    down: server.down,
    up: server.up,
    signedEvent,
    close: server.down,
  };
}
