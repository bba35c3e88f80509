// GET /metrics: closed without its token, served on a port of its own with METRICS_PORT, absent
// when neither is set; the text parses line by line as Prometheus exposition; counters move
// after a payment made through the API; labels carry route patterns, never ids.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig, type ObservabilityConfig } from '../../src/config.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { createOrderOk, declineAll, get, payByCard, setAllGateways } from '../helpers/api-helpers.ts';

const TOKEN = 'test-metrics-token-0001';
const base: ObservabilityConfig = loadConfig({}).observability!;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

// One line of the text format (NaN in any case, as Prometheus' float parser reads it; prom-client writes "Nan"): a comment (# HELP / # TYPE), or a sample `name{labels} value`.
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*)\})? (-?(?:[0-9.]+(?:e[+-]?[0-9]+)?|[Nn][Aa][Nn]|\+Inf|-Inf))$/;
const COMMENT = /^# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))$/;

function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      assert.match(line, COMMENT, `bad comment line: ${line}`);
      continue;
    }
    const match = SAMPLE.exec(line);
    assert.ok(match, `bad sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

function total(samples: Sample[], name: string, where: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);
}

async function scrape(j: TestApp): Promise<Sample[]> {
  const response = await get(j, '/metrics', { auth: `Bearer ${TOKEN}` });
  assert.equal(response.status, 200, response.body);
  assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return parseExposition(response.body);
}

describe('metrics on the service port, behind METRICS_TOKEN', () => {
  let j: TestApp;
  before(async () => {
    j = await startTestApp({ observability: { ...base, metricsToken: TOKEN } });
    setAllGateways(j);
  });
  after(async () => {
    await j.close();
  });

  test('401 without the token or with another', async () => {
    assert.equal((await get(j, '/metrics', { auth: null })).status, 401);
    assert.equal((await get(j, '/metrics', { auth: 'Bearer not-the-token' })).status, 401);
    assert.equal((await get(j, '/metrics', { auth: j.basic })).status, 401);
  });

  test('a payment through the API moves the payment, routing, connector and HTTP counters', async () => {
    const before = await scrape(j);
    const orderId = await createOrderOk(j);
    const paid = await payByCard(j, orderId);
    assert.equal(paid.json.status, 'CHARGED', paid.body);
    const gateway = String(paid.json.gateway ?? paid.json.payment_gateway_response?.gateway ?? '');
    const after = await scrape(j);

    const charged = (s: Sample[]) => total(s, 'junction_payments_total', { status: 'CHARGED', method: 'CARD', unified_error: 'NONE' });
    assert.equal(charged(after) - charged(before), 1);
    if (gateway) assert.equal(total(after, 'junction_payments_total', { gateway, status: 'CHARGED' }) - total(before, 'junction_payments_total', { gateway, status: 'CHARGED' }), 1);
    assert.equal(total(after, 'junction_routing_decisions_total') - total(before, 'junction_routing_decisions_total'), 1);
    const authorizeCalls = (s: Sample[]) => total(s, 'junction_connector_call_duration_seconds_count', { operation: 'authorize' });
    assert.equal(authorizeCalls(after) - authorizeCalls(before), 1);
    const txnRequests = (s: Sample[]) => total(s, 'junction_http_request_duration_seconds_count', { method: 'POST', route: '/txns', status_code: '200' });
    assert.equal(txnRequests(after) - txnRequests(before), 1);
    // The order status read uses the route pattern as its label, not the order id.
    await get(j, `/orders/${orderId}`);
    const afterRead = await scrape(j);
    assert.ok(total(afterRead, 'junction_http_request_duration_seconds_count', { method: 'GET', route: '/orders/:order_id' }) >= 1);
    for (const sample of afterRead) {
      for (const value of Object.values(sample.labels)) assert.ok(!value.includes(orderId), `an id in a label: ${sample.name} ${JSON.stringify(sample.labels)}`);
    }
  });

  test('a decline is counted with its unified error code', async () => {
    declineAll(j);
    try {
      const orderId = await createOrderOk(j);
      const paid = await payByCard(j, orderId);
      assert.equal(paid.json.status, 'AUTHORIZATION_FAILED', paid.body);
      const samples = await scrape(j);
      const failed = samples.filter((s) => s.name === 'junction_payments_total' && s.labels.status === 'AUTHORIZATION_FAILED');
      assert.ok(failed.length > 0);
      assert.ok(
        failed.every((s) => s.labels.unified_error !== 'NONE' && /^[A-Z0-9_]+$/.test(s.labels.unified_error!)),
        JSON.stringify(failed),
      );
    } finally {
      setAllGateways(j);
    }
  });

  test('gauges read at scrape time: gateway health, outbox, status sync, database pool, sandbox', async () => {
    const samples = await scrape(j);
    const health = samples.filter((s) => s.name === 'junction_gateway_health');
    assert.ok(health.length > 0, 'gateway health after a payment');
    assert.ok(health.every((s) => [0, 0.5, 1].includes(s.value)));
    assert.ok(samples.some((s) => s.name === 'junction_gateway_success_rate_estimate' && s.value >= 0 && s.value <= 1));
    const pending = await j.db.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox_events WHERE status = 'PENDING'");
    assert.equal(total(samples, 'junction_webhook_outbox_events', { state: 'PENDING' }), pending[0]!.n);
    assert.ok(samples.some((s) => s.name === 'junction_webhook_outbox_oldest_pending_age_seconds'));
    assert.ok(samples.some((s) => s.name === 'junction_status_sync_backlog'));
    assert.equal(total(samples, 'junction_db_pool_connections', { engine: j.engine }) >= 1, true);
    assert.ok(samples.some((s) => s.name === 'junction_sandbox_workers'));
    assert.ok(samples.some((s) => s.name === 'junction_process_cpu_seconds_total'));
  });
});

describe('where /metrics is served', () => {
  test('neither METRICS_TOKEN nor METRICS_PORT: not served at all, nothing collected', async () => {
    const j = await startTestApp();
    try {
      assert.equal(j.metrics, null);
      assert.equal((await get(j, '/metrics', { auth: null })).status, 404);
    } finally {
      await j.close();
    }
  });

  test('METRICS_PORT: a listener of its own, with the token when one is set; not on the service port', async () => {
    const j = await startTestApp({ observability: { ...base, metricsPort: 0, metricsToken: TOKEN } });
    try {
      assert.ok(j.metricsPort && j.metricsPort > 0);
      assert.equal((await get(j, '/metrics', { auth: `Bearer ${TOKEN}` })).status, 404);
      const url = `http://127.0.0.1:${j.metricsPort}/metrics`;
      assert.equal((await fetch(url)).status, 401);
      const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(response.status, 200);
      const samples = parseExposition(await response.text());
      assert.ok(samples.some((s) => s.name === 'junction_payments_total' || s.name === 'junction_http_request_duration_seconds_count' || s.name === 'junction_process_cpu_seconds_total'));
      assert.equal((await fetch(`http://127.0.0.1:${j.metricsPort}/other`)).status, 404);
    } finally {
      await j.close();
    }
  });
});
