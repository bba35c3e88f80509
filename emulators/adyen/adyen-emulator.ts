// A local, stateful stand-in for Adyen's Checkout API (v71; the official Node library's v72 paths
// are served too), for tests and the offline demo. Every request body is validated against its
// path's schema in Adyen's published OpenAPI document (./contract) and every answer against the
// response schema of its status, so the emulator cannot drift from the contract. It keeps each
// payment's state, honours Idempotency-Key, answers modifications with `received` and reports
// their result by a signed notification (HMAC-SHA256 as Adyen signs), and can be told to refuse
// with any refusal code, stall, fail with 5xx or go down.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFaults, serveEmulator } from '../kit.ts';
import { luhnValid } from '../../src/core/cards.ts';
import { adyenSchema, adyenViolation } from './contract.ts';
import { signAdyenItem, type AdyenNotificationItem } from '../../src/connectors/adyen/webhooks.ts';
import { ADYEN_STATUS_TABLE } from '../../src/connectors/adyen/status-table.ts';

type Json = Record<string, unknown>;

export interface AdyenEmulatorOptions {
  port?: number;
  host?: string;
  /** Accepted X-API-Key values (any key when absent). */
  apiKeys?: readonly string[];
  /** API keys allowed to send raw card numbers (all when absent). */
  rawCardKeys?: readonly string[];
  /** Serve HTTPS with this certificate (Adyen's official library speaks only HTTPS). */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

interface PaymentState {
  psp: string;
  apiKey: string;
  merchantAccount: string;
  reference: string;
  amount: { value: number; currency: string };
  manual: boolean;
  status: 'RedirectShopper' | 'Authorised' | 'Refused' | 'Cancelled';
  captured: number;
  refunded: number;
  cancelled: boolean;
  returnUrl: string;
  redirectResult: string | null;
  refusal: { code: string; reason: string } | null;
}

/** Adyen's test card numbers (https://docs.adyen.com/development-resources/testing/test-card-numbers); 3-D Secure 2 for the last. */
export const ADYEN_TEST_CARDS: Record<string, { threeDs?: boolean }> = {
  '4111111145551142': {},
  '5555341244441115': {},
  '370000000000002': {},
  '4111111111111111': {},
  '5555555555554444': {},
  '4917610000000000': { threeDs: true },
};

const REFUSAL_TEXT = Object.fromEntries(
  Object.entries(ADYEN_STATUS_TABLE)
    .filter(([code]) => /^\d+$/.test(code))
    .map(([code, entry]) => [entry.message.toLowerCase(), code]),
);

const psp = () => {
  let out = '';
  for (const byte of randomBytes(16)) out += String(byte % 10);
  return out.replace(/^0/, '9');
};

export interface AdyenEmulator {
  url: string;
  port: number;
  requests: Array<{ method: string; path: string; headers: Record<string, string>; body: Json }>;
  /** Every notification item sent (unsigned), newest last. */
  notifications: AdyenNotificationItem[];
  payment(psp: string): PaymentState | undefined;
  chargeCount(): number;
  declineNext(refusalReasonCode: string | null): void;
  stallNext(ms: number, count?: number, path?: string): void;
  failNext(status: number, count?: number, path?: string): void;
  /** Sends notifications for this merchant account to Junction (or anything), signed with the hex HMAC key. */
  addWebhookEndpoint(merchantAccount: string, url: string, hmacKey: string): void;
  /** A notification call as Adyen sends it, signed with this key. */
  signedNotification(item: AdyenNotificationItem, hmacKey: string): { headers: Record<string, string>; rawBody: string };
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startAdyenEmulator(options: AdyenEmulatorOptions = {}): Promise<AdyenEmulator> {
  const payments = new Map<string, PaymentState>();
  const byRedirect = new Map<string, string>();
  const idempotency = new Map<string, { fingerprint: string; status: number; body: string }>();
  const requests: AdyenEmulator['requests'] = [];
  const notifications: AdyenNotificationItem[] = [];
  const endpoints = new Map<string, Array<{ url: string; hmacKey: string }>>();
  let declineNext: string | null = null;
  const faults = createFaults();
  let baseUrl = '';

  const serviceError = (status: number, errorCode: string, message: string, errorType: string) => ({ status, body: { status, errorCode, message, errorType } as Json });

  function signedNotification(item: AdyenNotificationItem, hmacKey: string): { headers: Record<string, string>; rawBody: string } {
    const signed = { ...item, additionalData: { ...(item.additionalData ?? {}), hmacSignature: signAdyenItem(item, hmacKey) } };
    return { headers: { 'content-type': 'application/json' }, rawBody: JSON.stringify({ live: 'false', notificationItems: [{ NotificationRequestItem: signed }] }) };
  }

  function notify(item: AdyenNotificationItem): void {
    notifications.push(item);
    for (const endpoint of endpoints.get(item.merchantAccountCode) ?? []) {
      const { headers, rawBody } = signedNotification(item, endpoint.hmacKey);
      // Adyen delivers after answering the API call; a failed delivery is retried by Adyen for days, here not at all.
      setTimeout(() => void fetch(endpoint.url, { method: 'POST', headers, body: rawBody }).catch(() => undefined), 5);
    }
  }

  function paymentResponse(state: PaymentState): Json {
    const body: Json = { pspReference: state.psp, resultCode: state.status, merchantReference: state.reference, amount: state.amount };
    if (state.status === 'RedirectShopper') body.action = { type: 'redirect', method: 'GET', paymentMethodType: 'scheme', url: `${baseUrl}/__emulator/3ds/${state.psp}` };
    if (state.refusal) Object.assign(body, { refusalReason: state.refusal.reason, refusalReasonCode: state.refusal.code });
    return body;
  }

  function authorise(state: PaymentState): void {
    state.status = 'Authorised';
    if (!state.manual) state.captured = state.amount.value; // Adyen captures automatic payments itself
  }

  function refuse(state: PaymentState, code: string): void {
    state.status = 'Refused';
    state.refusal = { code, reason: ADYEN_STATUS_TABLE[code]?.message ?? 'Refused' };
  }

  function createPayment(apiKey: string, body: Json): { status: number; body: Json } {
    const method = body.paymentMethod as Json;
    let number: string;
    if (typeof method.encryptedCardNumber === 'string') {
      // Adyen's test environment takes unencrypted test values written as "test_<value>".
      if (!method.encryptedCardNumber.startsWith('test_')) return serviceError(422, '174', 'Unable to decrypt data', 'validation');
      number = method.encryptedCardNumber.slice(5);
    } else if (typeof method.number === 'string') {
      if (options.rawCardKeys && !options.rawCardKeys.includes(apiKey)) return serviceError(403, '010', 'Not allowed to process raw card data', 'security');
      number = method.number;
    } else {
      return serviceError(422, '000', 'This emulator takes scheme (card) payments only', 'validation');
    }
    const state: PaymentState = {
      psp: psp(),
      apiKey,
      merchantAccount: String(body.merchantAccount),
      reference: String(body.reference),
      amount: body.amount as PaymentState['amount'],
      manual: (body.additionalData as Json | undefined)?.manualCapture === 'true',
      status: 'Refused',
      captured: 0,
      refunded: 0,
      cancelled: false,
      returnUrl: String(body.returnUrl),
      redirectResult: null,
      refusal: null,
    };
    payments.set(state.psp, state);
    const holder = typeof method.holderName === 'string' ? REFUSAL_TEXT[method.holderName.toLowerCase()] : undefined;
    if (!/^\d{12,19}$/.test(number) || !luhnValid(number)) refuse(state, '8');
    else if (declineNext) {
      refuse(state, declineNext);
      declineNext = null;
    } else if (holder) refuse(state, holder);
    else if (ADYEN_TEST_CARDS[number]?.threeDs || (body.authenticationData as Json | undefined)?.attemptAuthentication === 'always') {
      state.status = 'RedirectShopper';
      state.redirectResult = randomBytes(18).toString('base64url');
      byRedirect.set(state.redirectResult, state.psp);
    } else authorise(state);
    if (state.status !== 'RedirectShopper') notify(authorisationItem(state));
    return { status: 200, body: paymentResponse(state) };
  }

  function authorisationItem(state: PaymentState): AdyenNotificationItem {
    return {
      amount: state.amount,
      eventCode: 'AUTHORISATION',
      eventDate: new Date().toISOString(),
      merchantAccountCode: state.merchantAccount,
      merchantReference: state.reference,
      pspReference: state.psp,
      reason: state.refusal?.reason ?? '',
      success: state.status === 'Authorised' ? 'true' : 'false',
      paymentMethod: 'visa',
      additionalData: {},
    };
  }

  function details(body: Json): { status: number; body: Json } {
    const redirectResult = (body.details as Json | undefined)?.redirectResult;
    const pspRef = typeof redirectResult === 'string' ? byRedirect.get(redirectResult.split('.')[0]!) : undefined;
    const state = pspRef ? payments.get(pspRef) : undefined;
    if (!state) return serviceError(422, '101', 'Invalid redirectResult', 'validation');
    return { status: 200, body: paymentResponse(state) };
  }

  function modification(apiKey: string, pspRef: string, kind: 'captures' | 'cancels' | 'refunds', body: Json): { status: number; body: Json } {
    const state = payments.get(pspRef);
    if (!state || state.apiKey !== apiKey) return serviceError(422, '167', 'Original pspReference required for this operation', 'validation');
    const reference = psp();
    const amount = (body.amount as PaymentState['amount'] | undefined) ?? state.amount;
    // The result is decided now and reported by webhook, as Adyen does after answering "received".
    let success = false;
    let reason = '';
    if (kind === 'captures') {
      success = state.status === 'Authorised' && state.manual && !state.cancelled && state.captured === 0 && amount.value <= state.amount.value && amount.currency === state.amount.currency;
      reason = success
        ? ''
        : state.captured > 0
          ? 'Payment already captured'
          : state.cancelled
            ? 'Payment cancelled'
            : amount.value > state.amount.value
              ? 'Insufficient balance on payment'
              : 'Payment not authorised for manual capture';
      if (success) state.captured = amount.value;
    } else if (kind === 'cancels') {
      success = state.status === 'Authorised' && state.captured === 0 && !state.cancelled;
      reason = success ? '' : state.captured > 0 ? 'Payment already captured' : 'Payment cannot be cancelled';
      if (success) state.cancelled = true;
    } else {
      success = state.captured > 0 && amount.value <= state.captured - state.refunded && amount.currency === state.amount.currency;
      reason = success ? '' : state.captured === 0 ? 'Payment not captured' : 'Insufficient balance on payment';
      if (success) state.refunded += amount.value;
    }
    const eventCode = kind === 'captures' ? 'CAPTURE' : kind === 'cancels' ? 'CANCELLATION' : 'REFUND';
    const modificationReference = typeof body.reference === 'string' ? body.reference : state.reference;
    setTimeout(
      () =>
        notify({
          amount,
          eventCode,
          eventDate: new Date().toISOString(),
          merchantAccountCode: state.merchantAccount,
          merchantReference: modificationReference,
          originalReference: state.psp,
          pspReference: reference,
          reason,
          success: success ? 'true' : 'false',
          additionalData: {},
        }),
      1,
    );
    return {
      status: 201,
      body: {
        merchantAccount: state.merchantAccount,
        paymentPspReference: state.psp,
        pspReference: reference,
        status: 'received',
        ...(kind !== 'cancels' ? { amount } : {}),
        ...(typeof body.reference === 'string' ? { reference: body.reference } : {}),
      },
    };
  }

  const REQUEST_SCHEMA: Record<string, string> = {
    payments: 'PaymentRequest',
    details: 'PaymentDetailsRequest',
    captures: 'PaymentCaptureRequest',
    cancels: 'PaymentCancelRequest',
    refunds: 'PaymentRefundRequest',
  };
  const RESPONSE_SCHEMA: Record<string, string> = {
    payments: 'PaymentResponse',
    details: 'PaymentDetailsResponse',
    captures: 'PaymentCaptureResponse',
    cancels: 'PaymentCancelResponse',
    refunds: 'PaymentRefundResponse',
  };

  function route(path: string, apiKey: string, body: Json): { status: number; body: Json; kind: string } {
    let m: RegExpExecArray | null;
    let kind: string;
    let answer: { status: number; body: Json };
    if (/^\/v7[12]\/payments$/.test(path)) kind = 'payments';
    else if (/^\/v7[12]\/payments\/details$/.test(path)) kind = 'details';
    else if ((m = /^\/v7[12]\/payments\/([^/]+)\/(captures|cancels|refunds)$/.exec(path))) kind = m[2]!;
    else return { ...serviceError(404, '000', `Unknown endpoint ${path}`, 'validation'), kind: 'none' };
    const violation = adyenViolation(REQUEST_SCHEMA[kind]!, body);
    if (violation)
      return { ...serviceError(422, '702', `Structure of ${REQUEST_SCHEMA[kind]} contains the following unknown fields or violations: ${violation.path} ${violation.reason}`, 'validation'), kind };
    if (kind === 'payments') answer = createPayment(apiKey, body);
    else if (kind === 'details') answer = details(body);
    else answer = modification(apiKey, decodeURIComponent(/^\/v7[12]\/payments\/([^/]+)/.exec(path)![1]!), kind as 'captures', body);
    return { ...answer, kind };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    const send = (status: number, body: Json | string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': typeof body === 'string' && status >= 300 && status < 400 ? 'text/plain' : 'application/json', pspreference: psp(), ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (path.startsWith('/__emulator/3ds/')) {
      const state = payments.get(path.slice('/__emulator/3ds/'.length));
      if (state?.status !== 'RedirectShopper' || !state.redirectResult) return void res.writeHead(404).end('unknown or finished authentication');
      if (url.searchParams.get('fail') === '1') refuse(state, '11');
      else authorise(state);
      notify(authorisationItem(state));
      const back = new URL(state.returnUrl);
      back.searchParams.set('redirectResult', `${state.redirectResult}.${randomBytes(4).toString('hex')}`);
      return void res.writeHead(302, { location: back.toString() }).end();
    }
    if (req.method !== 'POST') return send(405, { status: 405, errorCode: '000', message: 'Method not allowed', errorType: 'validation' });
    let body: Json;
    try {
      body = JSON.parse(raw || '{}') as Json;
    } catch {
      return send(400, { status: 400, errorCode: '702', message: 'Unexpected input: the body is not JSON', errorType: 'validation' });
    }
    requests.push({ method: req.method ?? 'POST', path, headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')])), body });
    const failure = faults.takeFailure(path);
    if (failure !== null) return send(failure, { status: failure, errorCode: '905', message: 'Payment details are not supported', errorType: 'internal' });
    const apiKey = typeof req.headers['x-api-key'] === 'string' ? req.headers['x-api-key'] : '';
    if (!apiKey || (options.apiKeys && !options.apiKeys.includes(apiKey))) return send(401, { status: 401, errorCode: '000', message: 'HTTP Status Response - Unauthorized', errorType: 'security' });
    const key = typeof req.headers['idempotency-key'] === 'string' ? `${apiKey}\u0000${req.headers['idempotency-key']}` : null;
    const fingerprint = createHash('sha256').update(`${path}\n${raw}`).digest('hex');
    let status: number;
    let text: string;
    const stored = key ? idempotency.get(key) : undefined;
    if (stored && stored.fingerprint === fingerprint) ({ status, text } = { status: stored.status, text: stored.body });
    else if (stored)
      ({ status, text } = { status: 422, text: JSON.stringify({ status: 422, errorCode: '704', message: 'Idempotency key already used with a different request', errorType: 'validation' }) });
    else {
      const answer = route(path, apiKey, body);
      // The emulator never answers off the contract: a 2xx body must match its response schema.
      if (answer.status < 300 && RESPONSE_SCHEMA[answer.kind]) {
        const problem = adyenViolation(RESPONSE_SCHEMA[answer.kind]!, answer.body);
        if (problem) throw new Error(`emulator answer violates ${RESPONSE_SCHEMA[answer.kind]}: ${problem.path} ${problem.reason}`);
      } else if (answer.status >= 400) {
        const problem = adyenViolation('ServiceError', answer.body);
        if (problem) throw new Error(`emulator error violates ServiceError: ${problem.path} ${problem.reason}`);
      }
      status = answer.status;
      text = JSON.stringify(answer.body);
      if (key && status < 500) idempotency.set(key, { fingerprint, status, body: text });
    }
    await faults.stall(path);
    res.writeHead(status, { 'content-type': 'application/json', ...(key ? { 'idempotency-key': String(req.headers['idempotency-key']) } : {}) });
    res.end(text);
  }

  // Compile the contract's schemas before the first request (compiling PaymentRequest takes a while).
  for (const name of [...Object.values(REQUEST_SCHEMA), ...Object.values(RESPONSE_SCHEMA), 'ServiceError']) adyenSchema(name);

  const server = await serveEmulator(handle, { port: options.port, host: options.host, tls: options.tls });
  baseUrl = server.origin;

  return {
    url: `${baseUrl}/v71`,
    port: server.port,
    requests,
    notifications,
    payment: (id) => payments.get(id),
    chargeCount: () => [...payments.values()].filter((p) => p.status === 'Authorised').length,
    declineNext: (code) => {
      declineNext = code;
    },
    stallNext: faults.stallNext,
    failNext: faults.failNext,
    addWebhookEndpoint: (merchantAccount, url, hmacKey) => {
      endpoints.set(merchantAccount, [...(endpoints.get(merchantAccount) ?? []), { url, hmacKey }]);
    },
    signedNotification,
    down: server.down,
    up: server.up,
    close: server.down,
  };
}
