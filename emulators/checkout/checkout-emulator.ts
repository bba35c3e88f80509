// A local, stateful stand-in for Checkout.com's Payments API, for tests and the offline demo. Every
// request body is validated against Checkout.com's published schemas (./contract.ts; the card or
// token source against its own schema, chosen by `type`), and every 2xx answer against its response
// schema. It keeps payments with their balances, honours Cko-Idempotency-Key, answers captures,
// voids and refunds 202 Accepted and reports their result by a signed webhook (Cko-Signature), and
// can be told to decline with any response code, stall, fail with 5xx or go down.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFaults, serveEmulator } from '../kit.ts';
import { luhnValid } from '../../src/core/cards.ts';
import { checkoutSchema, checkoutViolation } from './contract.ts';

type Json = Record<string, unknown>;

export interface CheckoutEmulatorOptions {
  port?: number;
  host?: string;
  /** Accepted secret keys (any sk_ key when absent). */
  secretKeys?: readonly string[];
  /** Secret keys allowed to send full card details (all when absent). */
  rawCardKeys?: readonly string[];
}

interface PaymentState {
  id: string;
  key: string;
  amount: number;
  currency: string;
  reference: string;
  status: string;
  approved: boolean;
  responseCode: string;
  responseSummary: string;
  manual: boolean;
  captured: number;
  refunded: number;
  voided: boolean;
  metadata: Json;
  successUrl: string;
  failureUrl: string;
  threeDsPending: boolean;
  requestedOn: string;
}

export interface CheckoutWebhookEvent {
  id: string;
  type: string;
  created_on: string;
  data: Json;
}

/** Test cards (https://www.checkout.com/docs/developer-resources/testing/test-cards); the last asks for 3-D Secure. */
export const CHECKOUT_TEST_CARDS: Record<string, { threeDs?: boolean }> = {
  '4242424242424242': {},
  '5436031030606378': {},
  '345678901234564': {},
  '4485040371536584': { threeDs: true },
};

const RESPONSE_TEXT: Record<string, string> = {
  '10000': 'Approved',
  '20005': 'Declined - Do not honour',
  '20051': 'Insufficient Funds',
  '20054': 'Expired Card',
  '20059': 'Suspected Fraud',
  '20082': 'Incorrect CVV',
  '20091': 'Issuer Unavailable',
  '20151': 'Cardholder failed 3DS authentication',
  '30041': 'Lost Card - Pick Up',
  '30043': 'Stolen Card - Pick Up',
  '40101': 'Risk Blocked Transaction',
};

const ident = (prefix: string) =>
  `${prefix}_${randomBytes(20)
    .toString('base64')
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .padEnd(26, 'x')
    .slice(0, 26)}`;

export interface CheckoutEmulator {
  url: string;
  port: number;
  requests: Array<{ method: string; path: string; headers: Record<string, string>; body: Json | null }>;
  /** Every webhook event produced, newest last. */
  events: CheckoutWebhookEvent[];
  payment(id: string): PaymentState | undefined;
  chargeCount(): number;
  declineNext(responseCode: string | null): void;
  stallNext(ms: number, count?: number, path?: string): void;
  failNext(status: number, count?: number, path?: string): void;
  addWebhookEndpoint(secretKey: string, url: string, signatureKey: string): void;
  signedEvent(event: CheckoutWebhookEvent, signatureKey: string): { headers: Record<string, string>; rawBody: string };
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startCheckoutEmulator(options: CheckoutEmulatorOptions = {}): Promise<CheckoutEmulator> {
  const payments = new Map<string, PaymentState>();
  const idempotency = new Map<string, { fingerprint: string; status: number; body: string }>();
  const requests: CheckoutEmulator['requests'] = [];
  const events: CheckoutWebhookEvent[] = [];
  const endpoints = new Map<string, Array<{ url: string; signatureKey: string }>>();
  let declineNext: string | null = null;
  const faults = createFaults();
  let baseUrl = '';

  const now = () => new Date().toISOString();
  const links = (p: PaymentState): Json => ({
    self: { href: `${baseUrl}/payments/${p.id}` },
    actions: { href: `${baseUrl}/payments/${p.id}/actions` },
    ...(p.threeDsPending ? { redirect: { href: `${baseUrl}/__emulator/3ds/${p.id}` } } : {}),
    ...(p.status === 'Authorized' ? { capture: { href: `${baseUrl}/payments/${p.id}/captures` }, void: { href: `${baseUrl}/payments/${p.id}/voids` } } : {}),
  });

  function signedEvent(event: CheckoutWebhookEvent, signatureKey: string): { headers: Record<string, string>; rawBody: string } {
    const rawBody = JSON.stringify(event);
    return { headers: { 'content-type': 'application/json', 'cko-signature': createHmac('sha256', signatureKey).update(rawBody).digest('hex') }, rawBody };
  }

  function emit(p: PaymentState, type: string, extra: Json = {}): void {
    const event: CheckoutWebhookEvent = {
      id: ident('evt'),
      type,
      created_on: now(),
      data: {
        id: p.id,
        amount: p.amount,
        currency: p.currency,
        reference: p.reference,
        response_code: p.responseCode,
        response_summary: p.responseSummary,
        metadata: p.metadata,
        processed_on: now(),
        ...extra,
      },
    };
    events.push(event);
    for (const endpoint of endpoints.get(p.key) ?? []) {
      const { headers, rawBody } = signedEvent(event, endpoint.signatureKey);
      setTimeout(() => void fetch(endpoint.url, { method: 'POST', headers, body: rawBody }).catch(() => undefined), 5);
    }
  }

  function paymentResponse(p: PaymentState): Json {
    if (p.threeDsPending) return { id: p.id, status: 'Pending', reference: p.reference, '3ds': { downgraded: false, enrolled: 'Y' }, _links: links(p) };
    // The answer to the request: Authorized (or Declined), whatever the automatic capture did since.
    return {
      id: p.id,
      action_id: ident('act'),
      amount: p.amount,
      currency: p.currency,
      approved: p.approved,
      status: p.approved ? 'Authorized' : 'Declined',
      response_code: p.responseCode,
      response_summary: p.responseSummary,
      reference: p.reference,
      processed_on: now(),
      ...(p.approved ? { auth_code: '643381' } : {}),
      _links: links(p),
    };
  }

  function details(p: PaymentState): Json {
    return {
      id: p.id,
      requested_on: p.requestedOn,
      amount: p.amount,
      currency: p.currency,
      status: p.threeDsPending ? 'Pending' : p.status,
      approved: p.approved,
      reference: p.reference,
      metadata: p.metadata,
      ...(p.threeDsPending ? {} : { response_code: p.responseCode, response_summary: p.responseSummary }),
      // No `balances`: the 2021 description requires an `id` in PaymentResponseBalances that the API does not send.
      _links: links(p),
    };
  }

  function decide(p: PaymentState, code: string): void {
    p.responseCode = code;
    p.responseSummary = RESPONSE_TEXT[code] ?? (code.startsWith('10') ? 'Approved' : 'Declined');
    p.approved = code.startsWith('10');
    if (!p.approved) {
      p.status = 'Declined';
      return;
    }
    // Checkout.com answers Authorized and captures an automatic payment itself; its capture event follows.
    p.status = 'Authorized';
    if (!p.manual) {
      p.captured = p.amount;
      p.status = 'Captured';
      setTimeout(() => emit(p, 'payment_captured', { amount: p.amount, action_id: ident('act') }), 1);
    }
  }

  function capture(p: PaymentState, amount: number): void {
    p.status = amount < p.amount ? 'Partially Captured' : 'Captured';
    emit(p, 'payment_captured', { amount, action_id: ident('act') });
  }

  const validation = (codes: string[]) => ({ status: 422, body: { request_id: ident('req'), error_type: 'request_invalid', error_codes: codes } as Json });

  function createPayment(key: string, body: Json): { status: number; body: Json | null } {
    const source = body.source as Json | undefined;
    const sourceSchema = source?.type === 'card' ? '03_PaymentRequestCardSource' : source?.type === 'token' ? '01_PaymentRequestTokenSource' : null;
    if (!sourceSchema) return validation(['source_type_invalid']);
    const sourceProblem = checkoutViolation(sourceSchema, source);
    if (sourceProblem) return validation([`source${sourceProblem.path.replace(/\//g, '_')}_invalid`]);
    let number: string;
    if (source!.type === 'card') {
      if (options.rawCardKeys && !options.rawCardKeys.includes(key)) return { status: 403, body: null };
      number = String(source!.number);
      if (!luhnValid(number)) return validation(['card_number_invalid']);
    } else {
      // A token from Frames or Flow (tok_ and 26 characters) stands for the default test card here.
      if (!/^tok_[a-z0-9]{26}$/.test(String(source!.token))) return validation(['token_invalid']);
      number = '4242424242424242';
    }
    const p: PaymentState = {
      id: ident('pay'),
      key,
      amount: Number(body.amount ?? 0),
      currency: String(body.currency),
      reference: String(body.reference ?? ''),
      status: 'Pending',
      approved: false,
      responseCode: '',
      responseSummary: '',
      manual: body.capture === false,
      captured: 0,
      refunded: 0,
      voided: false,
      metadata: (body.metadata as Json | undefined) ?? {},
      successUrl: String(body.success_url ?? ''),
      failureUrl: String(body.failure_url ?? ''),
      threeDsPending: false,
      requestedOn: now(),
    };
    payments.set(p.id, p);
    if (declineNext) {
      decide(p, declineNext);
      declineNext = null;
    } else if (CHECKOUT_TEST_CARDS[number]?.threeDs || (body['3ds'] as Json | undefined)?.enabled === true) {
      p.threeDsPending = true;
      return { status: 202, body: paymentResponse(p) };
    } else decide(p, '10000');
    emit(p, p.approved ? 'payment_approved' : 'payment_declined');
    return { status: 201, body: paymentResponse(p) };
  }

  function action(key: string, id: string, kind: 'captures' | 'voids' | 'refunds', body: Json): { status: number; body: Json | null } {
    const p = payments.get(id);
    if (!p || p.key !== key) return { status: 404, body: null };
    const amount = typeof body.amount === 'number' ? body.amount : kind === 'refunds' ? p.captured - p.refunded : p.amount;
    const actionId = ident('act');
    if (kind === 'captures') {
      if (p.status !== 'Authorized' || !p.manual || p.captured > 0) return { status: 403, body: null };
      if (amount > p.amount) return validation(['amount_exceeds_balance']);
      p.captured = amount; // decided now, reported by the webhook
      setTimeout(() => capture(p, amount), 1);
    } else if (kind === 'voids') {
      if (p.status !== 'Authorized' || p.captured > 0 || p.voided) return { status: 403, body: null };
      p.voided = true;
      setTimeout(() => {
        p.status = 'Voided';
        emit(p, 'payment_voided', { action_id: actionId });
      }, 1);
    } else {
      if (p.captured === 0) return { status: 403, body: null };
      if (amount > p.captured - p.refunded) return validation(['refund_amount_exceeds_balance']);
      p.refunded += amount;
      const reference = typeof body.reference === 'string' ? body.reference : p.reference;
      setTimeout(() => {
        p.status = p.refunded === p.captured ? 'Refunded' : 'Partially Refunded';
        emit(p, 'payment_refunded', { amount, action_id: actionId, reference });
      }, 1);
    }
    return { status: 202, body: { action_id: actionId, ...(typeof body.reference === 'string' ? { reference: body.reference } : {}), _links: { payment: { href: `${baseUrl}/payments/${p.id}` } } } };
  }

  const REQUEST_SCHEMA: Record<string, string> = { captures: 'CaptureRequest', voids: 'VoidRequest', refunds: 'RefundRequest', payments: 'PaymentRequest' };
  const ACCEPTED_SCHEMA: Record<string, string> = { captures: 'CaptureAcceptedResponse', voids: 'VoidAcceptedResponse', refunds: 'RefundAcceptedResponse' };

  function route(method: string, path: string, query: URLSearchParams, key: string, body: Json | null): { status: number; body: Json | null; schema?: string } {
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/payments') {
      const problem = checkoutViolation('PaymentRequest', body);
      if (problem) return validation([`${problem.path.replace(/^\//, '').replace(/\//g, '_') || 'body'}_invalid`]);
      const answer = createPayment(key, body!);
      return { ...answer, schema: answer.status === 201 ? 'PaymentResponse' : answer.status === 202 ? 'PaymentAcceptedResponse' : undefined };
    }
    // GET /payments?reference= is in the current API (not in the 2021 description): a list of the payments with that reference.
    if (method === 'GET' && path === '/payments') {
      const reference = query.get('reference');
      return { status: 200, body: { limit: 10, skip: 0, total_count: 0, data: [...payments.values()].filter((p) => p.key === key && p.reference === reference).map(details) } };
    }
    if (method === 'GET' && (m = /^\/payments\/([^/]+)$/.exec(path))) {
      const p = payments.get(m[1]!);
      return p && p.key === key ? { status: 200, body: details(p), schema: 'PaymentDetails' } : { status: 404, body: null };
    }
    if (method === 'POST' && (m = /^\/payments\/([^/]+)\/(captures|voids|refunds)$/.exec(path))) {
      const kind = m[2] as 'captures';
      const problem = checkoutViolation(REQUEST_SCHEMA[kind]!, body ?? {});
      if (problem) return validation([`${problem.path.replace(/^\//, '') || 'body'}_invalid`]);
      const answer = action(key, m[1]!, kind, body ?? {});
      return { ...answer, schema: answer.status === 202 ? ACCEPTED_SCHEMA[kind] : undefined };
    }
    return { status: 404, body: null };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    if (path.startsWith('/__emulator/3ds/')) {
      const p = payments.get(path.slice('/__emulator/3ds/'.length));
      if (!p?.threeDsPending) return void res.writeHead(404).end('unknown or finished authentication');
      p.threeDsPending = false;
      const failed = url.searchParams.get('fail') === '1';
      decide(p, failed ? '20151' : '10000');
      emit(p, p.approved ? 'payment_approved' : 'payment_declined');
      const back = new URL(failed ? p.failureUrl : p.successUrl);
      back.searchParams.set('cko-session-id', ident('sid'));
      return void res.writeHead(302, { location: back.toString() }).end();
    }
    let body: Json | null = null;
    if (raw) {
      try {
        body = JSON.parse(raw) as Json;
      } catch {
        res.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ request_id: ident('req'), error_type: 'request_invalid', error_codes: ['body_invalid'] }));
        return;
      }
    }
    requests.push({
      method: req.method ?? 'GET',
      path: `${path}${url.search}`,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')])),
      body,
    });
    const failure = faults.takeFailure(path);
    if (failure !== null) return void res.writeHead(failure).end();
    const auth = /^Bearer (sk_\S+)$/.exec(String(req.headers.authorization ?? ''));
    if (!auth || (options.secretKeys && !options.secretKeys.includes(auth[1]!))) return void res.writeHead(401).end();
    const key = auth[1]!;
    const idemHeader = req.headers['cko-idempotency-key'];
    const idem = req.method === 'POST' && typeof idemHeader === 'string' ? `${key}\u0000${idemHeader}` : null;
    const fingerprint = createHash('sha256').update(`${path}\n${raw}`).digest('hex');
    const stored = idem ? idempotency.get(idem) : undefined;
    let status: number;
    let text: string;
    if (stored && stored.fingerprint === fingerprint) ({ status, text } = { status: stored.status, text: stored.body });
    else if (stored) ({ status, text } = { status: 409, text: '' });
    else {
      const answer = route(req.method ?? 'GET', path, url.searchParams, key, body);
      if (answer.schema && answer.body) {
        const problem = checkoutViolation(answer.schema, answer.body);
        if (problem) throw new Error(`emulator answer violates ${answer.schema}: ${problem.path} ${problem.reason}`);
      }
      if (answer.status === 422) {
        const problem = checkoutViolation('ValidationError', answer.body);
        if (problem) throw new Error(`emulator error violates ValidationError: ${problem.path} ${problem.reason}`);
      }
      status = answer.status;
      text = answer.body ? JSON.stringify(answer.body) : '';
      if (idem && status < 500) idempotency.set(idem, { fingerprint, status, body: text });
    }
    await faults.stall(path);
    res.writeHead(status, { ...(text ? { 'content-type': 'application/json' } : {}), 'cko-request-id': ident('req'), 'cko-version': '1.0.0' });
    res.end(text);
  }

  // Compile the schemas before the first request.
  for (const name of [
    'PaymentRequest',
    'PaymentResponse',
    'PaymentAcceptedResponse',
    'PaymentDetails',
    'CaptureRequest',
    'VoidRequest',
    'RefundRequest',
    'CaptureAcceptedResponse',
    'VoidAcceptedResponse',
    'RefundAcceptedResponse',
    'ValidationError',
    '03_PaymentRequestCardSource',
    '01_PaymentRequestTokenSource',
  ])
    checkoutSchema(name);

  const server = await serveEmulator(handle, { port: options.port, host: options.host });
  baseUrl = server.origin;

  return {
    url: baseUrl,
    port: server.port,
    requests,
    events,
    payment: (id) => payments.get(id),
    chargeCount: () => [...payments.values()].filter((p) => p.approved).length,
    declineNext: (code) => {
      declineNext = code;
    },
    stallNext: faults.stallNext,
    failNext: faults.failNext,
    addWebhookEndpoint: (secretKey, url, signatureKey) => {
      endpoints.set(secretKey, [...(endpoints.get(secretKey) ?? []), { url, signatureKey }]);
    },
    signedEvent,
    down: server.down,
    up: server.up,
    close: server.down,
  };
}
