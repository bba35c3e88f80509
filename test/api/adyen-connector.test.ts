// A merchant whose only gateway is Adyen, through the whole merchant API, with the Adyen emulator
// (which validates every request against Adyen's published v71 contract) and Adyen's webhooks
// delivered to our endpoint: payments, 3-D Secure through our return URL and /payments/details,
// pre-auth capture and void settled by their webhooks, refunds settled by theirs, deduplication.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startAdyenEmulator, type AdyenEmulator } from '../../emulators/adyen/adyen-emulator.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { assertApiError, call, post, singleGatewayMerchant, waitFor } from '../helpers/api-helpers.ts';

const ADMIN = 'Bearer test-admin-key';
const API_KEY = 'AQE_e2e_junction_0000000000000001';
const MERCHANT_ACCOUNT = 'JunctionE2eECOM';
const HMAC_KEY = randomBytes(32).toString('hex').toUpperCase();

let j: TestApp;
let emulator: AdyenEmulator;
let merchantId: string;
let auth: string;
let accountId: string;
let order: Merchant['order'];
let pay: Merchant['pay'];
let status: Merchant['status'];
let pspOf: Merchant['gatewayTxnId'];
type Merchant = Awaited<ReturnType<typeof singleGatewayMerchant>>;

/** Delivers the emulator's notification about a pspReference to our webhook endpoint, as Adyen would. */
async function deliver(pspReference: string): Promise<Record<string, unknown>> {
  await waitFor(() => emulator.notifications.some((n) => n.pspReference === pspReference), 3000, `notification ${pspReference}`);
  const item = emulator.notifications.find((n) => n.pspReference === pspReference)!;
  const { headers, rawBody } = emulator.signedNotification(item, HMAC_KEY);
  const response = await j.app.inject({ method: 'POST', url: `/webhooks/gateways/ADYEN/${merchantId}/${accountId}`, headers, payload: rawBody });
  assert.equal(response.statusCode, 200, response.body);
  return JSON.parse(response.body) as Record<string, unknown>;
}

before(async () => {
  emulator = await startAdyenEmulator({ apiKeys: [API_KEY] });
  j = await startTestApp({}, { connectorBaseUrls: { ADYEN: emulator.url }, connectorTimeoutMs: 3_000 });
  const merchant = await singleGatewayMerchant(
    j,
    'ADYEN',
    { api_key: API_KEY, merchant_account: MERCHANT_ACCOUNT, hmac_key: HMAC_KEY, raw_card_data_enabled: 'true' },
    { amount: '80.00', currency: 'EUR', card: '4111111145551142' },
  );
  ({ merchantId, auth, accountId, order, pay, status } = merchant);
  pspOf = merchant.gatewayTxnId;
});
after(async () => {
  await j.close();
  await emulator.close();
});

let counter = 0;

describe('an Adyen account through the merchant API', () => {
  test("a card payment is CHARGED through Adyen, in minor units, with the order status showing Adyen's answer", async () => {
    const orderId = await order();
    const txn = await pay(orderId);
    assert.equal(txn.json.status, 'CHARGED', txn.body);
    const sent = emulator.requests.filter((r) => r.path === '/v71/payments').at(-1)!;
    assert.deepEqual(sent.body.amount, { value: 8_000, currency: 'EUR' });
    const view = await status(orderId);
    assert.equal(view.json.txn_detail.gateway, 'ADYEN');
    assert.equal(view.json.gateway_id, 30);
    assert.equal(view.json.payment_gateway_response.resp_code, 'Authorised');
    // Adyen's AUTHORISATION webhook repeats what we know: accepted once, and again as a duplicate.
    assert.equal((await deliver(await pspOf(orderId))).handled, true);
    assert.equal((await deliver(await pspOf(orderId))).duplicate, true);
  });

  test('a refusal is AUTHORIZATION_FAILED with its unified code', async () => {
    const orderId = await order();
    emulator.declineNext('12');
    const txn = await pay(orderId);
    assert.equal(txn.json.status, 'AUTHORIZATION_FAILED');
    assert.equal(txn.json.error_code, 'INSUFFICIENT_FUNDS');
  });

  test("an authorisation whose answer never came is settled by Adyen's AUTHORISATION webhook, found by our reference (Adyen has no status API)", async () => {
    const orderId = await order();
    emulator.stallNext(4_000, 1, '/v71/payments');
    const txn = await pay(orderId);
    assert.equal(txn.json.status, 'AUTHORIZING', txn.body);
    const view = await status(orderId);
    assert.equal(view.json.txn_detail.status, 'AUTHORIZING');
    // Adyen processed it: its notification names the pspReference we never learnt, and our txn id as merchantReference.
    await waitFor(() => emulator.notifications.some((n) => n.eventCode === 'AUTHORISATION' && n.merchantReference === txn.json.txn_id), 6_000, 'the AUTHORISATION notification');
    const item = emulator.notifications.find((n) => n.eventCode === 'AUTHORISATION' && n.merchantReference === txn.json.txn_id)!;
    assert.equal((await deliver(item.pspReference)).handled, true);
    const settled = await status(orderId);
    assert.equal(settled.json.status, 'CHARGED');
    assert.equal(settled.json.txn_detail.status, 'CHARGED');
    assert.equal(await pspOf(orderId), item.pspReference, 'the gateway id is learnt from the webhook');
  });

  test('3-D Secure: the shopper returns to our URL with redirectResult; /payments/details completes it and the attempt is CHARGED', async () => {
    const orderId = await order();
    const txn = await pay(orderId, { card_number: '4917610000000000' });
    assert.equal(txn.json.status, 'PENDING_VBV', txn.body);
    const challenge = await fetch(txn.json.payment.authentication.url, { redirect: 'manual' });
    const back = new URL(challenge.headers.get('location')!);
    assert.equal(back.pathname, `/txns/${txn.json.txn_uuid}/return`);
    assert.ok(back.searchParams.get('redirectResult'));
    await call(j, 'GET', `${back.pathname}${back.search}`, undefined, { auth: null });
    assert.equal(emulator.requests.at(-1)!.path, '/v71/payments/details');
    assert.equal((await status(orderId)).json.status, 'CHARGED');
  });

  test("pre-auth: capture is CAPTURE_INITIATED until Adyen's CAPTURE webhook makes it CHARGED", async () => {
    const orderId = await order({ 'metadata.txns.auto_capture': 'false' });
    const txn = await pay(orderId);
    assert.equal(txn.json.status, 'AUTHORIZED');
    const captured = await post(j, `/v2/txns/${txn.json.txn_uuid}/capture`, { amount: '50.00' }, { asForm: true, auth });
    assert.equal(captured.json.status, 'CAPTURE_INITIATED', captured.body);
    const psp = await pspOf(orderId);
    await waitFor(() => emulator.notifications.some((n) => n.eventCode === 'CAPTURE' && n.originalReference === psp));
    await deliver(emulator.notifications.find((n) => n.eventCode === 'CAPTURE' && n.originalReference === psp)!.pspReference);
    const view = await status(orderId);
    assert.equal(view.json.status, 'CHARGED');
    assert.equal(view.json.amount_captured, 50);
  });

  test('void: VOID_INITIATED until the CANCELLATION webhook; refunds PENDING until the REFUND webhook', async () => {
    const held = await order({ 'metadata.txns.auto_capture': 'false' });
    const txn = await pay(held);
    assert.equal((await post(j, `/v2/txns/${txn.json.txn_uuid}/void`, {}, { asForm: true, auth })).json.status, 'VOID_INITIATED');
    const psp = await pspOf(held);
    await waitFor(() => emulator.notifications.some((n) => n.eventCode === 'CANCELLATION' && n.originalReference === psp));
    await deliver(emulator.notifications.find((n) => n.eventCode === 'CANCELLATION' && n.originalReference === psp)!.pspReference);
    assert.equal((await status(held)).json.status, 'VOIDED');

    const paid = await order();
    await pay(paid);
    const refund = await post(j, `/orders/${paid}/refunds`, { unique_request_id: `r_${paid}`, amount: '30.00' }, { asForm: true, auth });
    assert.equal(refund.json.refunds[0].status, 'PENDING', refund.body);
    const refundPsp = refund.json.refunds[0].ref as string;
    await deliver(refundPsp);
    const after = await status(paid);
    assert.equal(after.json.refunds[0].status, 'SUCCESS');
    assert.equal(after.json.amount_refunded, 30);
  });

  test('a forged notification is refused and changes nothing', async () => {
    const orderId = await order();
    await pay(orderId);
    // "This payment failed", signed with a key that is not the account's.
    const psp = await pspOf(orderId);
    await waitFor(() => emulator.notifications.some((n) => n.pspReference === psp));
    const item = { ...emulator.notifications.find((n) => n.pspReference === psp)!, success: 'false' as const };
    const { headers, rawBody } = emulator.signedNotification(item, 'AB'.repeat(32));
    const response = await j.app.inject({ method: 'POST', url: `/webhooks/gateways/ADYEN/${merchantId}/${accountId}`, headers, payload: rawBody });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal((await status(orderId)).json.status, 'CHARGED');
  });

  test('an Adyen account needs its merchant account and a hexadecimal HMAC key', async () => {
    const create = (credentials: Record<string, string>) =>
      post(j, `/admin/v1/merchants/${merchantId}/gateway-accounts`, { gateway: 'ADYEN', gateway_reference_id: `ref${++counter}`, credentials } as never, { auth: ADMIN });
    assertApiError(await create({ api_key: API_KEY, hmac_key: HMAC_KEY }), 400, { field: 'credentials.merchant_account' });
    assertApiError(await create({ api_key: API_KEY, merchant_account: MERCHANT_ACCOUNT, hmac_key: 'not-hex' }), 400, { field: 'credentials.hmac_key' });
  });
});
