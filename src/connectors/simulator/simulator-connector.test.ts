import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { runConnectorConformance } from '../connector-conformance.ts';
import type { GatewaySimulator } from './simulator.ts';
import { SimulatorFleet, type SimulatorFleetOptions } from './simulator-fleet.ts';
import { buildSimulatorWebhookRequest, createSimulatorConnector, SIMULATOR_SIGNATURE_HEADER } from './simulator-connector.ts';
import type { SimulatorWebhookPayload } from './transformers.ts';
import { TEST_ACCOUNT, cardRequest, instantProfile } from './test-fixtures.ts';

const BASE = 'https://junction.example';

let fleet: SimulatorFleet;
/** A fleet (what the connector talks to) and the test merchant's own simulator in it. */
function simulatorOf(options: SimulatorFleetOptions = {}): GatewaySimulator {
  fleet = new SimulatorFleet(options);
  return fleet.forMerchant(TEST_ACCOUNT.merchantId);
}

runConnectorConformance('simulator', async () => {
  const simulator = simulatorOf({ profiles: { SIM_ALPHA: instantProfile(1) } });
  const connector = createSimulatorConnector(fleet, 'SIM_ALPHA', { publicBaseUrl: BASE });
  const hardDeclineOnly = { HARD_DECLINE: 1, SOFT_DECLINE: 0, TECHNICAL_ERROR: 0, TIMEOUT: 0 };
  return {
    connector,
    account: TEST_ACCOUNT,
    forceSuccess: () => void simulator.patchProfile('SIM_ALPHA', { baseSuccessRate: 1 }),
    forceDecline: () => void simulator.patchProfile('SIM_ALPHA', { baseSuccessRate: 0, failureMix: hardDeclineOnly }),
    cardRequest,
    signedPaymentWebhook: async (gatewayTxnId) => {
      const payment = simulator.lookup(gatewayTxnId)!;
      const payload: SimulatorWebhookPayload = {
        event_id: 'simevt_1',
        event_type: 'payment.updated',
        created_at: new Date().toISOString(),
        account_id: TEST_ACCOUNT.accountId,
        merchant_id: TEST_ACCOUNT.merchantId,
        data: payment,
      };
      const { headers, rawBody } = buildSimulatorWebhookRequest(payload, TEST_ACCOUNT.credentials.webhook_secret);
      return { headers, rawBody, body: JSON.parse(rawBody) as unknown };
    },
    // The simulated gateway charges, then its answer never comes.
    forceTimeout: () =>
      void simulator.patchProfile('SIM_ALPHA', { baseSuccessRate: 0, failureMix: { HARD_DECLINE: 0, SOFT_DECLINE: 0, TECHNICAL_ERROR: 0, TIMEOUT: 1 }, timeoutChargedProbability: 1 }),
    chargeCount: () => simulator.authorisedCount(),
    threeDs: {
      request: (overrides) => cardRequest({ authType: 'THREE_DS', ...overrides }),
      // The shopper passes the bank page: what the page's form post records.
      pass: async (url) => {
        const id = decodeURIComponent(new URL(url).pathname.split('/').pop()!);
        simulator.recordAuthentication(id, 'success');
        return {};
      },
    },
    close: () => simulator.close(),
  };
});

describe('simulator connector flows', () => {
  let simulator: GatewaySimulator;
  afterEach(() => simulator?.close());

  it('validates cards at the gateway: 14 (Luhn), 54 (expired), N7 (CVV)', async () => {
    simulator = simulatorOf({ profiles: { SIM_ALPHA: instantProfile(1) } });
    const connector = createSimulatorConnector(fleet, 'SIM_ALPHA', { publicBaseUrl: BASE });
    const base = cardRequest();
    const cases: Array<[string, typeof base]> = [
      ['14', cardRequest({ card: { ...base.card!, number: '4111111111111112' } })],
      ['54', cardRequest({ card: { ...base.card!, expMonth: '01', expYear: '2020' } })],
      ['N7', cardRequest({ card: { ...base.card!, cvv: '000' } })],
    ];
    for (const [code, request] of cases) {
      const outcome = await connector.authorize(TEST_ACCOUNT, request);
      assert.equal(outcome.kind, 'FAILED', code);
      assert.equal(outcome.raw.code, code);
      if (outcome.kind === 'FAILED') assert.equal(outcome.failure, 'HARD_DECLINE');
    }
  });

  it('3-D Secure: bank page, success, then the authorisation draw', async () => {
    simulator = simulatorOf({ profiles: { SIM_ALPHA: instantProfile(1) } });
    const connector = createSimulatorConnector(fleet, 'SIM_ALPHA', { publicBaseUrl: `${BASE}/` });
    const outcome = await connector.authorize(TEST_ACCOUNT, cardRequest({ authType: 'THREE_DS' }));
    assert.equal(outcome.kind, 'PENDING_AUTHENTICATION');
    if (outcome.kind !== 'PENDING_AUTHENTICATION') return;
    const id = outcome.raw.gatewayTxnId!;
    assert.deepEqual(outcome.authentication, { method: 'GET', url: `${BASE}/simulator/bank/${id}` });

    const early = await connector.completeAuthentication(TEST_ACCOUNT, id, {});
    assert.equal(early.kind, 'PENDING_AUTHENTICATION', 'nothing recorded yet');

    assert.deepEqual(simulator.recordAuthentication(id, 'success'), { returnUrl: 'https://shop.example/return?x=1' });
    const done = await connector.completeAuthentication(TEST_ACCOUNT, id, { gateway_txn_id: id });
    assert.equal(done.kind, 'CHARGED');
    const again = await connector.completeAuthentication(TEST_ACCOUNT, id, { gateway_txn_id: id });
    assert.equal(again.kind, 'CHARGED', 'completing twice is idempotent');
  });

  it('3-D Secure: failed authentication is FAILED with AUTHENTICATION_FAILED', async () => {
    simulator = simulatorOf({ profiles: { SIM_ALPHA: instantProfile(1) } });
    const connector = createSimulatorConnector(fleet, 'SIM_ALPHA', { publicBaseUrl: BASE });
    const outcome = await connector.authorize(TEST_ACCOUNT, cardRequest({ authType: 'THREE_DS_2' }));
    const id = outcome.raw.gatewayTxnId!;
    simulator.recordAuthentication(id, 'failure');
    simulator.recordAuthentication(id, 'success'); // the first answer sticks
    const done = await connector.completeAuthentication(TEST_ACCOUNT, id, {});
    assert.equal(done.kind, 'FAILED');
    if (done.kind !== 'FAILED') return;
    assert.equal(done.failure, 'AUTHENTICATION_FAILED');
    assert.equal(done.raw.code, 'AUTH_FAILED');
    assert.equal(done.unified.code, 'AUTHENTICATION_FAILED');
  });

  it('netbanking redirects through the bank page too', async () => {
    simulator = simulatorOf({ profiles: { SIM_ALPHA: instantProfile(1) } });
    const connector = createSimulatorConnector(fleet, 'SIM_ALPHA', { publicBaseUrl: BASE });
    const outcome = await connector.authorize(TEST_ACCOUNT, cardRequest({ paymentMethodType: 'NB', paymentMethod: 'NB_ICICI', card: null, bank: 'ICICI' }));
    assert.equal(outcome.kind, 'PENDING_AUTHENTICATION');
    assert.equal(simulator.bankPage(outcome.raw.gatewayTxnId!)?.maskedCard, null);
  });

  it('wallet is direct', async () => {
    simulator = simulatorOf({ profiles: { SIM_ALPHA: instantProfile(1) } });
    const connector = createSimulatorConnector(fleet, 'SIM_ALPHA', { publicBaseUrl: BASE });
    const outcome = await connector.authorize(TEST_ACCOUNT, cardRequest({ paymentMethodType: 'WALLET', paymentMethod: 'PAYTM', card: null, wallet: { name: 'PAYTM', directToken: 'tok' } }));
    assert.equal(outcome.kind, 'CHARGED');
  });

  it('UPI collect is PENDING, settles after settleAfterMs and calls notify with a parseable payload', async () => {
    const notified: Array<{ gateway: string; payload: SimulatorWebhookPayload }> = [];
    let resolveNotified: () => void = () => undefined;
    const gotNotify = new Promise<void>((resolve) => {
      resolveNotified = resolve;
    });
    // Settles after 1.5 s: long enough that the first sync still sees PENDING on a loaded machine.
    simulator = simulatorOf({
      profiles: { SIM_GAMMA: instantProfile(1, { settleAfterMs: 1_500 }) },
      notify: (gateway, payload) => {
        notified.push({ gateway, payload });
        resolveNotified();
      },
    });
    const connector = createSimulatorConnector(fleet, 'SIM_GAMMA', { publicBaseUrl: BASE });
    const outcome = await connector.authorize(
      TEST_ACCOUNT,
      cardRequest({ paymentMethodType: 'UPI', paymentMethod: 'UPI', card: null, upi: { txnType: 'UPI_COLLECT', vpa: 'shopper@upi', app: null } }),
    );
    assert.equal(outcome.kind, 'PENDING');
    const id = outcome.raw.gatewayTxnId!;
    assert.equal((await connector.syncStatus(TEST_ACCOUNT, id)).kind, 'PENDING');
    await gotNotify;
    assert.equal(notified.length, 1);
    assert.equal(notified[0].gateway, 'SIM_GAMMA');
    assert.equal(notified[0].payload.data.gateway_txn_id, id);
    assert.equal(notified[0].payload.account_id, TEST_ACCOUNT.accountId);

    const { headers, rawBody } = buildSimulatorWebhookRequest(notified[0].payload, 'whsec_test');
    assert.ok(headers[SIMULATOR_SIGNATURE_HEADER]);
    const parsed = await connector.parseWebhook(TEST_ACCOUNT, { headers, rawBody, body: JSON.parse(rawBody) as unknown });
    assert.equal(parsed.kind, 'PAYMENT');
    if (parsed.kind === 'PAYMENT') assert.equal(parsed.outcome.kind, 'CHARGED');
    assert.equal((await connector.syncStatus(TEST_ACCOUNT, id)).kind, 'CHARGED');
  });

  it('a sync after the settle time settles lazily (injected clock), notifying once', async () => {
    let now = 1_000_000;
    let notifications = 0;
    simulator = simulatorOf({
      now: () => now,
      profiles: { SIM_GAMMA: instantProfile(0, { settleAfterMs: 60_000, failureMix: { HARD_DECLINE: 1, SOFT_DECLINE: 0, TECHNICAL_ERROR: 0, TIMEOUT: 0 } }) },
      notify: () => void notifications++,
    });
    const connector = createSimulatorConnector(fleet, 'SIM_GAMMA', { publicBaseUrl: BASE });
    const outcome = await connector.authorize(TEST_ACCOUNT, cardRequest({ paymentMethodType: 'UPI', paymentMethod: 'UPI', card: null, upi: { txnType: 'UPI_COLLECT', vpa: 'a@b', app: null } }));
    const id = outcome.raw.gatewayTxnId!;
    now += 59_999;
    assert.equal((await connector.syncStatus(TEST_ACCOUNT, id)).kind, 'PENDING');
    now += 1;
    const settled = await connector.syncStatus(TEST_ACCOUNT, id);
    assert.equal(settled.kind, 'FAILED');
    assert.equal(notifications, 1);
    assert.equal(await simulator.settleAllPending(), 0);
    assert.equal(notifications, 1);
  });

  it('UPI intent answers PENDING with a upi:// intent URI', async () => {
    simulator = simulatorOf({ profiles: { SIM_GAMMA: instantProfile(1) } });
    const connector = createSimulatorConnector(fleet, 'SIM_GAMMA', { publicBaseUrl: BASE });
    const outcome = await connector.authorize(
      TEST_ACCOUNT,
      cardRequest({ amount: 12_345, paymentMethodType: 'UPI', paymentMethod: 'UPI', card: null, upi: { txnType: 'UPI_PAY', vpa: null, app: 'com.phonepe.app' } }),
    );
    assert.equal(outcome.kind, 'PENDING');
    if (outcome.kind !== 'PENDING') return;
    const uri = outcome.sdkParams?.intent_uri ?? '';
    assert.match(uri, /^upi:\/\/pay\?/);
    const params = new URLSearchParams(uri.slice('upi://pay?'.length));
    assert.equal(params.get('am'), '123.45');
    assert.equal(params.get('tr'), outcome.raw.gatewayTxnId);
    assert.equal(await simulator.settleAllPending(), 1);
    assert.equal((await connector.syncStatus(TEST_ACCOUNT, outcome.raw.gatewayTxnId!)).kind, 'CHARGED');
  });

  it('a timeout answers UNKNOWN but the card was really charged: sync (by our txn id) and a retried key reveal it', async () => {
    simulator = simulatorOf({
      profiles: { SIM_DELTA: instantProfile(0, { failureMix: { HARD_DECLINE: 0, SOFT_DECLINE: 0, TECHNICAL_ERROR: 0, TIMEOUT: 1 }, timeoutChargedProbability: 1 }) },
    });
    const connector = createSimulatorConnector(fleet, 'SIM_DELTA', { publicBaseUrl: BASE });
    const request = cardRequest();
    const outcome = await connector.authorize(TEST_ACCOUNT, request);
    assert.equal(outcome.kind, 'UNKNOWN');
    assert.equal(outcome.raw.code, 'TIMEOUT');
    assert.equal(outcome.raw.gatewayTxnId, null, 'the caller never learnt the id');

    const sync = await connector.syncStatus(TEST_ACCOUNT, request.txnId);
    assert.equal(sync.kind, 'CHARGED', 'the gateway did charge');
    const replay = await connector.authorize(TEST_ACCOUNT, request);
    assert.equal(replay.kind, 'CHARGED');
    assert.equal(replay.raw.gatewayTxnId, sync.raw.gatewayTxnId);
  });

  it('a timeout that did not charge syncs as FAILED', async () => {
    simulator = simulatorOf({
      profiles: { SIM_DELTA: instantProfile(0, { failureMix: { HARD_DECLINE: 0, SOFT_DECLINE: 0, TECHNICAL_ERROR: 0, TIMEOUT: 1 }, timeoutChargedProbability: 0 }) },
    });
    const connector = createSimulatorConnector(fleet, 'SIM_DELTA', { publicBaseUrl: BASE });
    const request = cardRequest();
    assert.equal((await connector.authorize(TEST_ACCOUNT, request)).kind, 'UNKNOWN');
    const sync = await connector.syncStatus(TEST_ACCOUNT, request.txnId);
    assert.equal(sync.kind, 'FAILED');
    if (sync.kind === 'FAILED') assert.equal(sync.failure, 'TECHNICAL_ERROR');
  });

  it('an outage fails every payment with GW_DOWN (or times out without charging)', async () => {
    simulator = simulatorOf({ profiles: { SIM_ALPHA: instantProfile(1) } });
    const connector = createSimulatorConnector(fleet, 'SIM_ALPHA', { publicBaseUrl: BASE });
    simulator.startOutage('SIM_ALPHA', { durationMs: 60_000 });
    const down = await connector.authorize(TEST_ACCOUNT, cardRequest());
    assert.equal(down.kind, 'FAILED');
    if (down.kind === 'FAILED') {
      assert.equal(down.failure, 'GATEWAY_DOWN');
      assert.equal(down.raw.code, 'GW_DOWN');
    }
    simulator.endOutage('SIM_ALPHA');
    simulator.startOutage('SIM_ALPHA', { durationMs: 60_000, mode: 'TIMEOUT' });
    const request = cardRequest();
    assert.equal((await connector.authorize(TEST_ACCOUNT, request)).kind, 'UNKNOWN');
    assert.equal((await connector.syncStatus(TEST_ACCOUNT, request.txnId)).kind, 'FAILED');
    simulator.endOutage('SIM_ALPHA');
    assert.equal((await connector.authorize(TEST_ACCOUNT, cardRequest())).kind, 'CHARGED');
  });

  it('awaits the drawn latency only when it is positive', async () => {
    simulator = simulatorOf({ profiles: { SIM_ALPHA: instantProfile(1, { latency: { fixedMs: 40, jitterMs: 0 } }) } });
    const connector = createSimulatorConnector(fleet, 'SIM_ALPHA', { publicBaseUrl: BASE });
    const started = performance.now();
    await connector.authorize(TEST_ACCOUNT, cardRequest());
    assert.ok(performance.now() - started >= 35);
  });

  it('sync of an unknown id is FAILED with code 25', async () => {
    simulator = simulatorOf();
    const connector = createSimulatorConnector(fleet, 'SIM_ALPHA', { publicBaseUrl: BASE });
    const outcome = await connector.syncStatus(TEST_ACCOUNT, 'sim_nope');
    assert.equal(outcome.raw.code, '25');
  });

  it('parseWebhook needs a webhook_secret credential', async () => {
    simulator = simulatorOf();
    const connector = createSimulatorConnector(fleet, 'SIM_ALPHA', { publicBaseUrl: BASE });
    await assert.rejects(connector.parseWebhook({ ...TEST_ACCOUNT, credentials: {} }, { headers: {}, rawBody: '{}', body: {} }), /webhook_secret/);
  });
});
