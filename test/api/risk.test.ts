// Risk checks on the payment path and the risk API, through HTTP on the simulated gateways
// (PGlite, or PostgreSQL when DATABASE_URL is set): a block ends the attempt as JUSPAY_DECLINED
// without a gateway call, a review holds the payment authorised for a reviewer, parallel mode
// refunds a late block, and a merchant without a risk configuration sees no change.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { assertApiError, createOrderOk, createSecondMerchant, declineAll, dumpDatabase, get, orderStatus, payByCard, post, setAllGateways } from '../helpers/api-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp();
});
after(async () => {
  await j.close();
});
beforeEach(async () => {
  setAllGateways(j);
  await send('DELETE', '/v1/risk/config');
  await j.db.query('DELETE FROM risk_list_entries');
  await j.db.query('DELETE FROM risk_rules');
});

async function send(method: 'PUT' | 'DELETE' | 'POST' | 'GET', url: string, body?: unknown, auth: string = j.basic, contentType = 'application/json') {
  const response = await j.app.inject({
    method,
    url,
    headers: { authorization: auth, ...(body !== undefined ? { 'content-type': contentType } : {}) },
    ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  let json: Record<string, any> = {};
  try {
    json = JSON.parse(response.body);
  } catch {
    /* not JSON */
  }
  return { status: response.statusCode, body: response.body, json };
}

async function configure(config: Record<string, unknown>, auth = j.basic) {
  const r = await send('PUT', '/v1/risk/config', config, auth);
  assert.equal(r.status, 200, r.body);
}

async function outboxEvents(orderId: string): Promise<string[]> {
  const rows = await j.db.query<{ event_name: string }>('SELECT event_name FROM outbox_events WHERE payload::text LIKE $1 ORDER BY created_at, id', [`%${orderId}%`]);
  return rows.map((r) => r.event_name);
}

const hook = { 'metadata.webhook_url': 'https://shop.example.com/hooks' };

describe('risk checks on the payment path', () => {
  test('a merchant without a risk configuration sees no risk block and no change', async () => {
    const orderId = await createOrderOk(j, hook);
    const txn = await payByCard(j, orderId, { client_ip: 'not an ip' }); // not read without a risk setup
    assert.equal(txn.json.status, 'CHARGED', txn.body);
    const status = await orderStatus(j, orderId);
    assert.equal('risk' in status.json, false);
    assert.equal('risk_checks' in status.json.txn_detail, false);
    const [row] = await j.db.query<{ risk: unknown }>('SELECT risk FROM txns WHERE id = $1', [txn.json.txn_uuid]);
    assert.equal(row!.risk, null);
  });

  test('a blocklisted BIN ends the attempt JUSPAY_DECLINED (22) with RISK_BLOCKLISTED, no gateway call, ORDER_FAILED sent', async () => {
    await configure({ mode: 'sequential' });
    const added = await send('POST', '/v1/risk/lists/blocklist', { kind: 'bin', values: ['411111'] });
    assert.equal(added.status, 201, added.body);
    const orderId = await createOrderOk(j, hook);
    const vaulted = await j.db.query<{ n: number }>('SELECT count(*)::int AS n FROM card_vault');
    const txn = await payByCard(j, orderId, { client_ip: '203.0.113.9', save_to_locker: 'true' });
    assert.equal(txn.json.status, 'JUSPAY_DECLINED', txn.body);
    assert.deepEqual(await j.db.query<{ n: number }>('SELECT count(*)::int AS n FROM card_vault'), vaulted, 'a declined card is not saved');
    assert.equal(txn.json.status_id, 22);
    assert.equal(txn.json.error_code, 'RISK_BLOCKLISTED');
    assert.match(txn.json.error_message, /bin 41111111 is on the blocklist|bin 411111/);
    const [row] = await j.db.query<{ gateway: string | null; gateway_txn_id: string | null; routing_decision: unknown }>('SELECT gateway, gateway_txn_id, routing_decision FROM txns WHERE id = $1', [
      txn.json.txn_uuid,
    ]);
    assert.deepEqual(row, { gateway: null, gateway_txn_id: null, routing_decision: null }, 'no gateway was asked and no routing ran');
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.status, 'JUSPAY_DECLINED');
    assert.equal(status.json.risk.status, 'REJECTED');
    assert.equal(status.json.risk.recommended_action, 'DECLINE');
    assert.equal(status.json.risk.flagged, true);
    assert.equal(status.json.risk.provider, 'builtin');
    assert.equal(status.json.txn_detail.unified_error.code, 'RISK_BLOCKLISTED');
    assert.deepEqual(
      status.json.txn_detail.risk_checks.checks.map((c: { check: string }) => c.check),
      ['allowlist', 'blocklist'],
    );
    const events = await outboxEvents(orderId);
    assert.ok(events.includes('ORDER_FAILED'), events.join());
    assert.ok(events.includes('TXN_FAILED'), events.join());
  });

  test("tenants are isolated: one merchant's blocklist and counters never touch another's payments", async () => {
    await configure({ velocity: [{ dimension: 'card_fingerprint', metric: 'count', window_seconds: 3600, limit: 1 }] });
    await send('POST', '/v1/risk/lists/blocklist', { kind: 'bin', value: '411111' });
    const other = await createSecondMerchant(j);
    await configure({ velocity: [{ dimension: 'card_fingerprint', metric: 'count', window_seconds: 3600, limit: 5 }] }, other.auth);
    for (let i = 0; i < 2; i++) {
      const orderId = (await post(j, '/orders', { order_id: `iso${i}${Date.now() % 100000}`, amount: '10.00', currency: 'INR' }, { asForm: true, auth: other.auth })).json.order_id as string;
      const txn = await post(
        j,
        '/txns',
        {
          order_id: orderId,
          merchant_id: other.merchantId,
          payment_method_type: 'CARD',
          card_number: '4111111111111111',
          card_exp_month: '12',
          card_exp_year: '2031',
          card_security_code: '123',
          format: 'json',
        },
        { asForm: true, auth: other.auth },
      );
      assert.equal(txn.json.status, 'CHARGED', txn.body);
    }
    const rules = await send('GET', '/v1/risk/lists/blocklist', undefined, other.auth);
    assert.deepEqual(rules.json.entries, []);
  });

  test("a risk decline never counts in a gateway's success-rate scores; a gateway's answer does", async () => {
    const other = await createSecondMerchant(j);
    await configure({}, other.auth);
    const add = await send('POST', '/v1/risk/lists/blocklist', { kind: 'email', value: 'blocked@example.com' }, other.auth);
    assert.equal(add.status, 201, add.body);
    const observations = async () => {
      await j.scoring.idle();
      const health = await send('GET', '/v1/routing/health', undefined, other.auth);
      assert.equal(health.status, 200, health.body);
      return (health.json.gateways as Array<{ observations: number }>).reduce((sum, g) => sum + g.observations, 0);
    };
    const pay = async (email: string) => {
      const order = await post(j, '/orders', { order_id: `sr${Math.random().toString(36).slice(2, 12)}`, amount: '10.00', currency: 'INR', customer_email: email }, { asForm: true, auth: other.auth });
      return post(
        j,
        '/txns',
        {
          order_id: order.json.order_id,
          merchant_id: other.merchantId,
          payment_method_type: 'CARD',
          card_number: '4111111111111111',
          card_exp_month: '12',
          card_exp_year: '2031',
          card_security_code: '123',
          format: 'json',
        },
        { asForm: true, auth: other.auth },
      );
    };
    for (let i = 0; i < 4; i++) assert.equal((await pay('blocked@example.com')).json.error_code, 'RISK_BLOCKLISTED');
    assert.equal(await observations(), 0);
    assert.equal((await pay('fine@example.com')).json.status, 'CHARGED');
    assert.equal(await observations(), 1);
  });

  test('velocity: the second attempt of one card within the window is declined RISK_VELOCITY_EXCEEDED', async () => {
    await configure({ velocity: [{ id: 'card1h', dimension: 'card_fingerprint', metric: 'count', window_seconds: 3600, limit: 1, action: 'block' }] });
    const first = await payByCard(j, await createOrderOk(j));
    assert.equal(first.json.status, 'CHARGED', first.body);
    const second = await payByCard(j, await createOrderOk(j));
    assert.equal(second.json.status, 'JUSPAY_DECLINED', second.body);
    assert.equal(second.json.error_code, 'RISK_VELOCITY_EXCEEDED');
    const otherCard = await payByCard(j, await createOrderOk(j), { card_number: '5555555555554444' });
    assert.equal(otherCard.json.status, 'CHARGED', otherCard.body);
  });

  test('velocity under concurrent payments: 20 orders paid at once with one card and a limit of 5 charge exactly 5', async () => {
    await configure({ velocity: [{ id: 'burst', dimension: 'card_fingerprint', metric: 'count', window_seconds: 3600, limit: 5, action: 'block' }] });
    const card = '4000056655665556';
    const orders = await Promise.all(Array.from({ length: 20 }, () => createOrderOk(j)));
    const answers = await Promise.all(orders.map((o) => payByCard(j, o, { card_number: card })));
    const statuses = answers.map((a) => a.json.status as string);
    assert.equal(statuses.filter((s) => s === 'CHARGED').length, 5, statuses.join());
    assert.equal(answers.filter((a) => a.json.error_code === 'RISK_VELOCITY_EXCEEDED').length, 15);
  });

  test('review: the payment is authorised only, held, and a reviewer approves (capture) or rejects (void)', async () => {
    await configure({});
    const rule = await send('POST', '/v1/risk/rules', { name: 'large', condition: { dimension: 'amount', operator: 'greater_than', value: 50_000 }, action: 'review', score: 60 });
    assert.equal(rule.status, 201, rule.body);
    const small = await payByCard(j, await createOrderOk(j, { amount: '100.00' }));
    assert.equal(small.json.status, 'CHARGED', small.body);
    const held = [await payByCard(j, await createOrderOk(j, { amount: '900.00' })), await payByCard(j, await createOrderOk(j, { amount: '901.00' }))];
    for (const h of held) assert.equal(h.json.status, 'AUTHORIZED', h.body);
    const status = await orderStatus(j, held[0]!.json.order_id);
    assert.equal(status.json.risk.status, 'FLAGGED');
    assert.equal(status.json.risk.recommended_action, 'REVIEW');
    assert.equal(status.json.risk.score, 60);
    const queue = await send('GET', '/v1/risk/reviews');
    assert.deepEqual(queue.json.reviews.map((r: { txn_uuid: string }) => r.txn_uuid).sort(), held.map((h) => h.json.txn_uuid).sort());
    const viewer = await send('POST', `/v1/risk/reviews/${held[0]!.json.txn_uuid}/approve`, {}, 'Bearer test_pl_viewer_token_0001');
    assertApiError({ ...viewer, headers: {} }, 403);
    const approved = await send('POST', `/v1/risk/reviews/${held[0]!.json.txn_uuid}/approve`, {});
    assert.equal(approved.status, 200, approved.body);
    assert.equal(approved.json.status, 'CHARGED');
    const rejected = await send('POST', `/v1/risk/reviews/${held[1]!.json.txn_uuid}/reject`, {});
    assert.equal(rejected.json.status, 'VOIDED', rejected.body);
    assert.deepEqual((await send('GET', '/v1/risk/reviews')).json.reviews, []);
    const again = await send('POST', `/v1/risk/reviews/${held[1]!.json.txn_uuid}/approve`, {});
    assert.equal(again.status, 404, again.body);
  });

  test('card-testing guard: small declines from one IP block that IP (RISK_CARD_TESTING); another IP still pays', async () => {
    await configure({ card_testing: { small_amount_max: 500, threshold: 3, window_seconds: 600, block_seconds: 3600, sources: ['client_ip'] } });
    declineAll(j);
    for (let i = 0; i < 3; i++) {
      const probe = await payByCard(j, await createOrderOk(j, { amount: '1.00' }), { client_ip: '198.51.100.66' });
      assert.equal(probe.json.status, 'AUTHORIZATION_FAILED', probe.body);
    }
    setAllGateways(j);
    const blocked = await payByCard(j, await createOrderOk(j, { amount: '50.00' }), { client_ip: '198.51.100.66' });
    assert.equal(blocked.json.error_code, 'RISK_CARD_TESTING', blocked.body);
    const other = await payByCard(j, await createOrderOk(j, { amount: '50.00' }), { client_ip: '198.51.100.67' });
    assert.equal(other.json.status, 'CHARGED', other.body);
  });

  test('parallel mode: the payment goes to the gateway and a late block refunds it, recording why', async () => {
    await configure({ mode: 'parallel' });
    await send('POST', '/v1/risk/lists/blocklist', { kind: 'email', value: 'fraud@example.com' });
    const orderId = await createOrderOk(j, { customer_email: 'fraud@example.com' });
    const txn = await payByCard(j, orderId);
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.risk.status, 'REJECTED', JSON.stringify(status.json.risk));
    assert.equal(status.json.txn_detail.risk_checks.late.effect, 'refund');
    assert.equal(status.json.refunds?.length, 1, txn.body);
  });

  test('fail closed: an unavailable provider declines with RISK_PROVIDER_DECLINED; fail open lets the payment through', async () => {
    await configure({ provider: 'nowhere', fail_open: false });
    const closed = await payByCard(j, await createOrderOk(j));
    assert.equal(closed.json.error_code, 'RISK_PROVIDER_DECLINED', closed.body);
    await configure({ provider: 'nowhere', fail_open: true });
    const open = await payByCard(j, await createOrderOk(j));
    assert.equal(open.json.status, 'CHARGED', open.body);
  });

  test('no card number or security code is stored anywhere by the risk checks', async () => {
    await configure({
      velocity: [{ dimension: 'card_fingerprint', metric: 'count', window_seconds: 60, limit: 100 }],
      card_testing: { small_amount_max: 100000, threshold: 100, window_seconds: 60, block_seconds: 60 },
    });
    const pan = '378282246310005';
    declineAll(j);
    const declined = await payByCard(j, await createOrderOk(j), { card_number: pan, card_security_code: '9876', client_ip: '192.0.2.55' });
    assert.equal(declined.json.status, 'AUTHORIZATION_FAILED', declined.body);
    setAllGateways(j);
    await send('POST', '/v1/risk/lists/blocklist', { kind: 'bin', value: '37828200-37828299' });
    const blocked = await payByCard(j, await createOrderOk(j), { card_number: pan, card_security_code: '9876' });
    assert.equal(blocked.json.error_code, 'RISK_BLOCKLISTED', blocked.body);
    const dump = await dumpDatabase(j);
    assert.ok(dump.includes('risk_velocity_events'), 'the dump covers the risk tables');
    assert.ok(!dump.includes(pan), 'the card number is nowhere in the database');
    assert.ok(!/"?cvv"?\s*:\s*"?9876/.test(dump));
  });

  test('a bad client_ip is a 400 naming the field for a merchant with risk checks', async () => {
    await configure({});
    const r = await payByCard(j, await createOrderOk(j), { client_ip: '300.1.1.1' });
    assertApiError(r, 400, { field: 'client_ip' });
  });
});

describe('risk API', () => {
  test('bad configuration, rules and list values are 400s naming the field, and nothing is written', async () => {
    const bad = await send('PUT', '/v1/risk/config', { mode: 'sideways', velocity: [{ dimension: 'shoe_size', window_seconds: 0, limit: 1 }] });
    assert.equal(bad.status, 400, bad.body);
    const fields = bad.json.error_info.fields.map((f: { field_name: string }) => f.field_name);
    assert.deepEqual(fields.sort(), ['mode', 'velocity[0].dimension', 'velocity[0].window_seconds'].sort());
    assert.equal((await send('GET', '/v1/risk/config')).json.configured, false);
    const rule = await send('POST', '/v1/risk/rules', { name: 'x', condition: { dimension: 'card_bin', operator: 'equal', value: '41' }, action: 'block' });
    assert.equal(rule.status, 400, rule.body);
    assert.equal(rule.json.error_info.fields[0].field_name, 'condition');
    const noAction = await send('POST', '/v1/risk/rules', { name: 'y', condition: { dimension: 'amount', operator: 'greater_than', value: 1 } });
    assert.equal(noAction.json.error_info.fields[0].field_name, 'action');
    const list = await send('POST', '/v1/risk/lists/blocklist', { kind: 'ip', values: ['10.0.0.0/8', '10.0.0.999'] });
    assert.equal(list.status, 400, list.body);
    assert.equal(list.json.error_info.fields[0].field_name, 'values[1]');
    assert.equal((await send('GET', '/v1/risk/lists/blocklist')).json.entries.length, 0);
    const kind = await send('POST', '/v1/risk/lists/greylist', { kind: 'ip', values: ['10.0.0.1'] });
    assert.equal(kind.json.error_info.fields[0].field_name, 'list');
    const pan = await send('POST', '/v1/risk/lists/blocklist', { kind: 'card_fingerprint', value: '4111111111111111' });
    assert.equal(pan.status, 400, 'a card number is never stored as a fingerprint');
  });

  test('IP entries are listed as addresses and networks and removed by what the list shows', async () => {
    const added = await send('POST', '/v1/risk/lists/blocklist', { kind: 'ip', values: ['198.51.100.7', '203.0.113.9/24', '2001:DB8:0:0::1/32'] });
    assert.equal(added.status, 201, added.body);
    const listed = (await send('GET', '/v1/risk/lists/blocklist?kind=ip')).json.entries.map((e: { value: string }) => e.value).sort();
    assert.deepEqual(listed, ['198.51.100.7', '2001:db8::/32', '203.0.113.0/24']);
    for (const value of listed) {
      const removed = await send('DELETE', `/v1/risk/lists/blocklist/ip/${encodeURIComponent(value)}`);
      assert.equal(removed.status, 200, `${value}: ${removed.body}`);
      assert.equal(removed.json.value, value);
    }
    assert.equal((await send('GET', '/v1/risk/lists/blocklist?kind=ip')).json.entries.length, 0);
  });

  test('rules CRUD, file import, dry run and the audit trail', async () => {
    const created = await send('POST', '/v1/risk/rules', { name: 'foreign', condition: { dimension: 'card_issuer_country', operator: 'not_in', value: ['IN'] }, action: 'review', score: 30 });
    assert.equal(created.status, 201, created.body);
    const dup = await send('POST', '/v1/risk/rules', { name: 'foreign', condition: { dimension: 'amount', operator: 'greater_than', value: 1 }, action: 'block' });
    assert.equal(dup.status, 409, dup.body);
    const updated = await send('PUT', `/v1/risk/rules/${created.json.id}`, { action: 'block' });
    assert.equal(updated.json.action, 'block', updated.body);
    assert.equal(updated.json.score, 30);
    const imported = await send('POST', '/v1/risk/lists/blocklist/ip/import', 'address,reason\n192.0.2.1,chargeback\n2001:db8::/32,fraud ring\n\n', j.basic, 'text/csv');
    assert.equal(imported.status, 201, imported.body);
    assert.deepEqual({ received: imported.json.received, added: imported.json.added, skipped_header: imported.json.skipped_header }, { received: 2, added: 2, skipped_header: true });
    const badFile = await send('POST', '/v1/risk/lists/blocklist/ip/import', '192.0.2.2\nnope\n', j.basic, 'text/plain');
    assert.equal(badFile.status, 400, badFile.body);
    assert.equal(badFile.json.error_info.fields[0].field_name, 'file line 2');
    await configure({});
    const dry = await send('POST', '/v1/risk/dry-run', { amount: 1000, currency: 'INR', client_ip: '2001:db8:1::5' });
    assert.equal(dry.json.action, 'block', dry.body);
    assert.equal(dry.json.code, 'RISK_BLOCKLISTED');
    const dry2 = await send('POST', '/v1/risk/dry-run', { amount: 1000, currency: 'INR', card_bin: '411111', card_issuer_country: 'US' });
    assert.equal(dry2.json.code, 'RISK_RULE', dry2.body);
    const badDry = await send('POST', '/v1/risk/dry-run', { amount: '10.00', currency: 'INR' });
    assert.equal(badDry.json.error_info.fields[0].field_name, 'amount');
    assert.equal((await send('DELETE', `/v1/risk/rules/${created.json.id}`)).status, 200);
    const audit = await send('GET', '/v1/risk/audit');
    const actions = audit.json.audit.map((a: { action: string }) => a.action);
    for (const a of ['rule.create', 'rule.update', 'list.add', 'config.put', 'rule.delete']) assert.ok(actions.includes(a), `${a} in ${actions}`);
    const removed = await send('DELETE', `/v1/risk/lists/blocklist/ip/${encodeURIComponent('2001:db8::/32')}`);
    assert.equal(removed.status, 200, removed.body);
    const viewerChange = await send('PUT', '/v1/risk/config', {}, 'Bearer test_pl_viewer_token_0001');
    assert.equal(viewerChange.status, 403);
    assert.equal((await get(j, '/v1/risk/config', { auth: 'Bearer test_pl_viewer_token_0001' })).status, 200);
  });
});
