// Helpers of the signing-key tests: a signed return-URL redirect walked as the shopper's browser
// would, a local server that receives the webhooks, and the two verifications a merchant runs
// with its keys (written out here from docs/webhooks.md, not with our own signing helpers).
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOrder, get, payByCard, type RequestOptions } from '../helpers/api-helpers.ts';
import type { TestApp } from '../helpers/test-app.ts';

export const ADMIN = 'Bearer test-admin-key';
/** With a query of the merchant's own, which is not signed (docs/webhooks.md). */
const RETURN_URL = 'https://shop.example.com/return?cart=42';

export async function admin(j: TestApp, method: 'GET' | 'POST' | 'PATCH', url: string, options: { auth?: string | null; body?: Record<string, unknown> } = {}) {
  const auth = options.auth === undefined ? ADMIN : options.auth;
  const response = await j.app.inject({
    method,
    url,
    headers: { ...(auth !== null ? { authorization: auth } : {}), ...(options.body ? { 'content-type': 'application/json' } : {}) },
    ...(options.body ? { payload: JSON.stringify(options.body) } : {}),
  });
  let json: Record<string, any> = {};
  try {
    json = JSON.parse(response.body) as Record<string, any>;
  } catch {
    // Not JSON.
  }
  return { status: response.statusCode, headers: response.headers, body: response.body, json };
}

export async function shownKeys(j: TestApp, merchantId: string): Promise<{ response_key: string; webhook_hmac_key: string }> {
  const shown = await admin(j, 'GET', `/admin/v1/merchants/${merchantId}/signing-keys`);
  assert.equal(shown.status, 200, shown.body);
  return { response_key: shown.json.response_key, webhook_hmac_key: shown.json.webhook_hmac_key };
}

function local(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/**
 * A 3-D Secure payment walked through the bank page to the merchant's return_url; answers the
 * final redirect's query (order_id, status, status_id, signature, signature_algorithm).
 */
export async function signedRedirect(j: TestApp, merchantId: string, options: RequestOptions = {}): Promise<Record<string, string>> {
  const order = await createOrder(j, { return_url: RETURN_URL }, options);
  assert.equal(order.status, 200, order.body);
  const txn = await payByCard(j, order.orderId, { auth_type: 'THREE_DS', merchant_id: merchantId }, options);
  assert.equal(txn.json.status, 'PENDING_VBV', txn.body);
  const page = await get(j, local(txn.json.payment.authentication.url), { auth: null });
  const forms = [...page.body.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
  const success = forms.find((f) => /name="result" value="success"/.test(f[2]!));
  assert.ok(success, 'the bank page has a success form');
  const posted = await j.app.inject({ method: 'POST', url: success[1]!.replace(/&amp;/g, '&'), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'result=success' });
  assert.equal(posted.statusCode, 302, posted.body);
  const returned = await j.app.inject({ method: 'GET', url: local(String(posted.headers.location)) });
  assert.equal(returned.statusCode, 302, returned.body);
  const final = new URL(String(returned.headers.location));
  assert.equal(final.searchParams.get('order_id'), order.orderId);
  assert.equal(final.searchParams.get('cart'), '42');
  return Object.fromEntries(final.searchParams.entries());
}

/** The merchant's check of a return-URL redirect, as docs/webhooks.md writes it (the three signed fields). */
export function redirectVerifies(query: Record<string, string>, responseKey: string): boolean {
  const fields: Record<string, string> = {};
  for (const name of ['order_id', 'status', 'status_id']) fields[name] = query[name] ?? '';
  const joined = Object.keys(fields)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(fields[k]!)}`)
    .join('&');
  const expected = createHmac('sha256', responseKey).update(encodeURIComponent(joined)).digest();
  const given = Buffer.from(query.signature ?? '', 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A server that answers every webhook 200 and keeps it. */
export async function webhookReceiver(): Promise<{ url: string; received: ReceivedWebhook[]; close(): Promise<void> }> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs the delivery worker until the outbox is drained. */
export async function deliverAll(j: TestApp): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const results = await j.webhooks.runOnce();
    if (results.length === 0) return;
    for (const r of results) assert.equal(r.outcome, 'DELIVERED', JSON.stringify(r));
  }
  assert.fail('the outbox did not drain');
}

/** The merchant's check of a webhook, as docs/webhooks.md tells it. */
export function webhookVerifies(hook: ReceivedWebhook, key: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hook.headers['x-junction-signature'] ?? ''));
  if (!match) return false;
  const expected = createHmac('sha256', key).update(`${match[1]}.${hook.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'));
}

/** Pays one order of `merchantId` and answers the webhooks it caused (delivered to `path`). */
export async function webhooksOfAPayment(
  j: TestApp,
  receiver: { received: ReceivedWebhook[] },
  merchantId: string,
  options: RequestOptions = {},
  beforeDelivery?: () => Promise<void>,
): Promise<ReceivedWebhook[]> {
  const order = await createOrder(j, {}, options);
  assert.equal(order.status, 200, order.body);
  const txn = await payByCard(j, order.orderId, { merchant_id: merchantId }, options);
  assert.equal(txn.json.status, 'CHARGED', txn.body);
  if (beforeDelivery) await beforeDelivery();
  await deliverAll(j);
  const hooks = receiver.received.filter((h) => h.body.includes(`"order_id":"${order.orderId}"`));
  assert.ok(hooks.length >= 1, `webhooks delivered for ${order.orderId}`);
  return hooks;
}
