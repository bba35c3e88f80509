import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError, type Connector } from '../core/ports/connector.ts';
import { createConnectorExecutor, redactAuthorizeRequest, type ConnectorCallEvent } from './executor.ts';
import { SimulatorFleet } from './simulator/simulator-fleet.ts';
import { createSimulatorConnector } from './simulator/simulator-connector.ts';
import { TEST_ACCOUNT, cardRequest, instantProfile } from './simulator/test-fixtures.ts';

const BASE = 'https://junction.example';

describe('connector executor', () => {
  const slow = new SimulatorFleet({ profiles: { SIM_DELTA: instantProfile(1, { latency: { fixedMs: 200, jitterMs: 0 } }), SIM_ALPHA: instantProfile(1) } });
  after(() => slow.close());

  it('redactAuthorizeRequest drops the card number, CVV and wallet token', () => {
    const request = cardRequest({ customerEmail: 'shopper@example.com', wallet: { name: 'PAYTM', directToken: 'secret-token' }, upi: { txnType: 'UPI_COLLECT', vpa: 'shopper@okbank', app: null } });
    const redacted = redactAuthorizeRequest(request);
    const text = JSON.stringify(redacted);
    assert.ok(!text.includes('4111111111111111'), 'no PAN');
    assert.ok(!text.includes('"cvv"') && !text.includes('"123"'), 'no CVV');
    assert.ok(!text.includes('secret-token'));
    assert.ok(!text.includes('shopper@example.com'));
    assert.ok(!text.includes('shopper@okbank'));
    assert.equal(redacted.card?.bin, '411111');
    assert.equal(redacted.card?.last4, '1111');
    assert.equal(redacted.customerEmail, 's***@example.com');
    assert.equal(redacted.upi?.vpa, 's******@okbank');
  });

  it('returns the outcome with measured latency and logs a redacted event', async () => {
    const events: ConnectorCallEvent[] = [];
    const executor = createConnectorExecutor({ timeoutMs: 1000, log: (event) => events.push(event) });
    const connector = createSimulatorConnector(slow, 'SIM_ALPHA', { publicBaseUrl: BASE });
    const result = await executor.authorize(connector, TEST_ACCOUNT, cardRequest());
    assert.equal(result.outcome.kind, 'CHARGED');
    assert.equal(result.timedOut, false);
    assert.ok(result.latencyMs >= 0);
    assert.equal(events.length, 1);
    assert.equal(events[0].operation, 'authorize');
    assert.equal(events[0].outcome, 'CHARGED');
    assert.equal(events[0].rawCode, '00');
    assert.ok(!JSON.stringify(events).includes('4111111111111111'));
  });

  it('a timed-out authorize or sync is UNKNOWN, never thrown', async () => {
    const events: ConnectorCallEvent[] = [];
    const executor = createConnectorExecutor({ timeoutMs: 30, log: (event) => events.push(event) });
    const connector = createSimulatorConnector(slow, 'SIM_DELTA', { publicBaseUrl: BASE });
    const request = cardRequest();
    const result = await executor.authorize(connector, TEST_ACCOUNT, request);
    assert.equal(result.outcome.kind, 'UNKNOWN');
    assert.equal(result.timedOut, true);
    // It waited out its deadline (a lower bound cannot fail on a loaded machine; no upper bound is
    // asserted: the timedOut flag and the gateway charging later say it did not wait for the answer).
    assert.ok(result.latencyMs >= 25, String(result.latencyMs));
    assert.equal(events[0].timedOut, true);
    const sync = await executor.syncStatus(connector, TEST_ACCOUNT, request.txnId);
    assert.equal(sync.outcome.kind, 'UNKNOWN');
    const patient = createConnectorExecutor({ timeoutMs: 1000 });
    assert.equal((await patient.syncStatus(connector, TEST_ACCOUNT, request.txnId)).outcome.kind, 'CHARGED', 'the gateway went on and charged');
  });

  it('timed-out capture/void fail with TIMEOUT_UNKNOWN; a timed-out refund is PENDING', async () => {
    const hang = new Promise<never>(() => undefined);
    const stuck = { name: 'STUCK', capabilities: { paymentMethodTypes: [], currencies: 'ANY' }, capture: () => hang, void: () => hang, refund: () => hang } as unknown as Connector;
    const executor = createConnectorExecutor({ timeoutMs: 10 });
    const capture = await executor.capture(stuck, TEST_ACCOUNT, 'g1', 100, 'INR');
    assert.equal(capture.outcome.kind, 'FAILURE');
    if (capture.outcome.kind === 'FAILURE') assert.equal(capture.outcome.unified.code, 'TIMEOUT_UNKNOWN');
    assert.equal((await executor.void(stuck, TEST_ACCOUNT, 'g1')).outcome.kind, 'FAILURE');
    const refund = await executor.refund(stuck, TEST_ACCOUNT, { refundId: 'r', txnId: 't', gatewayTxnId: 'g1', amount: 1, currency: 'INR', idempotencyKey: 'k' });
    assert.equal(refund.outcome.kind, 'PENDING');
  });

  it('a broken integration is rethrown and logged', async () => {
    const events: ConnectorCallEvent[] = [];
    const broken = { name: 'BROKEN', authorize: () => Promise.reject(new ConnectorError('bad credentials', 'BROKEN', 'CONFIGURATION')) } as unknown as Connector;
    const executor = createConnectorExecutor({ timeoutMs: 100, log: (event) => events.push(event) });
    await assert.rejects(executor.authorize(broken, TEST_ACCOUNT, cardRequest()), ConnectorError);
    assert.equal(events[0].outcome, 'ERROR');
    assert.equal(events[0].error?.kind, 'CONFIGURATION');
    assert.ok(!JSON.stringify(events).includes('4111111111111111'));
  });

  it('parseWebhook is logged and rethrows signature errors', async () => {
    const events: ConnectorCallEvent[] = [];
    const executor = createConnectorExecutor({ timeoutMs: 100, log: (event) => events.push(event) });
    const connector = createSimulatorConnector(slow, 'SIM_ALPHA', { publicBaseUrl: BASE });
    await assert.rejects(executor.parseWebhook(connector, TEST_ACCOUNT, { headers: { 'x-simulator-signature': 'bad' }, rawBody: '{}', body: {} }), ConnectorError);
    assert.equal(events[0].error?.kind, 'SIGNATURE');
  });
});
