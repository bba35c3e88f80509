// Outgoing webhooks through the API (delivered to a local HTTP server, Basic auth and a body
// signature that verifies, per-order webhook_url override) and incoming gateway webhooks
// (a bad signature is refused and changes nothing; a good one settles the payment).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { buildSimulatorWebhookRequest } from '../../src/connectors/simulator/simulator-connector.ts';
import type { SimulatorWebhookPayload } from '../../src/connectors/simulator/transformers.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { createOrderOk, declineAll, orderStatus, payByCard, post, setAllGateways } from '../helpers/api-helpers.ts';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; event_name: string; date_created: string; content: { order: Record<string, any>; txn?: Record<string, any> } };
}

let j: TestApp;
let server: Server;
let baseUrl = '';
const received: Received[] = [];
const failing: string[] = [];

before(async () => {
  j = await startTestApp();
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      if (request.url?.startsWith('/failing')) {
        failing.push(body);
        response.writeHead(500).end('down');
        return;
      }
      received.push({ path: request.url ?? '', headers: request.headers, body, json: JSON.parse(body) as Received['json'] });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await j.merchants.updateWebhookSettings('demo_merchant', { url: `${baseUrl}/merchant-hooks`, username: 'hookuser', password: 'hook-pass' });
});
after(async () => {
  await j.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  setAllGateways(j);
});

/** Runs the delivery worker until the outbox is drained. */
async function deliverAll(): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const results = await j.webhooks.runOnce();
    if (results.length === 0) return;
    for (const r of results) assert.equal(r.outcome, 'DELIVERED', JSON.stringify(r));
  }
  assert.fail('the outbox did not drain');
}

function eventsFor(orderId: string): Received[] {
  return received.filter((r) => r.json.content.order.order_id === orderId);
}

async function verifySignature(event: Received): Promise<void> {
  const header = String(event.headers['x-junction-signature']);
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  assert.ok(match, `signature header format: ${header}`);
  const { webhook } = await j.merchants.getMerchantSecrets('demo_merchant');
  const expected = createHmac('sha256', webhook.hmacKey).update(`${match[1]}.${event.body}`).digest('hex');
  assert.equal(match[2], expected, "x-junction-signature verifies with the merchant's webhook HMAC key");
  const forged = createHmac('sha256', webhook.hmacKey).update(`${match[1]}.${event.body} `).digest('hex');
  assert.notEqual(match[2], forged);
}

describe('outgoing webhooks', () => {
  test('a card payment sends TXN_CREATED, TXN_CHARGED and ORDER_SUCCEEDED, authenticated and signed', async () => {
    const orderId = await createOrderOk(j, { amount: '64.00' });
    const txn = await payByCard(j, orderId);
    assert.equal(txn.json.status, 'CHARGED', txn.body);
    await deliverAll();
    const events = eventsFor(orderId);
    const names = events.map((e) => e.json.event_name);
    for (const name of ['TXN_CREATED', 'TXN_CHARGED', 'ORDER_SUCCEEDED']) assert.ok(names.includes(name), `${name} delivered: ${names.join(',')}`);
    assert.equal(names.filter((n) => n === 'ORDER_SUCCEEDED').length, 1, 'ORDER_SUCCEEDED once');
    const expectedAuth = `Basic ${Buffer.from('hookuser:hook-pass').toString('base64')}`;
    for (const event of events) {
      assert.equal(event.path, '/merchant-hooks');
      assert.equal(event.headers.authorization, expectedAuth);
      assert.match(String(event.headers['content-type']), /application\/json/);
      assert.match(event.json.id, /^evt_/);
      assert.equal(event.headers['x-junction-event-id'], event.json.id);
      assert.equal(event.headers['x-junction-event-name'], event.json.event_name);
      assert.equal(typeof event.json.date_created, 'string');
      await verifySignature(event);
    }
    const succeeded = events.find((e) => e.json.event_name === 'ORDER_SUCCEEDED')!;
    assert.equal(succeeded.json.content.order.status, 'CHARGED');
    assert.equal(succeeded.json.content.order.amount, 64);
    assert.equal(succeeded.json.content.order.txn_detail.txn_id, txn.json.txn_id);
    const charged = events.find((e) => e.json.event_name === 'TXN_CHARGED')!;
    assert.equal(charged.json.content.txn?.txn_id, txn.json.txn_id);
    assert.equal(charged.json.content.txn?.status, 'CHARGED');
    assert.equal(new Set(events.map((e) => e.json.id)).size, events.length, 'distinct event ids');
    // Already delivered: nothing more to send.
    assert.equal((await j.webhooks.runOnce()).length, 0);
  });

  test('metadata.webhook_url on the order overrides the merchant URL', async () => {
    const orderId = await createOrderOk(j, { 'metadata.webhook_url': `${baseUrl}/order-specific?o=1` });
    assert.equal((await payByCard(j, orderId)).json.status, 'CHARGED');
    await deliverAll();
    const events = eventsFor(orderId);
    assert.ok(events.length >= 3);
    for (const event of events) {
      assert.equal(event.path, '/order-specific?o=1');
      await verifySignature(event);
    }
  });

  test('a declined payment sends TXN_FAILED and ORDER_FAILED; a refund sends ORDER_REFUNDED', async () => {
    const orderId = await createOrderOk(j);
    declineAll(j);
    assert.equal((await payByCard(j, orderId)).json.status, 'AUTHORIZATION_FAILED');
    setAllGateways(j);
    assert.equal((await payByCard(j, orderId)).json.status, 'CHARGED');
    const refund = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `wh_${orderId}`, amount: '5.00' }, { asForm: true });
    assert.equal(refund.status, 200, refund.body);
    await deliverAll();
    const names = eventsFor(orderId).map((e) => e.json.event_name);
    for (const name of ['TXN_FAILED', 'ORDER_FAILED', 'TXN_CHARGED', 'ORDER_SUCCEEDED', 'ORDER_REFUNDED']) assert.ok(names.includes(name), `${name} in ${names.join(',')}`);
    const refunded = eventsFor(orderId).find((e) => e.json.event_name === 'ORDER_REFUNDED')!;
    assert.equal(refunded.json.content.order.refunds[0].unique_request_id, `wh_${orderId}`);
  });

  test('a UPI payment settled by the gateway webhook sends TXN_CHARGED and ORDER_SUCCEEDED', async () => {
    const orderId = await createOrderOk(j);
    const txn = await post(j, '/txns', { order_id: orderId, payment_method_type: 'UPI', txn_type: 'UPI_COLLECT', upi_vpa: 'shopper@okbank' }, { asForm: true });
    assert.equal(txn.json.status, 'PENDING_VBV', txn.body);
    await j.simulator.settleAllPending();
    await deliverAll();
    const names = eventsFor(orderId).map((e) => e.json.event_name);
    assert.ok(names.includes('TXN_CHARGED') && names.includes('ORDER_SUCCEEDED'), names.join(','));
  });
});

describe('webhook delivery failures', () => {
  test('a non-2xx answer keeps the event for a retry, with the same event id', async () => {
    const orderId = await createOrderOk(j, { 'metadata.webhook_url': `${baseUrl}/failing` });
    assert.equal((await payByCard(j, orderId)).json.status, 'CHARGED');
    const results = await j.webhooks.runOnce();
    const mine = results.filter((r) => r.statusCode === 500);
    assert.ok(mine.length >= 3, JSON.stringify(results));
    for (const r of mine) assert.equal(r.outcome, 'RETRY');
    assert.ok(failing.length >= 3);
    const ids = failing.map((b) => (JSON.parse(b) as { id: string }).id);
    const rows = await j.db.query<{ id: string; status: string; attempts: number }>('SELECT id, status, attempts FROM outbox_events WHERE id = ANY($1)', [ids]);
    assert.equal(rows.length, ids.length);
    for (const row of rows) {
      assert.notEqual(row.status, 'DELIVERED');
      assert.equal(Number(row.attempts), 1);
    }
    // Not due again yet (the first retry waits a minute).
    assert.equal((await j.webhooks.runOnce()).filter((r) => r.statusCode === 500).length, 0);
    assert.equal(eventsFor(orderId).length, 0);
  });
});

describe('webhook version', () => {
  test('an old webhook version receives only the events of its date', async () => {
    await j.merchants.updateWebhookSettings('demo_merchant', { version: '2016-01-01' });
    try {
      const orderId = await createOrderOk(j);
      declineAll(j);
      assert.equal((await payByCard(j, orderId)).json.status, 'AUTHORIZATION_FAILED');
      setAllGateways(j);
      assert.equal((await payByCard(j, orderId)).json.status, 'CHARGED');
      await deliverAll();
      const names = eventsFor(orderId).map((e) => e.json.event_name);
      assert.ok(names.includes('ORDER_SUCCEEDED'), names.join(','));
      for (const name of ['TXN_CREATED', 'TXN_CHARGED', 'TXN_FAILED', 'ORDER_FAILED']) assert.ok(!names.includes(name), `${name} is newer than 2016-01-01: ${names.join(',')}`);
    } finally {
      await j.merchants.updateWebhookSettings('demo_merchant', { version: null });
    }
  });
});

describe('incoming gateway webhooks', () => {
  async function pendingUpi(): Promise<{ orderId: string; gatewayTxnId: string; accountId: string; secret: string }> {
    const orderId = await createOrderOk(j);
    const txn = await post(j, '/txns', { order_id: orderId, payment_method_type: 'UPI', txn_type: 'UPI_COLLECT', upi_vpa: 'shopper@okbank' }, { asForm: true });
    assert.equal(txn.json.status, 'PENDING_VBV', txn.body);
    const [row] = await j.db.query<{ gateway_txn_id: string; gateway_account_id: string }>('SELECT gateway_txn_id, gateway_account_id FROM txns WHERE id = $1', [txn.json.txn_uuid]);
    const account = await j.merchants.connectorAccount('demo_merchant', row!.gateway_account_id);
    return { orderId, gatewayTxnId: row!.gateway_txn_id, accountId: row!.gateway_account_id, secret: account.credentials.webhook_secret! };
  }

  function chargedPayload(gatewayTxnId: string, accountId: string): SimulatorWebhookPayload {
    const payment = j.simulator.lookup(gatewayTxnId)!;
    return {
      event_id: 'simevt_test_1',
      event_type: 'payment.updated',
      created_at: new Date().toISOString(),
      account_id: accountId,
      merchant_id: 'demo_merchant',
      data: { ...payment, status: 'CHARGED', code: '00', message: 'Approved', captured_amount: payment.amount, next_action: null },
    };
  }

  test('a bad signature is refused (4xx) and changes nothing', async () => {
    const { orderId, gatewayTxnId, accountId } = await pendingUpi();
    const { headers, rawBody } = buildSimulatorWebhookRequest(chargedPayload(gatewayTxnId, accountId), 'not-the-secret');
    const url = `/webhooks/gateways/SIM_ALPHA/demo_merchant/${accountId}`;
    const forged = await j.app.inject({ method: 'POST', url, headers, payload: rawBody });
    assert.ok(forged.statusCode >= 400 && forged.statusCode < 500, `forged webhook answered ${forged.statusCode}: ${forged.body}`);
    const unsigned = await j.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: rawBody });
    assert.ok(unsigned.statusCode >= 400 && unsigned.statusCode < 500, `unsigned webhook answered ${unsigned.statusCode}`);
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.status, 'PENDING_VBV');
    assert.equal(status.json.txn_detail.status, 'PENDING_VBV');
  });

  test('a correctly signed webhook settles the payment', async () => {
    const { orderId, gatewayTxnId, accountId, secret } = await pendingUpi();
    // Tell the simulated gateway too, so its ledger agrees with what the webhook says.
    const { headers, rawBody } = buildSimulatorWebhookRequest(chargedPayload(gatewayTxnId, accountId), secret);
    const response = await j.app.inject({ method: 'POST', url: `/webhooks/gateways/SIM_ALPHA/demo_merchant/${accountId}`, headers, payload: rawBody });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(JSON.parse(response.body).handled, true);
    assert.equal((await orderStatus(j, orderId)).json.status, 'CHARGED');
  });

  test('a webhook for an unknown account or gateway is refused', async () => {
    const { gatewayTxnId, accountId, secret } = await pendingUpi();
    const { headers, rawBody } = buildSimulatorWebhookRequest(chargedPayload(gatewayTxnId, accountId), secret);
    const unknownAccount = await j.app.inject({ method: 'POST', url: '/webhooks/gateways/SIM_ALPHA/demo_merchant/gwa_nope', headers, payload: rawBody });
    assert.ok(unknownAccount.statusCode >= 400 && unknownAccount.statusCode < 500, String(unknownAccount.statusCode));
    const unknownGateway = await j.app.inject({ method: 'POST', url: `/webhooks/gateways/NOPE/demo_merchant/${accountId}`, headers, payload: rawBody });
    assert.ok(unknownGateway.statusCode >= 400 && unknownGateway.statusCode < 500, String(unknownGateway.statusCode));
  });
});
