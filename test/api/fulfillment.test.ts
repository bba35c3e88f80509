import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createOrderOk, orderStatus, payByCard, post, setAllGateways } from '../helpers/api-helpers.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp();
  setAllGateways(j);
});
after(() => j.close());

test('a paid order records its fulfillment and shows it in the order status', async () => {
  const orderId = await createOrderOk(j);
  assert.equal((await payByCard(j, orderId)).json.status, 'CHARGED');
  const res = await post(
    j,
    `/orders/${orderId}/fulfillment`,
    { fulfillment_status: 'SUCCESS', fulfillment_command: 'RELEASE_HOLD', fulfillment_time: '2026-11-23T10:00:00Z', fulfillment_id: 'ship-1' },
    { asForm: true },
  );
  assert.equal(res.status, 200, res.body);
  assert.equal(res.json.fulfillment.fulfillment_status, 'SUCCESS');
  const status = await orderStatus(j, orderId);
  assert.deepEqual([status.json.fulfillment.fulfillment_command, status.json.fulfillment.fulfillment_id], ['RELEASE_HOLD', 'ship-1']);
});

test('fulfillment is refused before payment and validates its fields', async () => {
  const orderId = await createOrderOk(j);
  const early = await post(j, `/orders/${orderId}/fulfillment`, { fulfillment_status: 'SUCCESS' }, { asForm: true });
  assert.equal(early.status, 400);
  assert.equal(early.json.error_info.code, 'INVALID_ACTION');
  await payByCard(j, orderId);
  const bad = await post(j, `/orders/${orderId}/fulfillment`, { fulfillment_status: 'DONE' }, { asForm: true });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error_info.fields[0].field_name, 'fulfillment_status');
  const badTime = await post(j, `/orders/${orderId}/fulfillment`, { fulfillment_status: 'SUCCESS', fulfillment_time: 'yesterday' }, { asForm: true });
  assert.equal(badTime.json.error_info.fields[0].field_name, 'fulfillment_time');
  const unknown = await post(j, '/orders/nosuchorder/fulfillment', { fulfillment_status: 'SUCCESS' }, { asForm: true });
  assert.equal(unknown.status, 404);
});
