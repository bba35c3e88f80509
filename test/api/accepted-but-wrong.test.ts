// Issue 10, finding 6: inputs that used to be accepted and then went wrong are refused when they
// arrive, with an error naming the field: a currency outside ISO 4217, an amount with more decimals
// than its currency has, a gateway account for a gateway without a connector, and a refund that
// reuses a unique_request_id for another amount. 3-decimal currencies are right end to end.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { formatMinorUnits } from '../../src/connectors/simulator/transformers.ts';
import { CURRENCY_EXPONENTS, exponentOf } from '../../src/core/currencies.ts';
import { formatAmountString, parseAmount, parseCurrency } from '../../src/core/money.ts';
import { assertApiError, countRows, createOrder, createOrderOk, get, orderStatus, payByCard, post, setAllGateways } from '../helpers/api-helpers.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

describe('accepted but wrong, now refused', () => {
  let j: TestApp;
  before(async () => {
    j = await startTestApp();
    setAllGateways(j);
  });
  after(async () => {
    await j.close();
  });

  test('currency=XYZ is a 400 naming currency, and creates nothing', async () => {
    const before = await countRows(j, 'orders');
    for (const currency of ['XYZ', 'ABC', 'XAU', 'BGN', 'rupees', '12$']) {
      const r = await createOrder(j, { currency });
      assertApiError(r, 400, { field: 'currency' });
    }
    assert.equal(await countRows(j, 'orders'), before);
    assert.equal((await createOrder(j, { currency: 'usd' })).status, 200, 'case does not matter');
  });

  test('a 3-decimal currency keeps its third decimal from the order to the gateway; more decimals are refused', async () => {
    const orderId = await createOrderOk(j, { currency: 'KWD', amount: '1.234' });
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.amount, 1.234);
    assert.equal(status.json.currency, 'KWD');
    const txn = await payByCard(j, orderId, { auth_type: 'THREE_DS' });
    assert.equal(txn.status, 200, txn.body);
    const bank = await get(j, new URL(txn.json.payment.authentication.url as string).pathname, { auth: null });
    assert.equal(bank.status, 200);
    assert.match(bank.body, /1\.234 KWD/, 'the simulated bank shows the amount with three decimals');
    assertApiError(await createOrder(j, { currency: 'KWD', amount: '1.2345' }), 400, { field: 'amount' });
    assertApiError(await createOrder(j, { currency: 'JPY', amount: '100.5' }), 400, { field: 'amount' });
    assert.equal((await createOrder(j, { currency: 'JPY', amount: '100' })).status, 200);
  });

  test('a gateway account for a gateway without a connector is refused when saved', async () => {
    const r = await post(j, '/admin/v1/merchants/demo_merchant/gateway-accounts', { gateway: 'PAYTM', credentials: { key: 'k', salt: 's' } } as never, { auth: 'Bearer test-admin-key' });
    assertApiError(r, 400, { code: 'GATEWAY_NOT_CONNECTED', field: 'gateway' });
    assert.match(r.json.error_message, /no connector for PAYTM/);
    assert.match(r.json.error_info.fields[0].reason, /SIM_ALPHA/);
    assert.equal(await countRows(j, 'gateway_accounts', "gateway = 'PAYTM'"), 0);
  });

  test('a refund reusing a unique_request_id with another amount is a 409 naming it; the same request again is idempotent', async () => {
    const orderId = await createOrderOk(j, { amount: '100.00' });
    assert.equal((await payByCard(j, orderId)).json.status, 'CHARGED');
    const first = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: 'rf_reuse_1', amount: '10.00' }, { asForm: true });
    assert.equal(first.status, 200, first.body);
    const again = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: 'rf_reuse_1', amount: '10.00' }, { asForm: true });
    assert.equal(again.status, 200, again.body);
    const reused = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: 'rf_reuse_1', amount: '25.00' }, { asForm: true });
    assertApiError(reused, 409, { code: 'IDEMPOTENCY_KEY_REUSED', field: 'unique_request_id' });
    assert.match(reused.json.error_message, /10\.00 INR.*25\.00/);
    assert.equal(await countRows(j, 'refunds', 'unique_request_id = $1', ['rf_reuse_1']), 1);
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.amount_refunded, 10);
  });
});

describe('the ISO 4217 table', () => {
  test('known exponents, and unknown codes refused', () => {
    assert.equal(exponentOf('INR'), 2);
    assert.equal(exponentOf('JPY'), 0);
    assert.equal(exponentOf('KWD'), 3);
    assert.equal(exponentOf('CLF'), 4);
    assert.equal(exponentOf('XYZ'), undefined);
    assert.ok(CURRENCY_EXPONENTS.size > 150);
    assert.throws(() => parseCurrency('XYZ'), /ISO 4217/);
    assert.equal(formatMinorUnits(1234, 'KWD'), '1.234');
    assert.equal(formatMinorUnits(1234, 'JPY'), '1234');
    assert.equal(formatMinorUnits(-5, 'INR'), '-0.05');
  });

  test('property: for every currency, parse(format(minor)) = minor, and the simulator formats like the API', () => {
    const codes = [...CURRENCY_EXPONENTS.keys()];
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.integer({ min: 1, max: 10_000_000_000 }), (code, minor) => {
        const text = formatAmountString(minor, code);
        return parseAmount(text, code) === minor && formatMinorUnits(minor, code) === text && (text.split('.')[1]?.length ?? 0) === exponentOf(code);
      }),
      { seed: 4217, numRuns: 2000 },
    );
  });
});
