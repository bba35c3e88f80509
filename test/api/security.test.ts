// Card data and secrets at rest and on the wire: after card payments (direct, 3-D Secure,
// declined, saved to the locker, paid by token) the full card number and the CVV appear in no
// table and in no response; saved cards come back as a usable card_reference; API keys are
// stored hashed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DEMO_KEY, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { createOrderOk, createSecondMerchant, declineAll, dumpDatabase, get, orderStatus, payByCard, post, setAllGateways, type ApiResponse } from '../helpers/api-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp();
  setAllGateways(j);
  // Queue outgoing webhooks too (they carry order views): they must be clean as well.
  await j.merchants.updateWebhookSettings('demo_merchant', { url: 'http://127.0.0.1:9/never-delivered' });
});
after(async () => {
  await j.close();
});

const CARDS = [
  { number: '4111111111111111', cvv: '739', month: '12', year: '2031' },
  { number: '5555555555554444', cvv: '846', month: '07', year: '2032' },
  { number: '378282246310005', cvv: '9153', month: '03', year: '2033' },
];

const responses: ApiResponse[] = [];
function keep(response: ApiResponse): ApiResponse {
  responses.push(response);
  return response;
}

/** Every string anywhere in a value (rows, nested JSON). */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    out.push(value);
    if ((value.startsWith('{') || value.startsWith('[')) && value.length < 1_000_000) {
      try {
        strings(JSON.parse(value), out);
      } catch {
        // not JSON
      }
    }
  } else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) {
      out.push(`key:${k}`);
      strings(v, out);
    }
  } else if (typeof value === 'number') out.push(String(value));
  return out;
}

async function allDatabaseValues(): Promise<string[]> {
  const tables = await j.db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
  const out: string[] = [];
  for (const { table_name } of tables) strings(await j.db.query(`SELECT * FROM "${table_name}"`), out);
  return out;
}

describe('card data never stored or echoed', () => {
  let savedReference = '';

  test('pay with every test card in every flow', async () => {
    for (const card of CARDS) {
      const fields = { card_number: card.number, card_security_code: card.cvv, card_exp_month: card.month, card_exp_year: card.year, name_on_card: 'Shopper Name' };
      // Direct charge, saved to the locker.
      const o1 = await createOrderOk(j, { customer_id: 'cust_sec' });
      const t1 = keep(await payByCard(j, o1, { ...fields, save_to_locker: 'true' }));
      assert.equal(t1.json.status, 'CHARGED', t1.body);
      const s1 = keep(await orderStatus(j, o1));
      assert.equal(s1.json.card.saved_to_locker, true);
      assert.equal(s1.json.card.last_four_digits, card.number.slice(-4));
      assert.match(s1.json.card.card_reference, /^ctkn_/);
      if (card.number === CARDS[0]!.number) savedReference = s1.json.card.card_reference;
      keep(await get(j, `/orders/${o1}?options.add_full_gateway_response=true`));
      keep(await post(j, `/orders/${o1}/refunds`, { unique_request_id: `sec_${o1}`, amount: '1.00' }, { asForm: true }));

      // 3-D Secure (pending at the bank page), and the bank page itself.
      const o2 = await createOrderOk(j);
      const t2 = keep(await payByCard(j, o2, { ...fields, auth_type: 'THREE_DS' }));
      assert.equal(t2.json.status, 'PENDING_VBV', t2.body);
      keep(await get(j, new URL(t2.json.payment.authentication.url).pathname, { auth: null }));
      keep(await orderStatus(j, o2));

      // Declined.
      declineAll(j);
      const o3 = await createOrderOk(j);
      keep(await payByCard(j, o3, fields));
      keep(await orderStatus(j, o3));
      setAllGateways(j);

      // Refused by our validation (bad CVV length).
      const o4 = await createOrderOk(j);
      keep(await payByCard(j, o4, { ...fields, card_security_code: `${card.cvv}12` }));
      // Order and txn in one call.
      keep(await post(j, '/txns', { 'order.order_id': `${o4}x`.slice(0, 20), 'order.amount': '9.00', payment_method_type: 'CARD', ...fields }, { asForm: true }));
    }
  });

  test('a saved card_reference pays a later order as card_token', async () => {
    assert.ok(savedReference, 'a card was saved');
    const orderId = await createOrderOk(j, { customer_id: 'cust_sec', amount: '12.00' });
    const txn = keep(await post(j, '/txns', { order_id: orderId, payment_method_type: 'CARD', card_token: savedReference, card_security_code: '739' }, { asForm: true }));
    assert.equal(txn.status, 200, txn.body);
    assert.equal(txn.json.status, 'CHARGED');
    const status = keep(await orderStatus(j, orderId));
    assert.equal(status.json.card.using_saved_card, true);
    assert.equal(status.json.card.card_reference, savedReference);
    assert.equal(status.json.card.last_four_digits, '1111');
    assert.equal(status.json.card.card_brand, 'VISA');
    assert.equal(status.json.payment_method, 'VISA');
    // Another merchant cannot use the token.
    const other = await createSecondMerchant(j);
    const theirOrder = await post(j, '/orders', { order_id: orderId, amount: '1.00' }, { asForm: true, auth: other.auth });
    assert.equal(theirOrder.status, 200);
    const refused = await post(j, '/txns', { order_id: orderId, payment_method_type: 'CARD', card_token: savedReference, card_security_code: '739' }, { asForm: true, auth: other.auth });
    assert.equal(refused.status, 400, refused.body);
  });

  test('no table holds a full card number or a CVV', async () => {
    const dump = await dumpDatabase(j);
    for (const card of CARDS) {
      assert.ok(!dump.includes(card.number), `PAN ${card.number.slice(-4)} found in the database`);
      // Split by common separators too ("4111 1111 ...", "4111-1111-...").
      assert.ok(!dump.includes(card.number.replace(/(\d{4})(?=\d)/g, '$1 ')), 'spaced PAN in the database');
    }
    const values = await allDatabaseValues();
    for (const card of CARDS) {
      assert.ok(!values.includes(card.cvv), `CVV ${card.cvv} stored as a value`);
      assert.ok(!values.some((v) => v.includes(card.number)), 'PAN inside a JSON value');
    }
    for (const key of ['key:cvv', 'key:card_security_code', 'key:card_number', 'key:number']) {
      assert.ok(!values.includes(key), `a stored object has a ${key.slice(4)} key`);
    }
    assert.ok(dump.includes('411111') && dump.includes('1111'), 'sanity: masked card data is stored');
  });

  test('no response carried a full card number or a CVV', async () => {
    assert.ok(responses.length > 20);
    for (const response of responses) {
      for (const card of CARDS) {
        assert.ok(!response.body.includes(card.number), `PAN in a response: ${response.body.slice(0, 300)}`);
        const values = strings(response.json);
        assert.ok(!values.includes(card.cvv), `CVV in a response: ${response.body.slice(0, 300)}`);
      }
    }
  });
});

describe('API keys', () => {
  test('are stored only as a hash', async () => {
    const other = await createSecondMerchant(j);
    const dump = await dumpDatabase(j);
    assert.ok(!dump.includes(DEMO_KEY), 'the demo key is stored in plaintext');
    assert.ok(!dump.includes(other.apiKey), 'a created key is stored in plaintext');
    const rows = await j.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE merchant_id = $1', ['demo_merchant']);
    assert.ok(rows.length >= 1);
    const digest = createHash('sha256').update(DEMO_KEY).digest('hex');
    assert.ok(
      rows.some((r) => r.key_hash === digest),
      "the stored value is the key's SHA-256",
    );
    // The stored hash does not work as a key.
    const response = await post(j, '/orders', { order_id: 'hashaskey1', amount: '1.00' }, { asForm: true, auth: `Basic ${Buffer.from(`${digest}:`).toString('base64')}` });
    assert.equal(response.status, 401);
  });

  test('merchant secrets (response key, webhook HMAC key) are not stored in plaintext', async () => {
    const secrets = await j.merchants.getMerchantSecrets('demo_merchant');
    const dump = await dumpDatabase(j);
    assert.ok(!dump.includes(secrets.responseKey), 'response key in plaintext');
    assert.ok(!dump.includes(secrets.webhook.hmacKey), 'webhook HMAC key in plaintext');
  });
});
