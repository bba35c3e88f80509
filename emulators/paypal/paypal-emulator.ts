// A local, stateful stand-in for PayPal's REST API (Orders v2, Payments v2, Webhooks v1 and the OAuth2
// token endpoint), for tests and the offline demo. Every request body is validated against PayPal's
// published OpenAPI documents (./contract.ts) and every answer against the response schema of its
// operation and status (an emulator answer that violates it is an emulator bug: it throws). Violations
// of requests are recorded (`violations`) and answered as PayPal does (400 INVALID_REQUEST with an issue).
//
// What it keeps: expiring OAuth2 tokens (401 on an unknown or expired one), orders with their
// authorizations, captures and refunds (balances, PayPal's capture limit of 115% / +75 units), the
// PayPal-Request-Id of every POST (the same id replays the first answer, 200 instead of 201), a buyer
// approval page (approve or cancel; approve redirects to the order's return_url with token and
// PayerID), a card 3-D Secure page (pass, fail, unknown), webhooks signed PayPal's way
// (SHA256withRSA over `transmission_id|transmission_time|webhook_id|crc32(body)`, certificate served
// at PAYPAL-CERT-URL) with the verify-webhook-signature call answering SUCCESS or FAILURE, the event
// log (GET /v1/notifications/webhooks-events), and on demand: any documented decline issue or card
// processor response code, stalls, 5xx, and being down.
//
// Inferred (not in the documents, from PayPal's guides): card declines come back as a COMPLETED order
// whose capture is DECLINED (or authorization DENIED) with processor_response.response_code; the
// payer-action page paths (/checkoutnow, /webapps/helios) mimic www.paypal.com; cardholder names
// CCREJECT-* trigger declines as in PayPal's sandbox negative testing; the CRC of the verification is
// over the event bytes as sent to us (the connector sends them verbatim).
import { createSign, createVerify, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { generate } from 'selfsigned';
import { createFaults, serveEmulator } from '../kit.ts';
import { luhnValid } from '../../src/core/cards.ts';
import { documentedIssueDescriptions, operationFor, requestViolation, responseViolation } from './contract.ts';

type Json = Record<string, unknown>;

export interface PayPalEmulatorOptions {
  port?: number;
  host?: string;
  /** Registered REST apps, client id -> secret. Absent: any client id and secret are accepted. */
  clients?: Record<string, string>;
  /** Client ids enabled for advanced card processing (payment_source.card). Absent: all. */
  cardClients?: readonly string[];
  /** Lifetime of an access token, seconds (PayPal: 32400). */
  tokenTtlSeconds?: number;
}

/** PayPal's currencies and their decimals at PayPal (https://developer.paypal.com/reference/currency-codes/). */
const DECIMALS: Record<string, number> = Object.fromEntries([
  ...'AUD BRL CAD CNY CZK DKK EUR HKD INR ILS MYR MXN NZD NOK PHP PLN GBP SGD SEK CHF THB USD'.split(' ').map((c) => [c, 2] as const),
  ...'HUF JPY TWD'.split(' ').map((c) => [c, 0] as const),
]);

/** 3-D Secure test cards (PayPal's 3DS sandbox cards): they always ask the cardholder. */
export const PAYPAL_3DS_CARDS = new Set(['4868719460707704', '5329879786234393', '4000000000003220']);

/** Sandbox negative testing by cardholder name (https://developer.paypal.com/tools/sandbox/card-testing/): name -> processor response code. */
export const CCREJECT_NAMES: Record<string, string> = {
  'CCREJECT-REFUSED': '0500',
  'CCREJECT-SF': '9500',
  'CCREJECT-EC': '5400',
  'CCREJECT-IRC': '5180',
  'CCREJECT-IF': '5120',
  'CCREJECT-LS': '9520',
  'CCREJECT-IA': '1330',
  'CCREJECT-BANK_ERROR': '5100',
  'CCREJECT-CVV_F': '00N7',
};

interface Amount {
  currency: string;
  /** In PayPal's smallest unit of the currency (cents; yen). */
  units: number;
}

interface AuthorizationState {
  id: string;
  orderId: string;
  clientId: string;
  status: 'CREATED' | 'CAPTURED' | 'DENIED' | 'PARTIALLY_CAPTURED' | 'VOIDED' | 'PENDING';
  amount: Amount;
  captured: number;
  expired: boolean;
  processor: Json | null;
  customId: string | null;
  invoiceId: string | null;
  createTime: string;
  updateTime: string;
}
interface CaptureState {
  id: string;
  orderId: string;
  clientId: string;
  authorizationId: string | null;
  status: 'COMPLETED' | 'DECLINED' | 'PARTIALLY_REFUNDED' | 'PENDING' | 'REFUNDED' | 'FAILED';
  amount: Amount;
  refunded: number;
  finalCapture: boolean;
  processor: Json | null;
  customId: string | null;
  invoiceId: string | null;
  createTime: string;
  updateTime: string;
}
interface RefundState {
  id: string;
  captureId: string;
  orderId: string;
  clientId: string;
  status: 'COMPLETED' | 'PENDING' | 'FAILED' | 'CANCELLED';
  amount: Amount;
  customId: string | null;
  createTime: string;
}
export interface OrderState {
  id: string;
  clientId: string;
  intent: 'CAPTURE' | 'AUTHORIZE';
  status: 'CREATED' | 'SAVED' | 'APPROVED' | 'VOIDED' | 'COMPLETED' | 'PAYER_ACTION_REQUIRED';
  source: 'paypal' | 'card' | 'none';
  amount: Amount;
  referenceId: string;
  customId: string | null;
  invoiceId: string | null;
  returnUrl: string | null;
  cancelUrl: string | null;
  card: { lastDigits: string; brand: string; name: string | null; threeDs: boolean; authenticationResult: Json | null } | null;
  payer: { payerId: string; email: string } | null;
  authorizations: string[];
  captures: string[];
  refunds: string[];
  createTime: string;
  updateTime: string;
}

export interface PayPalWebhookEvent {
  id: string;
  create_time: string;
  resource_type: string;
  event_type: string;
  summary: string;
  resource: Json;
  event_version?: string;
  resource_version?: string;
  links?: Json[];
}

export interface PayPalEmulator {
  url: string;
  port: number;
  requests: Array<{ method: string; path: string; headers: Record<string, string>; body: Json | null; operationId: string | null }>;
  /** Requests that broke the contract (the answer was a 400 as PayPal gives). */
  violations: Array<{ operationId: string; path: string; reason: string }>;
  /** Every webhook event produced, newest last. */
  events: PayPalWebhookEvent[];
  order(id: string): OrderState | undefined;
  authorization(id: string): AuthorizationState | undefined;
  capture(id: string): CaptureState | undefined;
  /** Orders that took money or a hold (a completed capture or a created authorization). */
  chargeCount(): number;
  /** Token requests answered 200, per client (all clients when absent). */
  tokenCalls(clientId?: string): number;
  /** Expires every access token now (the next API call with one answers 401). */
  expireTokens(): void;
  /**
   * The next payment processing (a card order's creation, an order capture or authorize, an
   * authorization capture, a refund; or only `on`, an operationId) declines: a processor response code
   * (0500, 5120, ...) makes a DECLINED capture / DENIED authorization, any other code is answered as a
   * 422 issue, which must be documented for that operation. null clears it.
   */
  declineNext(code: string | null, on?: string): void;
  stallNext(ms: number, count?: number, path?: string): void;
  failNext(status: number, count?: number, path?: string): void;
  /** Registers a webhook of a REST app; returns its id (also POST /v1/notifications/webhooks). */
  registerWebhook(clientId: string, url: string, eventTypes?: readonly string[]): string;
  /** Points a registered webhook at another URL (the demo registers first, then knows the account's URL). */
  setWebhookUrl(webhookId: string, url: string): void;
  /** A delivery of `event` to `webhookId`, signed as PayPal signs it. */
  signedEvent(event: PayPalWebhookEvent, webhookId: string): { headers: Record<string, string>; rawBody: string };
  /** The webhook id registered for a client (the first), for tests. */
  webhookIdOf(clientId: string): string | undefined;
  /** The certificate PAYPAL-CERT-URL serves (PEM). */
  certificatePem: string;
  certUrl: string;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const PAYER_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const ident = (length = 17, alphabet = ALNUM) => Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
const debugId = () => randomBytes(7).toString('hex');

const ERROR_NAMES: Record<number, { name: string; message: string }> = {
  400: { name: 'INVALID_REQUEST', message: 'Request is not well-formed, syntactically incorrect, or violates schema.' },
  401: { name: 'AUTHENTICATION_FAILURE', message: 'Authentication failed due to missing authorization header, or invalid authentication credentials.' },
  403: { name: 'NOT_AUTHORIZED', message: 'Authorization failed due to insufficient permissions.' },
  404: { name: 'RESOURCE_NOT_FOUND', message: 'The specified resource does not exist.' },
  409: { name: 'RESOURCE_CONFLICT', message: 'The server has detected a conflict while processing this request.' },
  422: { name: 'UNPROCESSABLE_ENTITY', message: 'The requested action could not be performed, semantically incorrect, or failed business validation.' },
  500: { name: 'INTERNAL_SERVER_ERROR', message: 'An internal server error occurred.' },
  503: { name: 'SERVICE_UNAVAILABLE', message: 'Service Unavailable.' },
};

class Answer {
  constructor(
    readonly status: number,
    readonly body: Json | null,
  ) {}
}

/** The raw text of a top-level member of a JSON object text (the bytes as sent), or null. */
export function rawMember(text: string, name: string): string | null {
  let i = text.indexOf('{');
  if (i < 0) return null;
  i += 1;
  const skipWs = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const skipValue = (): void => {
    skipWs();
    if (text[i] === '"') return void readString();
    if (text[i] === '{' || text[i] === '[') {
      let depth = 0;
      while (i < text.length) {
        const c = text[i]!;
        if (c === '"') {
          readString();
          continue;
        }
        if (c === '{' || c === '[') depth++;
        if (c === '}' || c === ']') depth--;
        i++;
        if (depth === 0) return;
      }
      return;
    }
    while (i < text.length && !/[,}\]\s]/.test(text[i]!)) i++;
  };
  for (;;) {
    skipWs();
    if (text[i] !== '"') return null;
    const key = readString();
    skipWs();
    if (text[i] !== ':') return null;
    i++;
    skipWs();
    const start = i;
    skipValue();
    if (key === name) return text.slice(start, i);
    skipWs();
    if (text[i] !== ',') return null;
    i++;
  }
}

export async function startPayPalEmulator(options: PayPalEmulatorOptions = {}): Promise<PayPalEmulator> {
  const ttl = options.tokenTtlSeconds ?? 32_400;
  const tokens = new Map<string, { clientId: string; expiresAt: number }>();
  const tokenCount = new Map<string, number>();
  const orders = new Map<string, OrderState>();
  const authorizations = new Map<string, AuthorizationState>();
  const captures = new Map<string, CaptureState>();
  const refunds = new Map<string, RefundState>();
  const idempotency = new Map<string, { status: number; text: string }>();
  const webhooks = new Map<string, { clientId: string; url: string; eventTypes: string[] }>();
  const events: Array<PayPalWebhookEvent & { clientId: string }> = [];
  const requests: PayPalEmulator['requests'] = [];
  const violations: PayPalEmulator['violations'] = [];
  const faults = createFaults();
  let decline: { code: string; on?: string } | null = null;
  let baseUrl = '';

  // The signing key and its certificate, as PayPal publishes one at PAYPAL-CERT-URL.
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const pems = await generate([{ name: 'commonName', value: 'messageverificationcerts.paypal.emulator' }], {
    keyPair: { privateKey: keys.privateKey, publicKey: keys.publicKey },
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 10 * 365 * 24 * 3600_000),
  });
  const certId = `CERT-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`;

  const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const decimals = (currency: string) => DECIMALS[currency] ?? 2;
  const format = (amount: Amount): Json => {
    const d = decimals(amount.currency);
    const digits = String(amount.units).padStart(d + 1, '0');
    return { currency_code: amount.currency, value: d === 0 ? digits : `${digits.slice(0, -d)}.${digits.slice(-d)}` };
  };
  /** PayPal's `value` in smallest units, or the issue that refuses it. */
  const parseMoney = (money: Json | undefined, operationId: string): Amount | Answer => {
    const currency = String(money?.currency_code ?? '');
    const value = String(money?.value ?? '');
    if (!(currency in DECIMALS)) return issue(422, operationId, 'INVALID_CURRENCY_CODE', "/purchase_units/@reference_id=='default'/amount/currency_code");
    const m = /^(\d+)(?:\.(\d+))?$/.exec(value);
    if (!m) return issue(422, operationId, 'CANNOT_BE_ZERO_OR_NEGATIVE');
    const d = decimals(currency);
    const fraction = m[2] ?? '';
    if (fraction.length > d) return issue(422, operationId, d === 0 && documented(operationId, 422, 'DECIMALS_NOT_SUPPORTED') ? 'DECIMALS_NOT_SUPPORTED' : 'DECIMAL_PRECISION');
    const units = Number(m[1]) * 10 ** d + Number(fraction.padEnd(d, '0') || '0');
    if (units <= 0) return issue(422, operationId, 'CANNOT_BE_ZERO_OR_NEGATIVE');
    return { currency, units };
  };

  function documented(operationId: string, status: number, code: string): boolean {
    return documentedIssueDescriptions(operationId, status).has(code);
  }

  /** An error answer with one documented issue (its documented description); an undocumented one is an emulator misuse. */
  function issue(status: number, operationId: string, code: string, field?: string): Answer {
    const described = documentedIssueDescriptions(operationId, status);
    const description = described.get(code);
    if (description === undefined && described.size > 0) throw new Error(`PayPal documents no issue ${code} for ${operationId} ${status} (documented: ${[...described.keys()].join(', ')})`);
    const names = ERROR_NAMES[status]!;
    return new Answer(status, {
      name: names.name,
      message: names.message,
      debug_id: debugId(),
      details: [{ issue: code, description: description ?? code, ...(field ? { field, location: 'body' } : {}) }],
      links: [{ href: `https://developer.paypal.com/docs/api/orders/v2/#error-${code}`, rel: 'information_link', method: 'GET' }],
    });
  }
  const notFound = (operationId: string) => issue(404, operationId, 'INVALID_RESOURCE_ID');

  // ---- webhooks ----

  function signedEvent(event: PayPalWebhookEvent, webhookId: string): { headers: Record<string, string>; rawBody: string } {
    const rawBody = JSON.stringify(event);
    const transmissionId = randomUUID();
    const transmissionTime = now();
    const signer = createSign('RSA-SHA256');
    signer.update(`${transmissionId}|${transmissionTime}|${webhookId}|${crc32(rawBody) >>> 0}`);
    return {
      headers: {
        'content-type': 'application/json',
        'paypal-transmission-id': transmissionId,
        'paypal-transmission-time': transmissionTime,
        'paypal-transmission-sig': signer.sign(keys.privateKey, 'base64'),
        'paypal-cert-url': `${baseUrl}/v1/notifications/certs/${certId}`,
        'paypal-auth-algo': 'SHA256withRSA',
        'paypal-auth-version': 'v2',
      },
      rawBody,
    };
  }

  function emit(clientId: string, eventType: string, resourceType: string, resource: Json, summary: string): void {
    const event: PayPalWebhookEvent & { clientId: string } = {
      id: `WH-${ident(17)}-${ident(17)}`,
      event_version: '1.0',
      create_time: now(),
      resource_type: resourceType,
      resource_version: '2.0',
      event_type: eventType,
      summary,
      resource,
      links: [{ href: `${baseUrl}/v1/notifications/webhooks-events/WH`, rel: 'self', method: 'GET' }],
      clientId,
    };
    events.push(event);
    const { clientId: _owner, ...published } = event;
    for (const [webhookId, webhook] of webhooks) {
      if (webhook.clientId !== clientId || !(webhook.eventTypes.includes('*') || webhook.eventTypes.includes(eventType))) continue;
      const { headers, rawBody } = signedEvent(published, webhookId);
      setTimeout(() => void fetch(webhook.url, { method: 'POST', headers, body: rawBody }).catch(() => undefined), 5);
    }
  }

  // ---- resources as PayPal shows them ----

  const linksOfOrder = (o: OrderState): Json[] => {
    const links: Json[] = [{ href: `${baseUrl}/v2/checkout/orders/${o.id}`, rel: 'self', method: 'GET' }];
    if (o.status === 'PAYER_ACTION_REQUIRED' || o.status === 'CREATED') {
      const href = o.source === 'card' ? `${baseUrl}/webapps/helios?action=authenticate&token=${o.id}` : `${baseUrl}/checkoutnow?token=${o.id}`;
      links.push({ href, rel: o.status === 'CREATED' ? 'approve' : 'payer-action', method: 'GET' });
    }
    if (o.status === 'APPROVED')
      links.push({ href: `${baseUrl}/v2/checkout/orders/${o.id}/${o.intent === 'CAPTURE' ? 'capture' : 'authorize'}`, rel: o.intent === 'CAPTURE' ? 'capture' : 'authorize', method: 'POST' });
    return links;
  };

  const authorizationJson = (a: AuthorizationState, withRelated: boolean): Json => ({
    id: a.id,
    status: a.status,
    amount: format(a.amount),
    ...(a.invoiceId ? { invoice_id: a.invoiceId } : {}),
    ...(a.customId ? { custom_id: a.customId } : {}),
    seller_protection: { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] },
    expiration_time: new Date(Date.parse(a.createTime) + 29 * 24 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...(a.processor ? { processor_response: a.processor } : {}),
    ...(withRelated ? { supplementary_data: { related_ids: { order_id: a.orderId } } } : {}),
    links: [
      { href: `${baseUrl}/v2/payments/authorizations/${a.id}`, rel: 'self', method: 'GET' },
      { href: `${baseUrl}/v2/payments/authorizations/${a.id}/capture`, rel: 'capture', method: 'POST' },
      { href: `${baseUrl}/v2/payments/authorizations/${a.id}/void`, rel: 'void', method: 'POST' },
      { href: `${baseUrl}/v2/checkout/orders/${a.orderId}`, rel: 'up', method: 'GET' },
    ],
    create_time: a.createTime,
    update_time: a.updateTime,
  });

  const captureJson = (c: CaptureState, withRelated: boolean): Json => ({
    id: c.id,
    status: c.status,
    amount: format(c.amount),
    final_capture: c.finalCapture,
    ...(c.invoiceId ? { invoice_id: c.invoiceId } : {}),
    ...(c.customId ? { custom_id: c.customId } : {}),
    seller_protection: { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] },
    ...(c.processor ? { processor_response: c.processor } : {}),
    ...(withRelated ? { supplementary_data: { related_ids: { order_id: c.orderId, ...(c.authorizationId ? { authorization_id: c.authorizationId } : {}) } } } : {}),
    links: [
      { href: `${baseUrl}/v2/payments/captures/${c.id}`, rel: 'self', method: 'GET' },
      { href: `${baseUrl}/v2/payments/captures/${c.id}/refund`, rel: 'refund', method: 'POST' },
      { href: c.authorizationId ? `${baseUrl}/v2/payments/authorizations/${c.authorizationId}` : `${baseUrl}/v2/checkout/orders/${c.orderId}`, rel: 'up', method: 'GET' },
    ],
    create_time: c.createTime,
    update_time: c.updateTime,
  });

  const refundJson = (r: RefundState): Json => ({
    id: r.id,
    status: r.status,
    amount: format(r.amount),
    ...(r.customId ? { custom_id: r.customId } : {}),
    links: [
      { href: `${baseUrl}/v2/payments/refunds/${r.id}`, rel: 'self', method: 'GET' },
      { href: `${baseUrl}/v2/payments/captures/${r.captureId}`, rel: 'up', method: 'GET' },
    ],
    create_time: r.createTime,
    update_time: r.createTime,
  });

  function orderJson(o: OrderState, minimal = false): Json {
    if (minimal) return { id: o.id, status: o.status, links: linksOfOrder(o) };
    const paymentSource: Json =
      o.source === 'card' && o.card
        ? {
            card: {
              ...(o.card.name && o.card.name.length >= 2 ? { name: o.card.name } : {}),
              last_digits: o.card.lastDigits,
              brand: o.card.brand,
              type: 'CREDIT',
              ...(o.card.authenticationResult ? { authentication_result: o.card.authenticationResult } : {}),
            },
          }
        : o.source === 'paypal'
          ? { paypal: o.payer ? { email_address: o.payer.email, account_id: o.payer.payerId, account_status: 'VERIFIED', name: { given_name: 'Sandbox', surname: 'Buyer' } } : {} }
          : {};
    const payments: Json = {};
    if (o.authorizations.length) payments.authorizations = o.authorizations.map((id) => authorizationJson(authorizations.get(id)!, false));
    if (o.captures.length) payments.captures = o.captures.map((id) => captureJson(captures.get(id)!, false));
    if (o.refunds.length) payments.refunds = o.refunds.map((id) => refundJson(refunds.get(id)!));
    return {
      id: o.id,
      intent: o.intent,
      status: o.status,
      ...(Object.keys(paymentSource).length ? { payment_source: paymentSource } : {}),
      purchase_units: [
        {
          reference_id: o.referenceId,
          amount: format(o.amount),
          payee: { email_address: 'merchant@example.com', merchant_id: 'JUNCT2EMU8XYZ' },
          ...(o.customId ? { custom_id: o.customId } : {}),
          ...(o.invoiceId ? { invoice_id: o.invoiceId } : {}),
          ...(Object.keys(payments).length ? { payments } : {}),
        },
      ],
      ...(o.payer ? { payer: { payer_id: o.payer.payerId, email_address: o.payer.email, name: { given_name: 'Sandbox', surname: 'Buyer' } } } : {}),
      create_time: o.createTime,
      update_time: o.updateTime,
      links: linksOfOrder(o),
    };
  }

  // ---- processing ----

  /** The decline due for this operation, taken. */
  function takeDecline(operationId: string): string | null {
    if (!decline || (decline.on && decline.on !== operationId)) return null;
    const code = decline.code;
    decline = null;
    return code;
  }
  const isProcessorCode = (code: string) => /^[0-9A-Z]{4}$/.test(code);
  const processorOf = (code: string): Json => ({
    avs_code: code === '0000' ? 'Y' : 'N',
    cvv_code: code === '0000' ? 'M' : 'N',
    response_code: code,
    ...(code === '0000' ? {} : { payment_advice_code: '01' }),
  });

  /** Takes the order's money (CAPTURE) or a hold (AUTHORIZE), or declines. */
  function process(o: OrderState, operationId: string): Answer | null {
    const due = takeDecline(operationId) ?? (o.card?.name && CCREJECT_NAMES[o.card.name] ? CCREJECT_NAMES[o.card.name]! : null);
    if (due && !isProcessorCode(due)) return issue(422, operationId, due);
    const code = due ?? (o.source === 'card' ? '0000' : null);
    const approved = code === null || code === '0000';
    const at = now();
    if (o.intent === 'CAPTURE') {
      const c: CaptureState = {
        id: ident(),
        orderId: o.id,
        clientId: o.clientId,
        authorizationId: null,
        status: approved ? 'COMPLETED' : 'DECLINED',
        amount: { ...o.amount },
        refunded: 0,
        finalCapture: true,
        processor: code ? processorOf(code) : null,
        customId: o.customId,
        invoiceId: o.invoiceId,
        createTime: at,
        updateTime: at,
      };
      captures.set(c.id, c);
      o.captures.push(c.id);
      emit(
        o.clientId,
        approved ? 'PAYMENT.CAPTURE.COMPLETED' : 'PAYMENT.CAPTURE.DENIED',
        'capture',
        captureJson(c, true),
        approved ? `Payment completed for ${format(c.amount).value} ${c.amount.currency}` : 'Payment denied',
      );
    } else {
      const a: AuthorizationState = {
        id: ident(),
        orderId: o.id,
        clientId: o.clientId,
        status: approved ? 'CREATED' : 'DENIED',
        amount: { ...o.amount },
        captured: 0,
        expired: false,
        processor: code ? processorOf(code) : null,
        customId: o.customId,
        invoiceId: o.invoiceId,
        createTime: at,
        updateTime: at,
      };
      authorizations.set(a.id, a);
      o.authorizations.push(a.id);
      if (approved)
        emit(o.clientId, 'PAYMENT.AUTHORIZATION.CREATED', 'authorization', authorizationJson(a, true), `A payment authorization was created for ${format(a.amount).value} ${a.amount.currency}`);
    }
    o.status = 'COMPLETED';
    o.updateTime = at;
    if (approved) emit(o.clientId, 'CHECKOUT.ORDER.COMPLETED', 'checkout-order', orderJson(o), 'Checkout Order Completed');
    return null;
  }

  function createOrder(clientId: string, body: Json, requestId: string | undefined, minimal: boolean): Answer {
    const op = 'orders.create';
    const unit = (body.purchase_units as Json[])[0]!;
    const amount = parseMoney(unit.amount as Json, op);
    if (amount instanceof Answer) return amount;
    const source = (body.payment_source as Json | undefined) ?? {};
    const kind = source.card ? 'card' : source.paypal ? 'paypal' : Object.keys(source).length ? null : 'none';
    if (!kind) return issue(422, op, 'UNSUPPORTED_PAYMENT_INSTRUCTION');
    const context = ((source.card ?? source.paypal) as Json | undefined)?.experience_context as Json | undefined;
    const at = now();
    const o: OrderState = {
      id: ident(),
      clientId,
      intent: body.intent as 'CAPTURE' | 'AUTHORIZE',
      status: 'CREATED',
      source: kind,
      amount,
      referenceId: String(unit.reference_id ?? 'default'),
      customId: (unit.custom_id as string | undefined) ?? null,
      invoiceId: (unit.invoice_id as string | undefined) ?? null,
      returnUrl: (context?.return_url as string | undefined) ?? null,
      cancelUrl: (context?.cancel_url as string | undefined) ?? null,
      card: null,
      payer: null,
      authorizations: [],
      captures: [],
      refunds: [],
      createTime: at,
      updateTime: at,
    };
    if (kind === 'card') {
      const card = source.card as Json;
      if (!requestId) return issue(400, op, 'PAYPAL_REQUEST_ID_REQUIRED');
      if (options.cardClients && !options.cardClients.includes(clientId)) return issue(422, op, 'NOT_ENABLED_FOR_CARD_PROCESSING');
      const number = String(card.number ?? '');
      if (!number || !luhnValid(number)) return issue(422, op, 'PAYMENT_SOURCE_INFO_CANNOT_BE_VERIFIED', '/payment_source/card/number');
      const [year, month] = String(card.expiry ?? '')
        .split('-')
        .map(Number);
      const today = new Date();
      if (!year || !month || year < today.getUTCFullYear() || (year === today.getUTCFullYear() && month < today.getUTCMonth() + 1))
        return issue(422, op, 'CARD_EXPIRED', '/payment_source/card/expiry');
      const threeDs = PAYPAL_3DS_CARDS.has(number) || ((card.attributes as Json | undefined)?.verification as Json | undefined)?.method === 'SCA_ALWAYS';
      o.card = {
        lastDigits: number.slice(-4),
        brand: number.startsWith('4') ? 'VISA' : number.startsWith('3') ? 'AMEX' : 'MASTERCARD',
        name: (card.name as string | undefined) ?? null,
        threeDs,
        authenticationResult: null,
      };
      orders.set(o.id, o);
      if (threeDs) {
        if (!o.returnUrl) return issue(422, op, 'REQUIRED_PARAMETER_FOR_CUSTOMER_INITIATED_PAYMENT');
        o.status = 'PAYER_ACTION_REQUIRED';
        return new Answer(201, orderJson(o, minimal));
      }
      const declined = process(o, op);
      if (declined) {
        orders.delete(o.id);
        return declined;
      }
      return new Answer(201, orderJson(o, minimal));
    }
    orders.set(o.id, o);
    o.status = kind === 'paypal' ? 'PAYER_ACTION_REQUIRED' : 'CREATED';
    return new Answer(201, orderJson(o, minimal));
  }

  function completeOrder(clientId: string, id: string, action: 'capture' | 'authorize', minimal: boolean): Answer {
    const op = action === 'capture' ? 'orders.capture' : 'orders.authorize';
    const o = orders.get(id);
    if (!o || o.clientId !== clientId) return notFound(op);
    if (action === 'capture' && o.intent !== 'CAPTURE') return issue(422, op, 'INCOMPATIBLE_PARAMETER_VALUE');
    if (action === 'authorize' && o.intent !== 'AUTHORIZE') return issue(422, op, 'ACTION_DOES_NOT_MATCH_INTENT');
    if (o.status === 'COMPLETED') return issue(422, op, action === 'capture' ? 'ORDER_ALREADY_CAPTURED' : 'ORDER_ALREADY_AUTHORIZED');
    if (o.status !== 'APPROVED') return issue(422, op, o.status === 'PAYER_ACTION_REQUIRED' && o.source === 'card' ? 'PAYER_ACTION_REQUIRED' : 'ORDER_NOT_APPROVED');
    const declined = process(o, op);
    if (declined) return declined;
    return new Answer(201, orderJson(o, minimal));
  }

  function captureAuthorization(clientId: string, id: string, body: Json): Answer {
    const op = 'authorizations.capture';
    const a = authorizations.get(id);
    if (!a || a.clientId !== clientId) return notFound(op);
    if (a.status === 'VOIDED') return issue(422, op, 'AUTHORIZATION_VOIDED');
    if (a.status === 'DENIED') return issue(422, op, 'AUTHORIZATION_DENIED');
    if (a.expired) return issue(422, op, 'AUTHORIZATION_EXPIRED');
    if (a.status === 'CAPTURED') return issue(422, op, 'AUTHORIZATION_ALREADY_CAPTURED');
    let amount: Amount = { currency: a.amount.currency, units: a.amount.units - a.captured };
    if (body.amount) {
      if ((body.amount as Json).currency_code !== a.amount.currency) return issue(422, op, 'AUTH_CAPTURE_CURRENCY_MISMATCH');
      const parsed = parseMoney(body.amount as Json, op);
      if (parsed instanceof Answer) return parsed;
      amount = parsed;
    }
    // PayPal allows capturing up to 115% of the authorization, and at most 75 currency units more.
    const ceiling = Math.min(Math.floor((a.amount.units * 115) / 100), a.amount.units + 75 * 10 ** decimals(a.amount.currency));
    if (a.captured + amount.units > ceiling) return issue(422, op, 'MAX_CAPTURE_AMOUNT_EXCEEDED');
    const due = takeDecline(op);
    if (due && !isProcessorCode(due)) return issue(422, op, due);
    const at = now();
    const approved = !due;
    const c: CaptureState = {
      id: ident(),
      orderId: a.orderId,
      clientId,
      authorizationId: a.id,
      status: approved ? 'COMPLETED' : 'DECLINED',
      amount,
      refunded: 0,
      finalCapture: body.final_capture === true,
      processor: due ? processorOf(due) : null,
      customId: a.customId,
      invoiceId: (body.invoice_id as string | undefined) ?? a.invoiceId,
      createTime: at,
      updateTime: at,
    };
    captures.set(c.id, c);
    const o = orders.get(a.orderId)!;
    o.captures.push(c.id);
    o.updateTime = at;
    if (approved) {
      a.captured += amount.units;
      a.status = c.finalCapture || a.captured >= a.amount.units ? 'CAPTURED' : 'PARTIALLY_CAPTURED';
      a.updateTime = at;
    }
    emit(
      clientId,
      approved ? 'PAYMENT.CAPTURE.COMPLETED' : 'PAYMENT.CAPTURE.DENIED',
      'capture',
      captureJson(c, true),
      approved ? `Payment completed for ${format(amount).value} ${amount.currency}` : 'Payment denied',
    );
    return new Answer(201, captureJson(c, true));
  }

  function voidAuthorization(clientId: string, id: string, minimal: boolean): Answer {
    const op = 'authorizations.void';
    const a = authorizations.get(id);
    if (!a || a.clientId !== clientId) return notFound(op);
    if (a.status === 'CAPTURED' || a.status === 'PARTIALLY_CAPTURED') return issue(422, op, 'PREVIOUSLY_CAPTURED');
    if (a.status === 'VOIDED') return issue(422, op, 'PREVIOUSLY_VOIDED');
    if (a.status !== 'CREATED' || a.expired) return issue(422, op, 'CANNOT_BE_VOIDED');
    const due = takeDecline(op);
    if (due) return issue(422, op, due);
    a.status = 'VOIDED';
    a.updateTime = now();
    emit(clientId, 'PAYMENT.AUTHORIZATION.VOIDED', 'authorization', authorizationJson(a, true), 'A payment authorization was voided');
    return minimal ? new Answer(204, null) : new Answer(200, authorizationJson(a, true));
  }

  function refundCapture(clientId: string, id: string, body: Json): Answer {
    const op = 'captures.refund';
    const c = captures.get(id);
    if (!c || c.clientId !== clientId) return notFound(op);
    if (c.status === 'REFUNDED') return issue(422, op, 'CAPTURE_FULLY_REFUNDED');
    if (c.status === 'PENDING') return issue(422, op, 'PENDING_CAPTURE');
    if (c.status !== 'COMPLETED' && c.status !== 'PARTIALLY_REFUNDED') return issue(422, op, 'REFUND_NOT_ALLOWED');
    let amount: Amount = { currency: c.amount.currency, units: c.amount.units - c.refunded };
    if (body.amount) {
      if ((body.amount as Json).currency_code !== c.amount.currency) return issue(422, op, 'REFUND_CAPTURE_CURRENCY_MISMATCH');
      const parsed = parseMoney(body.amount as Json, op);
      if (parsed instanceof Answer) return parsed;
      amount = parsed;
    }
    if (amount.units > c.amount.units - c.refunded) return issue(422, op, 'REFUND_AMOUNT_EXCEEDED');
    const due = takeDecline(op);
    if (due) return issue(422, op, due);
    const r: RefundState = { id: ident(), captureId: c.id, orderId: c.orderId, clientId, status: 'COMPLETED', amount, customId: (body.custom_id as string | undefined) ?? null, createTime: now() };
    refunds.set(r.id, r);
    c.refunded += amount.units;
    c.status = c.refunded >= c.amount.units ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    c.updateTime = r.createTime;
    orders.get(c.orderId)!.refunds.push(r.id);
    emit(clientId, 'PAYMENT.CAPTURE.REFUNDED', 'refund', refundJson(r), `A ${format(amount).value} ${amount.currency} capture payment was refunded`);
    return new Answer(201, refundJson(r));
  }

  function verifySignature(text: string, body: Json): Answer {
    const event = rawMember(text, 'webhook_event');
    let verified = false;
    const webhook = webhooks.get(String(body.webhook_id));
    if (event !== null && body.auth_algo === 'SHA256withRSA' && body.cert_url === `${baseUrl}/v1/notifications/certs/${certId}` && webhook) {
      const verifier = createVerify('RSA-SHA256');
      verifier.update(`${String(body.transmission_id)}|${String(body.transmission_time)}|${String(body.webhook_id)}|${crc32(event) >>> 0}`);
      try {
        verified = verifier.verify(keys.publicKey, String(body.transmission_sig), 'base64');
      } catch {
        verified = false;
      }
    }
    return new Answer(200, { verification_status: verified ? 'SUCCESS' : 'FAILURE' });
  }

  function listEvents(clientId: string, query: URLSearchParams): Answer {
    const size = Math.min(Math.max(Number(query.get('page_size') ?? 10) || 10, 1), 300);
    const start = query.get('start_time') ? Date.parse(query.get('start_time')!) : -Infinity;
    const end = query.get('end_time') ? Date.parse(query.get('end_time')!) : Infinity;
    const type = query.get('event_type');
    const offset = Number(query.get('start_index') ?? 0) || 0; // the emulator's own cursor, in its `next` link
    const matching = events.filter((e) => e.clientId === clientId && (!type || e.event_type === type) && Date.parse(e.create_time) >= start && Date.parse(e.create_time) <= end).reverse();
    const page = matching.slice(offset, offset + size).map(({ clientId: _c, ...e }) => e);
    const links: Json[] = [];
    if (offset + size < matching.length) {
      const next = new URLSearchParams(query);
      next.set('start_index', String(offset + size));
      links.push({ href: `${baseUrl}/v1/notifications/webhooks-events?${next.toString()}`, rel: 'next', method: 'GET' });
    }
    return new Answer(200, { events: page, count: page.length, links });
  }

  // ---- browser pages ----

  function page(res: ServerResponse, title: string, body: string): void {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`);
  }
  const redirect = (res: ServerResponse, to: string, params: Record<string, string>) => {
    const url = new URL(to);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    res.writeHead(302, { location: url.toString() }).end();
  };

  const deny = (res: ServerResponse, status: number, text: string): true => {
    res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
    return true;
  };

  function browser(path: string, query: URLSearchParams, res: ServerResponse): boolean {
    const o = orders.get(query.get('token') ?? '');
    if (path === '/checkoutnow' || path === '/checkoutnow/approve' || path === '/checkoutnow/cancel') {
      if (!o || o.source === 'card') return deny(res, 404, 'unknown order');
      if (path === '/checkoutnow') {
        const value = format(o.amount);
        page(
          res,
          'Pay with PayPal (emulator)',
          `<p id="amount">${String(value.value)} ${String(value.currency_code)}</p><p>Order ${o.id} is ${o.status}</p><a id="approve" href="/checkoutnow/approve?token=${o.id}">Pay Now</a> <a id="cancel" href="/checkoutnow/cancel?token=${o.id}">Cancel and return to the merchant</a>`,
        );
        return true;
      }
      if (path === '/checkoutnow/cancel') {
        if (!o.cancelUrl) return deny(res, 400, 'the order has no cancel_url');
        redirect(res, o.cancelUrl, { token: o.id });
        return true;
      }
      if (o.status !== 'PAYER_ACTION_REQUIRED' && o.status !== 'CREATED' && o.status !== 'APPROVED') return deny(res, 409, `the order is ${o.status}`);
      if (!o.payer) o.payer = { payerId: ident(13, PAYER_ALPHABET), email: 'sb-buyer@personal.example.com' };
      if (o.status !== 'APPROVED') {
        o.status = 'APPROVED';
        o.updateTime = now();
        emit(o.clientId, 'CHECKOUT.ORDER.APPROVED', 'checkout-order', orderJson(o), 'An order has been approved by buyer');
      }
      if (!o.returnUrl) return deny(res, 400, 'the order has no return_url');
      redirect(res, o.returnUrl, { token: o.id, PayerID: o.payer.payerId });
      return true;
    }
    if (path === '/webapps/helios' || path === '/webapps/helios/complete') {
      if (o?.source !== 'card' || !o.card) return deny(res, 404, 'unknown order');
      if (path === '/webapps/helios') {
        page(
          res,
          '3-D Secure (emulator)',
          `<p>Card ending ${o.card.lastDigits}</p><a id="pass" href="/webapps/helios/complete?token=${o.id}&result=pass">Authenticate</a> <a id="fail" href="/webapps/helios/complete?token=${o.id}&result=fail">Fail</a> <a id="unknown" href="/webapps/helios/complete?token=${o.id}&result=unknown">Unavailable</a>`,
        );
        return true;
      }
      if (o.status !== 'PAYER_ACTION_REQUIRED') return deny(res, 409, `the order is ${o.status}`);
      const result = query.get('result');
      o.card.authenticationResult =
        result === 'fail'
          ? { liability_shift: 'NO', three_d_secure: { enrollment_status: 'Y', authentication_status: 'N' } }
          : result === 'unknown'
            ? { liability_shift: 'UNKNOWN', three_d_secure: { enrollment_status: 'U' } }
            : { liability_shift: 'POSSIBLE', three_d_secure: { enrollment_status: 'Y', authentication_status: 'Y' } };
      o.status = 'APPROVED';
      o.updateTime = now();
      emit(o.clientId, 'CHECKOUT.ORDER.APPROVED', 'checkout-order', orderJson(o), 'An order has been approved by buyer');
      redirect(res, o.returnUrl!, { token: o.id });
      return true;
    }
    return false;
  }

  // ---- HTTP ----

  function bearer(req: IncomingMessage): string | null {
    const m = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''));
    const token = m ? tokens.get(m[1]!) : undefined;
    return token && token.expiresAt > Date.now() ? token.clientId : null;
  }

  function tokenEndpoint(req: IncomingMessage, raw: string, res: ServerResponse): void {
    // RFC 6749 §4.4.2 (client credentials grant) and §2.3.1 (HTTP Basic client authentication).
    const problems: string[] = [];
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) problems.push('content-type must be application/x-www-form-urlencoded');
    const grant = new URLSearchParams(raw).get('grant_type');
    if (grant !== 'client_credentials') problems.push('grant_type must be client_credentials');
    const basic = /^Basic (\S+)$/.exec(String(req.headers.authorization ?? ''));
    const decoded = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon <= 0) problems.push('Authorization must be Basic base64(client_id:client_secret)');
    for (const reason of problems) violations.push({ operationId: 'oauth2.token', path: '/v1/oauth2/token', reason });
    if (problems.length && colon > 0 && grant !== 'client_credentials')
      return void res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unsupported_grant_type', error_description: 'Grant Type is NULL' }));
    const clientId = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    if (colon <= 0 || (options.clients ? options.clients[clientId] !== secret : !secret)) {
      return void res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client', error_description: 'Client Authentication failed' }));
    }
    const token = `A21AA${randomBytes(48).toString('base64url')}`;
    tokens.set(token, { clientId, expiresAt: Date.now() + ttl * 1000 });
    tokenCount.set(clientId, (tokenCount.get(clientId) ?? 0) + 1);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        scope: 'https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/payments/refund https://uri.paypal.com/services/applications/webhooks',
        access_token: token,
        token_type: 'Bearer',
        app_id: `APP-${ident(17)}`,
        expires_in: ttl,
        nonce: `${now()}${randomBytes(16).toString('base64url')}`,
      }),
    );
  }

  /** A contract violation of a request, as PayPal answers it (400 INVALID_REQUEST with the closest documented issue). */
  function violation(operationId: string, path: string, problem: { path: string; reason: string }): Answer {
    violations.push({ operationId, path, reason: `${problem.path} ${problem.reason}` });
    const guess = /required/.test(problem.reason)
      ? 'MISSING_REQUIRED_PARAMETER'
      : /pattern|format/.test(problem.reason)
        ? 'INVALID_PARAMETER_SYNTAX'
        : /fewer|more than/.test(problem.reason)
          ? 'INVALID_STRING_LENGTH'
          : 'INVALID_PARAMETER_VALUE';
    const documentedIssues = documentedIssueDescriptions(operationId, 400);
    const code =
      documentedIssues.size === 0 || documentedIssues.has(guess)
        ? guess
        : ([...documentedIssues.keys()].find((k) => k.startsWith('INVALID_PARAMETER') || k === 'MISSING_REQUIRED_PARAMETER') ?? [...documentedIssues.keys()][0]!);
    const answer = issue(400, operationId, code);
    (answer.body!.details as Json[])[0]!.field = problem.path;
    return answer;
  }

  function route(
    clientId: string,
    method: string,
    path: string,
    query: URLSearchParams,
    text: string,
    body: Json | null,
    requestId: string | undefined,
    minimal: boolean,
  ): { answer: Answer; operationId: string | null } {
    const found = operationFor(method, path);
    if (!found) return { answer: new Answer(404, null), operationId: null };
    const { operationId, params } = found;
    if (method === 'POST') {
      const problem = requestViolation(operationId, body ?? {});
      if (problem) return { answer: violation(operationId, path, problem), operationId };
    }
    const b = body ?? {};
    switch (operationId) {
      case 'orders.create':
        return { answer: createOrder(clientId, b, requestId, minimal), operationId };
      case 'orders.get': {
        const o = orders.get(params.id!);
        return { answer: o && o.clientId === clientId ? new Answer(200, orderJson(o)) : notFound(operationId), operationId };
      }
      case 'orders.capture':
        return { answer: completeOrder(clientId, params.id!, 'capture', minimal), operationId };
      case 'orders.authorize':
        return { answer: completeOrder(clientId, params.id!, 'authorize', minimal), operationId };
      case 'authorizations.get': {
        const a = authorizations.get(params.authorization_id!);
        return { answer: a && a.clientId === clientId ? new Answer(200, authorizationJson(a, true)) : notFound(operationId), operationId };
      }
      case 'authorizations.capture':
        return { answer: captureAuthorization(clientId, params.authorization_id!, b), operationId };
      case 'authorizations.void':
        return { answer: voidAuthorization(clientId, params.authorization_id!, minimal), operationId };
      case 'captures.get': {
        const c = captures.get(params.capture_id!);
        return { answer: c && c.clientId === clientId ? new Answer(200, captureJson(c, true)) : notFound(operationId), operationId };
      }
      case 'captures.refund':
        return { answer: refundCapture(clientId, params.capture_id!, b), operationId };
      case 'refunds.get': {
        const r = refunds.get(params.refund_id!);
        return { answer: r && r.clientId === clientId ? new Answer(200, refundJson(r)) : notFound(operationId), operationId };
      }
      case 'verify-webhook-signature.post':
        return { answer: verifySignature(text, b), operationId };
      case 'webhooks-events.list':
        return { answer: listEvents(clientId, query), operationId };
      case 'webhooks.post': {
        const id = register(
          clientId,
          String(b.url),
          ((b.event_types as Json[] | undefined) ?? []).map((t) => String(t.name)),
        );
        return { answer: new Answer(201, webhookJson(id)), operationId };
      }
      case 'webhooks.list':
        return { answer: new Answer(200, { webhooks: [...webhooks.keys()].filter((id) => webhooks.get(id)!.clientId === clientId).map(webhookJson) }), operationId };
      default:
        return { answer: new Answer(404, null), operationId };
    }
  }

  function webhookJson(id: string): Json {
    const w = webhooks.get(id)!;
    return { id, url: w.url, event_types: w.eventTypes.map((name) => ({ name })), links: [{ href: `${baseUrl}/v1/notifications/webhooks/${id}`, rel: 'self', method: 'GET' }] };
  }

  function register(clientId: string, url: string, eventTypes: readonly string[] = ['*']): string {
    const id = ident(17);
    webhooks.set(id, { clientId, url, eventTypes: [...eventTypes] });
    return id;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET' && browser(path, url.searchParams, res)) return;
    if (method === 'GET' && path === `/v1/notifications/certs/${certId}`) return void res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(pems.cert);
    let body: Json | null = null;
    let malformed = false;
    if (raw && path !== '/v1/oauth2/token') {
      try {
        body = JSON.parse(raw) as Json;
      } catch {
        malformed = true;
      }
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
    const found = operationFor(method, path);
    requests.push({ method, path: `${path}${url.search}`, headers, body, operationId: path === '/v1/oauth2/token' ? 'oauth2.token' : (found?.operationId ?? null) });
    const failure = faults.takeFailure(path);
    if (failure !== null) {
      const names = ERROR_NAMES[failure] ?? ERROR_NAMES[500]!;
      return void res.writeHead(failure, { 'content-type': 'application/json' }).end(JSON.stringify({ name: names.name, message: names.message, debug_id: debugId() }));
    }
    if (method === 'POST' && path === '/v1/oauth2/token') return tokenEndpoint(req, raw, res);
    const clientId = bearer(req);
    if (!clientId) {
      const names = ERROR_NAMES[401]!;
      return void res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ name: names.name, message: names.message, debug_id: debugId(), links: [{ href: 'https://developer.paypal.com/docs/api/overview/#error', rel: 'information_link' }] }));
    }
    const requestId = method === 'POST' && typeof req.headers['paypal-request-id'] === 'string' ? req.headers['paypal-request-id'] : undefined;
    const key = requestId ? `${clientId}\u0000${path}\u0000${requestId}` : null;
    const stored = key ? idempotency.get(key) : undefined;
    let status: number;
    let text: string;
    if (stored) {
      // PayPal replays the first answer for a PayPal-Request-Id it has seen: 200 instead of 201.
      ({ status, text } = { status: stored.status === 201 ? 200 : stored.status, text: stored.text });
    } else {
      let answer: Answer;
      let operationId: string | null = found?.operationId ?? null;
      if (malformed) answer = operationId ? violation(operationId, path, { path: '/', reason: 'is not JSON' }) : new Answer(400, null);
      else ({ answer, operationId } = route(clientId, method, path, url.searchParams, raw, body, requestId, String(req.headers.prefer ?? '') === 'return=minimal'));
      if (operationId && answer.body) {
        const problem = responseViolation(operationId, answer.status, answer.body);
        if (problem) throw new Error(`emulator answer violates ${operationId} ${answer.status}: ${problem.path} ${problem.reason}`);
      }
      status = answer.status;
      text = answer.body ? JSON.stringify(answer.body) : '';
      if (key && status < 500) idempotency.set(key, { status, text });
    }
    await faults.stall(path);
    res.writeHead(status, { ...(text ? { 'content-type': 'application/json' } : {}), 'paypal-debug-id': debugId() });
    res.end(text);
  }

  // Compile the schemas before the first request (the orders document is large).
  const OPERATIONS: Array<[string, number[]]> = [
    ['orders.create', [200, 201, 400, 401, 422]],
    ['orders.get', [200, 401, 404]],
    ['orders.capture', [200, 201, 400, 401, 403, 404, 422]],
    ['orders.authorize', [200, 201, 400, 401, 403, 404, 422]],
    ['authorizations.get', [200, 404]],
    ['authorizations.capture', [200, 201, 400, 404, 422]],
    ['authorizations.void', [200, 404, 422]],
    ['captures.get', [200, 404]],
    ['captures.refund', [200, 201, 400, 404, 422]],
    ['refunds.get', [200]],
    ['verify-webhook-signature.post', [200]],
    ['webhooks-events.list', [200]],
    ['webhooks.post', [201]],
  ];
  for (const [operationId, statuses] of OPERATIONS) {
    requestViolation(operationId, {});
    for (const status of statuses) responseViolation(operationId, status, {});
  }

  const server = await serveEmulator(handle, { port: options.port, host: options.host });
  baseUrl = server.origin;

  return {
    url: baseUrl,
    port: server.port,
    requests,
    violations,
    events,
    order: (id) => orders.get(id),
    authorization: (id) => authorizations.get(id),
    capture: (id) => captures.get(id),
    chargeCount: () =>
      [...orders.values()].filter((o) => o.captures.some((id) => captures.get(id)!.status !== 'DECLINED') || o.authorizations.some((id) => authorizations.get(id)!.status !== 'DENIED')).length,
    tokenCalls: (clientId) => (clientId ? (tokenCount.get(clientId) ?? 0) : [...tokenCount.values()].reduce((a, b) => a + b, 0)),
    expireTokens: () => {
      for (const token of tokens.values()) token.expiresAt = 0;
    },
    declineNext: (code, on) => {
      decline = code === null ? null : { code, ...(on ? { on } : {}) };
    },
    stallNext: faults.stallNext,
    failNext: faults.failNext,
    registerWebhook: (clientId, url, eventTypes) => register(clientId, url, eventTypes),
    setWebhookUrl: (webhookId, url) => {
      const webhook = webhooks.get(webhookId);
      if (!webhook) throw new Error(`no webhook ${webhookId}`);
      webhook.url = url;
    },
    signedEvent: (event, webhookId) => {
      const { clientId: _c, ...published } = event as PayPalWebhookEvent & { clientId?: string };
      return signedEvent(published, webhookId);
    },
    webhookIdOf: (clientId) => [...webhooks].find(([, w]) => w.clientId === clientId)?.[0],
    certificatePem: pems.cert,
    certUrl: `${baseUrl}/v1/notifications/certs/${certId}`,
    down: server.down,
    up: server.up,
    close: server.down,
  };
}
