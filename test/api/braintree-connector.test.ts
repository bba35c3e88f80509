// A merchant whose only gateway is Braintree, through the whole merchant API, with the Braintree
// emulator (requests checked against a contract written from the official SDK's request building
// and Braintree's API reference): a card payment submitted for settlement (CHARGED), a manual
// capture of part of an authorisation, a void, a refund of a settled sale (a credit transaction of
// its own), a processor decline mapped to its unified code and not counted against Braintree, a
// signed settlement webhook processed once, and a payment whose answer was lost found by our reference.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BRAINTREE_EMULATOR_MERCHANT, startBraintreeEmulator, type BraintreeEmulator, type BraintreeNotificationRecord } from '../../emulators/braintree/braintree-emulator.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { assertApiError, get, post, singleGatewayMerchant, waitFor } from '../helpers/api-helpers.ts';

const ADMIN = 'Bearer test-admin-key';
const [KEY] = BRAINTREE_EMULATOR_MERCHANT.keys;
const CREDENTIALS = {
  merchant_id: BRAINTREE_EMULATOR_MERCHANT.merchantId,
  public_key: KEY!.publicKey,
  private_key: KEY!.privateKey,
  merchant_account_id: 'junction_usd',
  raw_card_data_enabled: 'true',
};

let j: TestApp;
let emulator: BraintreeEmulator;
let merchant: Awaited<ReturnType<typeof singleGatewayMerchant>>;

const sales = () => emulator.requests.filter((r) => r.method === 'POST' && /\/transactions$/.test(r.path));

async function deliver(record: BraintreeNotificationRecord): Promise<Record<string, unknown>> {
  const { headers, rawBody } = emulator.signRecord(record);
  const response = await j.app.inject({ method: 'POST', url: `/webhooks/gateways/BRAINTREE/${merchant.merchantId}/${merchant.accountId}`, headers, payload: rawBody });
  assert.equal(response.statusCode, 200, response.body);
  return JSON.parse(response.body) as Record<string, unknown>;
}

before(async () => {
  emulator = await startBraintreeEmulator();
  j = await startTestApp({}, { connectorBaseUrls: { BRAINTREE: emulator.url }, connectorTimeoutMs: 2_000 });
  merchant = await singleGatewayMerchant(j, 'BRAINTREE', CREDENTIALS, { amount: '60.00', currency: 'USD', card: '4111111111111111' });
});
after(async () => {
  await j.close();
  await emulator.close();
});

describe('a Braintree account through the merchant API', () => {
  test("a card payment is CHARGED: the sale is submitted for settlement, in major units, and the order shows Braintree's answer", async () => {
    const orderId = await merchant.order();
    const txn = await merchant.pay(orderId);
    assert.equal(txn.json.status, 'CHARGED', txn.body);
    const sent = sales().at(-1)!.body!.transaction as Record<string, unknown>;
    assert.equal(sent.amount, '60.00');
    assert.deepEqual(sent.options, { submit_for_settlement: true });
    assert.equal(sent.merchant_account_id, 'junction_usd');
    const view = await merchant.status(orderId);
    assert.equal(view.json.txn_detail.gateway, 'BRAINTREE');
    assert.equal(view.json.gateway_id, 33);
    assert.equal(view.json.payment_gateway_response.resp_code, '1000');
    const id = await merchant.gatewayTxnId(orderId);
    assert.equal(emulator.transaction(id)!.status, 'submitted_for_settlement');
    assert.ok(!JSON.stringify(view.json).includes('4111111111111111'), 'no card number in the order status');
  });

  test('pre-auth: a partial capture through POST /txns/{id}/capture submits that amount for settlement', async () => {
    const orderId = await merchant.order({ 'metadata.txns.auto_capture': 'false' });
    const txn = await merchant.pay(orderId);
    assert.equal(txn.json.status, 'AUTHORIZED', txn.body);
    const id = await merchant.gatewayTxnId(orderId);
    assert.equal(emulator.transaction(id)!.status, 'authorized');
    const captured = await post(j, `/v2/txns/${txn.json.txn_uuid}/capture`, { amount: '40.00' }, { asForm: true, auth: merchant.auth });
    assert.equal(captured.json.status, 'CHARGED', captured.body);
    const put = emulator.requests.filter((r) => r.path.endsWith(`/transactions/${id}/submit_for_settlement`)).at(-1)!;
    assert.deepEqual(put.body, { transaction: { amount: '40.00' } });
    assert.equal(emulator.transaction(id)!.status, 'submitted_for_settlement');
    assert.equal(emulator.transaction(id)!.amount, 4_000);
  });

  test('pre-auth: a void releases the authorisation at Braintree', async () => {
    const orderId = await merchant.order({ 'metadata.txns.auto_capture': 'false' });
    const txn = await merchant.pay(orderId);
    const voided = await post(j, `/v2/txns/${txn.json.txn_uuid}/void`, {}, { asForm: true, auth: merchant.auth });
    assert.equal(voided.json.status, 'VOIDED', voided.body);
    assert.equal(emulator.transaction(await merchant.gatewayTxnId(orderId))!.status, 'voided');
  });

  test('a settled sale is refunded (a credit transaction with our refund id); its settlement webhook is processed once', async () => {
    const orderId = await merchant.order();
    assert.equal((await merchant.pay(orderId)).json.status, 'CHARGED');
    const id = await merchant.gatewayTxnId(orderId);
    // Braintree refunds settled sales only: the sandbox's testing call settles it, and Braintree notifies.
    emulator.settle(id);
    const settled = emulator.events.find((e) => e.kind === 'transaction_settled' && e.subjectId === id)!;
    assert.equal((await deliver(settled)).handled, true);
    assert.equal((await deliver(settled)).duplicate, true, 'a redelivery is recognised and changes nothing');
    assert.equal((await merchant.status(orderId)).json.status, 'CHARGED');

    const refund = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `r_${orderId}`, amount: '25.00' }, { asForm: true, auth: merchant.auth });
    assert.equal(refund.status, 200, refund.body);
    assert.equal(refund.json.refunds[0].status, 'SUCCESS', refund.body);
    const sale = emulator.transaction(id)!;
    assert.equal(sale.refundIds.length, 1);
    const credit = emulator.transaction(sale.refundIds[0]!)!;
    assert.equal(credit.type, 'credit');
    assert.equal(credit.amount, 2_500);
    assert.equal(refund.json.refunds[0].ref, credit.id, "the refund's ref is Braintree's credit transaction");
    assert.equal(credit.orderId, refund.json.refunds[0].id, 'the credit carries our refund id (how a retry finds it)');
    const view = await merchant.status(orderId);
    assert.equal(view.json.amount_refunded, 25);
  });

  test("a processor decline (2001 Insufficient Funds, the sandbox's 2001.00 amount) is AUTHORIZATION_FAILED and does not count against Braintree", async () => {
    const orderId = await merchant.order({ amount: '2001.00' });
    const txn = await merchant.pay(orderId);
    assert.equal(txn.json.status, 'AUTHORIZATION_FAILED', txn.body);
    assert.equal(txn.json.error_code, 'INSUFFICIENT_FUNDS');
    const view = await merchant.status(orderId);
    assert.equal(view.json.payment_gateway_response.resp_code, '2001');
    const table = await get(j, '/admin/v1/gateway-status/BRAINTREE', { auth: ADMIN });
    assert.equal(table.status, 200, table.body);
    const rows = table.json.entries as Array<{ code: string; counts_against_gateway: boolean; failure_class: string; retryable: boolean }>;
    const insufficient = rows.find((row) => row.code === '2001')!;
    assert.deepEqual([insufficient.failure_class, insufficient.counts_against_gateway, insufficient.retryable], ['SOFT_DECLINE', false, false]);
    assert.equal(rows.find((row) => row.code === '3000')!.counts_against_gateway, true, "Braintree's own failure does");
  });

  test('a payment whose answer was lost is found by its order id and settled by the status sync, once', async () => {
    const orderId = await merchant.order();
    const before = emulator.chargeCount();
    emulator.stallNext(3_000, 1, '/transactions');
    const txn = await merchant.pay(orderId);
    assert.equal(txn.json.status, 'AUTHORIZING', txn.body);
    await waitFor(() => emulator.chargeCount() === before + 1, 3_000, 'the stalled sale to be processed');
    const synced = await j.payments.syncTxn(txn.json.txn_uuid);
    assert.equal(synced.status, 'CHARGED');
    assert.equal(emulator.chargeCount(), before + 1);
  });

  test('a forged webhook is refused and changes nothing', async () => {
    const orderId = await merchant.order();
    await merchant.pay(orderId);
    const record = emulator.signedNotification('transaction_settlement_declined', await merchant.gatewayTxnId(orderId)).record;
    const { fields } = emulator.signRecord(record);
    const forged = `bt_signature=${encodeURIComponent(`${KEY!.publicKey}|${'0'.repeat(40)}`)}&bt_payload=${encodeURIComponent(fields.bt_payload)}`;
    const response = await j.app.inject({
      method: 'POST',
      url: `/webhooks/gateways/BRAINTREE/${merchant.merchantId}/${merchant.accountId}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: forged,
    });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal((await merchant.status(orderId)).json.status, 'CHARGED');
  });

  test('credentials are checked when the account is saved', async () => {
    const create = await post(j, `/admin/v1/merchants/${merchant.merchantId}/gateway-accounts`, { gateway: 'BRAINTREE', credentials: { merchant_id: 'x/../y', public_key: KEY!.publicKey } } as never, {
      auth: ADMIN,
    });
    assertApiError(create, 400, { field: 'credentials.private_key' });
  });

  test('no request the connector sent broke the contract', () => {
    assert.deepEqual(emulator.violations, []);
  });
});
